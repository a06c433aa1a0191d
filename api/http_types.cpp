#include "api/http_types.hpp"

namespace hubsync::api {

namespace {
int
hex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// `in_path`: an encoded '/' would let "/v1/syncs/1%2Fruns" reach another route once decoded, so it is refused.
bool
decode(std::string_view in, std::string& out, bool plus_is_space, bool in_path = false)
{
    out.clear();
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (i + 2 >= in.size()) return false;
            int h = hex(in[i + 1]), l = hex(in[i + 2]);
            if (h < 0 || l < 0) return false;
            char decoded = static_cast<char>(h * 16 + l);
            if (in_path && decoded == '/') return false;
            out += decoded;
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return true;
}
}  // namespace

bool
parse_target(std::string_view target, std::string& path, std::map<std::string, std::string>& query)
{
    auto q = target.find('?');
    if (!decode(target.substr(0, q), path, false, true)) return false;
    if (q == std::string_view::npos) return true;
    std::string_view rest = target.substr(q + 1);
    while (!rest.empty()) {
        auto amp = rest.find('&');
        std::string_view pair = rest.substr(0, amp);
        rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
        if (pair.empty()) continue;
        auto eq = pair.find('=');
        std::string key, value;
        if (!decode(pair.substr(0, eq), key, true)) return false;
        if (eq != std::string_view::npos && !decode(pair.substr(eq + 1), value, true)) return false;
        query[key] = value;
    }
    return true;
}

}  // namespace hubsync::api
