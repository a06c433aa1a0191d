#pragma once
// JSON string literals written straight into a buffer, byte for byte as nlohmann's dump() writes them: the daemon's
// batch bodies and the emulator's batch answers write thousands of strings per request, and dump()'s
// character-by-character escaping was a tenth of either's CPU.
#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace hubsync::core {

// Bytes a JSON string holds as they are, in both directions: printable ASCII (0x7F included) other than '"' and
// backslash.
inline constexpr auto json_plain_bytes = [] {
    std::array<bool, 256> t{};
    for (int c = 0x20; c < 0x80; ++c) t[static_cast<std::size_t>(c)] = c != '"' && c != '\\';
    return t;
}();

// True when every byte of `s` is a json_plain_bytes one: the literal is `s` between quotes.
inline bool
json_plain(std::string_view s)
{
    for (char c : s)
        if (!json_plain_bytes[static_cast<unsigned char>(c)]) return false;
    return true;
}

// Length of the well-formed UTF-8 sequence at s[i] (Unicode Table 3-7: no overlongs, surrogates or code points
// above U+10FFFF), 0 when ill-formed: exactly what nlohmann's lexer and serializer accept.
std::size_t utf8_sequence(std::string_view s, std::size_t i);

// What to do with ill-formed UTF-8, as nlohmann's error_handler_t: throw its type_error 316 (the emulator, which
// answers as nlohmann always did), or replace it with U+FFFD (the daemon: a warehouse value must not fail a batch).
enum class invalid_utf8 { raise, replace };

// Appends `s` as a JSON string literal, byte for byte as nlohmann's dump(-1, ' ', false, handler) writes it.
void append_json_string(std::string& out, std::string_view s, invalid_utf8 on_invalid = invalid_utf8::raise);

}  // namespace hubsync::core
