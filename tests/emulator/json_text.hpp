#pragma once
// JSON text in and out on the hot paths, faster than nlohmann's own lexer and serializer and with the same results:
// nlohmann's character-by-character lexing of a 100-input body and dump() of its answer were about a quarter of the
// emulator's CPU under bench/emulator_bench.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hubsync::emulator {

// nlohmann::json::parse(text), byte for byte the same value. Well-formed JSON without a byte-order mark and
// nested at most 256 deep is read here; anything else (including every error, so messages and positions are
// nlohmann's) is handed to nlohmann::json::parse.
nlohmann::json parse_json(std::string_view text);

// One input of a batch write body, as the batch handlers read it from the parsed JSON.
struct text_input {
    std::string trace;                       // "objectWriteTraceId" when it is a string, else empty
    std::string id;                          // "id" as scalar_to_string prints it; empty when absent
    std::optional<std::string> id_property;  // "idProperty" when present
    // "properties" (empty when absent), sorted by name, values as scalar_to_string prints them
    std::vector<std::pair<std::string, std::string>> properties;
};

// Reads a batch write body ({"inputs":[…]}) straight into `out`, without a JSON value to build and free. Only
// well-formed JSON of the usual shape is read: one "inputs" array of 1 to `max_inputs` objects whose "properties"
// is an object of strings, booleans and nulls without repeated names, whose "id" is one of those and whose
// "idProperty" is a string, none repeated. For anything else it returns false, and the caller parses the body
// with parse_json; so nothing read here can be a JSON error, and the result is what the handlers would read from
// parse_json's value. Other members are read and dropped: a batch write handler that starts reading another member
// of the body or of an input must have it read here too, or make this reader give up on it.
bool read_batch_inputs(std::string_view text, std::vector<text_input>& out, std::size_t max_inputs);

// Appends `"key":"value"`, preceded by ',' when `comma`: one append for the usual short, escape-free member (a
// batch answer writes a few thousand).
void append_json_member(std::string& out, bool comma, std::string_view key, std::string_view value);

}  // namespace hubsync::emulator
