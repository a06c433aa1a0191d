#pragma once
// JSON text in and out on the hot paths, faster than nlohmann's own lexer and serializer and with the same results:
// nlohmann's character-by-character lexing of a 100-input body and dump() of its answer were about a quarter of the
// emulator's CPU under bench/emulator_bench.
#include <nlohmann/json.hpp>

#include <string>
#include <string_view>

namespace hubsync::emulator {

// nlohmann::json::parse(text), byte for byte the same value. Well-formed JSON without a byte-order mark and
// nested at most 256 deep is read here; anything else (including every error, so messages and positions are
// nlohmann's) is handed to nlohmann::json::parse.
nlohmann::json parse_json(std::string_view text);

// Appends `s` as a JSON string literal, byte for byte as nlohmann's dump() writes it (same escapes, UTF-8 copied
// as is, and the same type_error on invalid UTF-8).
void append_json_string(std::string& out, std::string_view s);

// Appends `"key":"value"`, preceded by ',' when `comma`: one append for the usual short, escape-free member (a
// batch answer writes a few thousand).
void append_json_member(std::string& out, bool comma, std::string_view key, std::string_view value);

}  // namespace hubsync::emulator
