#include "sync/json_elements.hpp"

namespace hubsync::sync::detail {

namespace {

int
hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

bool
read_hex4(std::string_view s, std::size_t& i, unsigned& out)
{
    if (s.size() - i < 4) return false;
    out = 0;
    for (std::size_t k = 0; k < 4; ++k) {
        const int h = hex_value(s[i + k]);
        if (h < 0) return false;
        out = out * 16 + static_cast<unsigned>(h);
    }
    i += 4;
    return true;
}

void
append_utf8(std::string& out, unsigned cp)
{
    if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
}

// s[i] is just past the opening quote. Strings without escapes (the common case) are returned as a view.
bool
read_json_string(std::string_view s, std::size_t& i, std::string& scratch, std::string_view& out)
{
    const std::size_t begin = i;
    while (i < s.size() && s[i] != '"' && s[i] != '\\') ++i;
    if (i >= s.size()) return false;
    if (s[i] == '"') {
        out = s.substr(begin, i - begin);
        ++i;
        return true;
    }
    scratch.assign(s.substr(begin, i - begin));
    while (i < s.size()) {
        const char c = s[i++];
        if (c == '"') {
            out = scratch;
            return true;
        }
        if (c != '\\') {
            scratch.push_back(c);
            continue;
        }
        if (i >= s.size()) return false;
        switch (s[i++]) {
        case '"': scratch.push_back('"'); break;
        case '\\': scratch.push_back('\\'); break;
        case '/': scratch.push_back('/'); break;
        case 'b': scratch.push_back('\b'); break;
        case 'f': scratch.push_back('\f'); break;
        case 'n': scratch.push_back('\n'); break;
        case 'r': scratch.push_back('\r'); break;
        case 't': scratch.push_back('\t'); break;
        case 'u': {
            unsigned cp = 0;
            if (!read_hex4(s, i, cp)) return false;
            if (cp >= 0xD800 && cp <= 0xDBFF) {
                unsigned low = 0;
                if (s.size() - i < 6 || s[i] != '\\' || s[i + 1] != 'u') return false;
                i += 2;
                if (!read_hex4(s, i, low) || low < 0xDC00 || low > 0xDFFF) return false;
                cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
            } else if (cp >= 0xDC00 && cp <= 0xDFFF) {
                return false;
            }
            append_utf8(scratch, cp);
            break;
        }
        default: return false;
        }
    }
    return false;
}

// s[i] is on the opening bracket or brace; leaves i past the matching close.
bool
skip_nested(std::string_view s, std::size_t& i)
{
    int depth = 0;
    while (i < s.size()) {
        const char c = s[i++];
        if (c == '"') {
            while (i < s.size() && s[i] != '"') i += s[i] == '\\' ? 2 : 1;
            if (i >= s.size()) return false;
            ++i;
        } else if (c == '[' || c == '{') {
            ++depth;
        } else if (c == ']' || c == '}') {
            if (--depth == 0) return true;
        }
    }
    return false;
}

bool
read_literal(std::string_view s, std::size_t& i, std::string_view word)
{
    if (s.substr(i, word.size()) != word) return false;
    i += word.size();
    return true;
}

}  // namespace

void
skip_ws(std::string_view s, std::size_t& i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

bool
read_json_value(std::string_view s, std::size_t& i, std::string& scratch, json_item& out)
{
    if (i >= s.size()) return false;
    const std::size_t begin = i;
    const char c = s[i];
    if (c == '"') {
        ++i;
        out.type = json_type::string;
        return read_json_string(s, i, scratch, out.text);
    }
    if (c == '[' || c == '{') {
        out.type = json_type::nested;
        if (!skip_nested(s, i)) return false;
    } else if (c == 't') {
        out.type = json_type::boolean_true;
        if (!read_literal(s, i, "true")) return false;
    } else if (c == 'f') {
        out.type = json_type::boolean_false;
        if (!read_literal(s, i, "false")) return false;
    } else if (c == 'n') {
        out.type = json_type::null;
        if (!read_literal(s, i, "null")) return false;
    } else if (c == '-' || is_digit(c)) {
        out.type = json_type::number;
        while (i < s.size() && (is_digit(s[i]) || s[i] == '-' || s[i] == '+' || s[i] == '.' || s[i] == 'e' ||
                                s[i] == 'E'))
            ++i;
    } else {
        return false;
    }
    out.text = s.substr(begin, i - begin);
    return true;
}

}  // namespace hubsync::sync::detail
