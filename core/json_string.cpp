#include "core/json_string.hpp"

#include <nlohmann/json.hpp>

namespace hubsync::core {

std::size_t
utf8_sequence(std::string_view s, std::size_t i)
{
    const auto b = [&](std::size_t k) { return i + k < s.size() ? static_cast<unsigned char>(s[i + k]) : 0u; };
    const auto cont = [](unsigned c) { return c >= 0x80 && c <= 0xBF; };
    const unsigned c0 = b(0);
    if (c0 >= 0xC2 && c0 <= 0xDF) return cont(b(1)) ? 2 : 0;
    if (c0 >= 0xE0 && c0 <= 0xEF) {
        const unsigned lo = c0 == 0xE0 ? 0xA0 : 0x80, hi = c0 == 0xED ? 0x9F : 0xBF;
        return b(1) >= lo && b(1) <= hi && cont(b(2)) ? 3 : 0;
    }
    if (c0 >= 0xF0 && c0 <= 0xF4) {
        const unsigned lo = c0 == 0xF0 ? 0x90 : 0x80, hi = c0 == 0xF4 ? 0x8F : 0xBF;
        return b(1) >= lo && b(1) <= hi && cont(b(2)) && cont(b(3)) ? 4 : 0;
    }
    return 0;
}

void
append_json_string(std::string& out, std::string_view s, invalid_utf8 on_invalid)
{
    static constexpr char hex[] = "0123456789abcdef";
    const auto start = out.size();
    out += '"';
    std::size_t i = 0;
    while (i < s.size()) {
        std::size_t run = i;
        while (run < s.size() && json_plain_bytes[static_cast<unsigned char>(s[run])]) ++run;
        out.append(s.data() + i, run - i);
        i = run;
        if (i == s.size()) break;
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x80) {
            const auto n = utf8_sequence(s, i);
            if (n == 0) {
                // Ill-formed: nlohmann's own handling, so the error or the replacement is exactly dump()'s.
                const nlohmann::json whole = std::string(s);
                if (on_invalid == invalid_utf8::raise) static_cast<void>(whole.dump());
                out.resize(start);
                out += whole.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
                return;
            }
            out.append(s.data() + i, n);
            i += n;
            continue;
        }
        out += '\\';
        switch (c) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '\b': out += 'b'; break;
        case '\t': out += 't'; break;
        case '\n': out += 'n'; break;
        case '\f': out += 'f'; break;
        case '\r': out += 'r'; break;
        default:
            out += "u00";
            out += hex[c >> 4];
            out += hex[c & 0xF];
        }
        ++i;
    }
    out += '"';
}

}  // namespace hubsync::core
