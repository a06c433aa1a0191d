#include "tests/emulator/json_text.hpp"

#include "core/json_string.hpp"

#include <algorithm>
#include <array>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

using core::json_plain_bytes;
using core::utf8_sequence;

// A recursive-descent reader of RFC 8259 JSON into nlohmann::json. It gives up (returns false) wherever nlohmann
// would fail, and where it would need to match nlohmann's handling of an oddity (a byte-order mark, very deep
// nesting); the caller then asks nlohmann.
class reader {
public:
    explicit reader(std::string_view text) : s_(text) {}

    bool
    document(json& out)
    {
        space();
        if (!value(out, 0)) return false;
        space();
        return i_ == s_.size();
    }

    // read_batch_inputs: the document must be an object whose "inputs" is an array of at most `max_inputs`
    // objects; members other than "inputs" are read (so the text is known to be JSON) and dropped.
    bool
    batch(std::vector<text_input>& out, std::size_t max_inputs)
    {
        space();
        if (!at('{')) return false;
        ++i_;
        bool seen_inputs = false;
        space();
        if (at('}')) return false;  // no "inputs"
        for (;;) {
            std::string key;
            if (!member_key(key)) return false;
            if (key == "inputs") {
                if (seen_inputs || !inputs(out, max_inputs)) return false;
                seen_inputs = true;
            } else if (!skip()) {
                return false;
            }
            const auto next = next_member();
            if (next == after::error) return false;
            if (next == after::end) break;
        }
        ++i_;
        space();
        return seen_inputs && i_ == s_.size();
    }

private:
    bool at(char c) const { return i_ < s_.size() && s_[i_] == c; }

    // `"key" :` with the spaces around; leaves `i_` at the value.
    bool
    member_key(std::string& key)
    {
        space();
        if (!at('"') || !string(key)) return false;
        space();
        if (!at(':')) return false;
        ++i_;
        space();
        return true;
    }

    // After a member's value: the object's end (at '}', not consumed), another member (after the ','), or an error.
    enum class after { error, end, more };
    after
    next_member()
    {
        space();
        if (at('}')) return after::end;
        if (!at(',')) return after::error;
        ++i_;
        return after::more;
    }

    bool
    skip()
    {
        json ignored;
        return value(ignored, 2);
    }

    bool
    inputs(std::vector<text_input>& out, std::size_t max_inputs)
    {
        if (!at('[')) return false;
        ++i_;
        space();
        if (at(']')) return false;  // nothing to prepare
        out.reserve(max_inputs);
        for (;;) {
            space();
            if (out.size() == max_inputs || !input(out.emplace_back())) return false;
            space();
            if (at(']')) {
                ++i_;
                return true;
            }
            if (!at(',')) return false;
            ++i_;
        }
    }

    // A string, or a literal as scalar_to_string prints it. Numbers and structures are left to nlohmann.
    bool
    scalar(std::string& out)
    {
        if (at('"')) return string(out);
        for (std::string_view word : {"true", "false", "null"}) {
            if (s_.compare(i_, word.size(), word) == 0) {
                i_ += word.size();
                out = word == "null" ? std::string_view{} : word;
                return true;
            }
        }
        return false;
    }

    bool
    input(text_input& in)
    {
        if (!at('{')) return false;
        ++i_;
        space();
        if (at('}')) {
            ++i_;
            return true;
        }
        bool seen_properties = false, seen_id = false, seen_id_property = false, seen_trace = false;
        for (;;) {
            std::string key;
            if (!member_key(key)) return false;
            // A repeated member would need nlohmann's last-wins: left to it.
            if (key == "properties") {
                if (seen_properties || !properties(in.properties)) return false;
                seen_properties = true;
            } else if (key == "id") {
                if (seen_id || !scalar(in.id)) return false;
                seen_id = true;
            } else if (key == "idProperty") {
                if (seen_id_property || !at('"')) return false;
                in.id_property.emplace();
                if (!string(*in.id_property)) return false;
                seen_id_property = true;
            } else if (key == "objectWriteTraceId") {
                if (seen_trace) return false;
                if (at('"') ? !string(in.trace) : !skip()) return false;
                seen_trace = true;
            } else if (!skip()) {
                return false;
            }
            const auto next = next_member();
            if (next == after::error) return false;
            if (next == after::end) {
                ++i_;
                return true;
            }
        }
    }

    bool
    properties(std::vector<std::pair<std::string, std::string>>& out)
    {
        if (!at('{')) return false;
        ++i_;
        space();
        out.reserve(16);
        if (!at('}')) {
            for (;;) {
                std::string key;
                if (!member_key(key)) return false;
                auto& [name, value] = out.emplace_back(std::move(key), std::string{});
                (void)name;
                if (!scalar(value)) return false;
                const auto next = next_member();
                if (next == after::error) return false;
                if (next == after::end) break;
            }
        }
        ++i_;
        // In the order nlohmann's std::map iterates; a repeated name is left to it (last wins).
        std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
        for (std::size_t k = 1; k < out.size(); ++k)
            if (out[k].first == out[k - 1].first) return false;
        return true;
    }

    // nlohmann's parser keeps its own stack; ours is the call stack, so deep documents go to nlohmann.
    static constexpr int max_depth = 256;

    void
    space()
    {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
    }

    bool
    value(json& out, int depth)
    {
        if (i_ == s_.size()) return false;
        switch (s_[i_]) {
        case '{': return object(out, depth + 1);
        case '[': return array(out, depth + 1);
        case '"': {
            std::string text;
            if (!string(text)) return false;
            out = std::move(text);
            return true;
        }
        case 't': return literal("true", out, true);
        case 'f': return literal("false", out, false);
        case 'n': return literal("null", out, nullptr);
        default: return number(out);
        }
    }

    template <class T>
    bool
    literal(std::string_view word, json& out, T v)
    {
        if (s_.compare(i_, word.size(), word) != 0) return false;
        i_ += word.size();
        out = v;
        return true;
    }

    bool
    object(json& out, int depth)
    {
        if (depth > max_depth) return false;
        ++i_;
        out = json::object();
        auto& members = out.get_ref<json::object_t&>();
        space();
        if (i_ < s_.size() && s_[i_] == '}') {
            ++i_;
            return true;
        }
        for (;;) {
            space();
            if (i_ == s_.size() || s_[i_] != '"') return false;
            std::string key;
            if (!string(key)) return false;
            space();
            if (i_ == s_.size() || s_[i_] != ':') return false;
            ++i_;
            space();
            // A repeated key reads into the same member: the last value wins, as with nlohmann.
            if (!value(members[std::move(key)], depth)) return false;
            space();
            if (i_ == s_.size()) return false;
            if (s_[i_] == '}') {
                ++i_;
                return true;
            }
            if (s_[i_] != ',') return false;
            ++i_;
        }
    }

    bool
    array(json& out, int depth)
    {
        if (depth > max_depth) return false;
        ++i_;
        out = json::array();
        auto& items = out.get_ref<json::array_t&>();
        space();
        if (i_ < s_.size() && s_[i_] == ']') {
            ++i_;
            return true;
        }
        for (;;) {
            space();
            if (!value(items.emplace_back(), depth)) return false;
            space();
            if (i_ == s_.size()) return false;
            if (s_[i_] == ']') {
                ++i_;
                return true;
            }
            if (s_[i_] != ',') return false;
            ++i_;
        }
    }

    bool
    hex4(unsigned& out)
    {
        if (s_.size() - i_ < 4) return false;
        out = 0;
        for (int k = 0; k < 4; ++k) {
            const char c = s_[i_++];
            unsigned d;
            if (c >= '0' && c <= '9') d = static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') d = static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') d = static_cast<unsigned>(c - 'A' + 10);
            else return false;
            out = out * 16 + d;
        }
        return true;
    }

    static void
    append_utf8(std::string& out, unsigned cp)
    {
        if (cp < 0x80) {
            out += static_cast<char>(cp);
        } else if (cp <= 0x7FF) {
            out += static_cast<char>(0xC0 | (cp >> 6));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else if (cp <= 0xFFFF) {
            out += static_cast<char>(0xE0 | (cp >> 12));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        } else {
            out += static_cast<char>(0xF0 | (cp >> 18));
            out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
            out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
            out += static_cast<char>(0x80 | (cp & 0x3F));
        }
    }

    // At the opening quote; leaves `i_` after the closing one.
    bool
    string(std::string& out)
    {
        ++i_;
        for (;;) {
            const std::size_t from = i_;
            while (i_ < s_.size() && json_plain_bytes[static_cast<unsigned char>(s_[i_])]) ++i_;
            out.append(s_.data() + from, i_ - from);
            if (i_ == s_.size()) return false;
            const auto c = static_cast<unsigned char>(s_[i_]);
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c >= 0x80) {
                const auto n = utf8_sequence(s_, i_);
                if (n == 0) return false;
                out.append(s_.data() + i_, n);
                i_ += n;
                continue;
            }
            if (c != '\\') return false;  // a control character
            if (++i_ == s_.size()) return false;
            switch (s_[i_++]) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                unsigned cp;
                if (!hex4(cp)) return false;
                if (cp >= 0xDC00 && cp <= 0xDFFF) return false;
                if (cp >= 0xD800 && cp <= 0xDBFF) {
                    unsigned low;
                    if (s_.size() - i_ < 2 || s_[i_] != '\\' || s_[i_ + 1] != 'u') return false;
                    i_ += 2;
                    if (!hex4(low) || low < 0xDC00 || low > 0xDFFF) return false;
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
                }
                append_utf8(out, cp);
                break;
            }
            default: return false;
            }
        }
    }

    bool
    digits()
    {
        const auto from = i_;
        while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
        return i_ > from;
    }

    // RFC 8259 numbers, converted as nlohmann does: strtoull/strtoll for integers that fit, strtod otherwise.
    bool
    number(json& out)
    {
        const auto from = i_;
        const bool negative = s_[i_] == '-';
        if (negative) ++i_;
        if (i_ == s_.size()) return false;
        if (s_[i_] == '0') ++i_;
        else if (!digits()) return false;
        bool integer = true;
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits()) return false;
            integer = false;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) return false;
            integer = false;
        }
        const std::string token(s_.substr(from, i_ - from));  // strto* need the terminating NUL
        errno = 0;
        if (integer && !negative) {
            const auto x = std::strtoull(token.c_str(), nullptr, 10);
            if (errno == 0 && static_cast<json::number_unsigned_t>(x) == x) {
                out = static_cast<json::number_unsigned_t>(x);
                return true;
            }
        } else if (integer) {
            const auto x = std::strtoll(token.c_str(), nullptr, 10);
            if (errno == 0 && static_cast<json::number_integer_t>(x) == x) {
                out = static_cast<json::number_integer_t>(x);
                return true;
            }
        }
        const double d = std::strtod(token.c_str(), nullptr);
        if (!std::isfinite(d)) return false;  // nlohmann: error 406, number overflow
        out = d;
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};
}  // namespace

bool
read_batch_inputs(std::string_view text, std::vector<text_input>& out, std::size_t max_inputs)
{
    out.clear();
    return reader(text).batch(out, max_inputs);
}

json
parse_json(std::string_view text)
{
    json out;
    if (reader(text).document(out)) return out;
    return json::parse(text.begin(), text.end());
}

void
append_json_member(std::string& out, bool comma, std::string_view key, std::string_view value)
{
    char buf[512];
    const std::size_t n = (comma ? 1 : 0) + key.size() + value.size() + 5;
    if (n > sizeof buf || !core::json_plain(key) || !core::json_plain(value)) {
        if (comma) out += ',';
        core::append_json_string(out, key);
        out += ':';
        core::append_json_string(out, value);
        return;
    }
    char* p = buf;
    if (comma) *p++ = ',';
    *p++ = '"';
    p = std::copy(key.begin(), key.end(), p);
    *p++ = '"';
    *p++ = ':';
    *p++ = '"';
    p = std::copy(value.begin(), value.end(), p);
    *p++ = '"';
    out.append(buf, n);
}

}  // namespace hubsync::emulator
