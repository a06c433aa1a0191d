#include "hubspot/batch_answer_scan.hpp"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <utility>

namespace hubsync::hubspot {

namespace {
// A forward-only reader over JSON text. Every method returns false on anything unexpected; the caller gives up.
class scanner {
public:
    explicit scanner(std::string_view s) : s_(s) {}

    bool at_end()
    {
        space();
        return i_ == s_.size();
    }

    bool consume(char c)
    {
        space();
        if (i_ < s_.size() && s_[i_] == c) {
            ++i_;
            return true;
        }
        return false;
    }

    bool peek(char c)
    {
        space();
        return i_ < s_.size() && s_[i_] == c;
    }

    // A string without escapes, as a view into the text; false when it has any.
    bool plain_string(std::string_view& out)
    {
        if (!consume('"')) return false;
        const char* begin = s_.data() + i_;
        const void* q = std::memchr(begin, '"', s_.size() - i_);
        if (!q) return false;
        auto n = static_cast<std::size_t>(static_cast<const char*>(q) - begin);
        if (std::memchr(begin, '\\', n)) return false;
        for (std::size_t k = 0; k < n; ++k)
            if (static_cast<unsigned char>(begin[k]) < 0x20) return false;  // control characters are invalid JSON
        out = std::string_view(begin, n);
        i_ += n + 1;
        return true;
    }

    // Any value, not kept. Strings may hold escapes here.
    bool skip_value(int depth = 0)
    {
        if (depth > 64) return false;
        space();
        if (i_ == s_.size()) return false;
        switch (s_[i_]) {
        case '"': return skip_string();
        case '{': {
            ++i_;
            if (consume('}')) return true;
            do {
                space();
                if (!skip_string() || !consume(':') || !skip_value(depth + 1)) return false;
            } while (consume(','));
            return consume('}');
        }
        case '[': {
            ++i_;
            if (consume(']')) return true;
            do {
                if (!skip_value(depth + 1)) return false;
            } while (consume(','));
            return consume(']');
        }
        case 't': return word("true");
        case 'f': return word("false");
        case 'n': return word("null");
        default: return number();
        }
    }

    bool word(std::string_view w)
    {
        space();
        if (s_.compare(i_, w.size(), w) != 0) return false;
        i_ += w.size();
        return true;
    }

private:
    void space()
    {
        while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\n' || s_[i_] == '\r' || s_[i_] == '\t')) ++i_;
    }

    bool skip_string()
    {
        if (i_ == s_.size() || s_[i_] != '"') return false;
        for (++i_; i_ < s_.size(); ++i_) {
            char c = s_[i_];
            if (c == '"') {
                ++i_;
                return true;
            }
            if (c == '\\') {
                if (!escape()) return false;
            } else if (static_cast<unsigned char>(c) < 0x20) {
                return false;
            }
        }
        return false;
    }

    // After a backslash at i_: a valid escape, leaving i_ on its last character.
    bool escape()
    {
        if (++i_ >= s_.size()) return false;
        switch (s_[i_]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't': return true;
        case 'u':
            for (int k = 0; k < 4; ++k)
                if (++i_ >= s_.size() || !std::isxdigit(static_cast<unsigned char>(s_[i_]))) return false;
            return true;
        default: return false;
        }
    }

    // RFC 8259: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
    bool number()
    {
        auto digit = [&] { return i_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_])); };
        auto digits = [&] {
            if (!digit()) return false;
            while (digit()) ++i_;
            return true;
        };
        if (i_ < s_.size() && s_[i_] == '-') ++i_;
        if (i_ < s_.size() && s_[i_] == '0') ++i_;
        else if (!digits()) return false;
        if (i_ < s_.size() && s_[i_] == '.') {
            ++i_;
            if (!digits()) return false;
        }
        if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
            ++i_;
            if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
            if (!digits()) return false;
        }
        return true;
    }

    std::string_view s_;
    std::size_t i_ = 0;
};

bool
read_properties(scanner& sc, const std::vector<std::string>& keep, record& r)
{
    if (!sc.consume('{')) return false;
    if (sc.consume('}')) return true;
    std::vector<std::string_view> seen;
    do {
        std::string_view key;
        if (!sc.plain_string(key) || !sc.consume(':')) return false;
        if (std::find(keep.begin(), keep.end(), key) == keep.end()) {
            if (!sc.skip_value()) return false;
            continue;
        }
        // A repeated key: the general parser's rule (the last wins) applies.
        if (std::find(seen.begin(), seen.end(), key) != seen.end()) return false;
        seen.push_back(key);
        if (sc.peek('n')) {
            if (!sc.word("null")) return false;  // a NULL value: absent, as parse_record has it
            continue;
        }
        std::string_view value;
        if (!sc.plain_string(value)) return false;
        r.properties[std::string(key)] = std::string(value);
    } while (sc.consume(','));
    return sc.consume('}');
}

bool
read_record(scanner& sc, const std::vector<std::string>& keep, record& r)
{
    if (!sc.consume('{')) return false;
    if (sc.consume('}')) return true;
    bool seen_id = false, seen_new = false, seen_properties = false, seen_trace = false;
    auto first = [](bool& seen) { return !std::exchange(seen, true); };
    do {
        std::string_view key;
        if (!sc.plain_string(key) || !sc.consume(':')) return false;
        // A repeated member the writer reads: the general parser's rule (the last wins) applies.
        if ((key == "id" && !first(seen_id)) || (key == "new" && !first(seen_new)) ||
            (key == "properties" && !first(seen_properties)) || (key == "objectWriteTraceId" && !first(seen_trace)))
            return false;
        if (key == "id") {
            std::string_view id;
            if (!sc.plain_string(id)) return false;
            r.id = std::string(id);
        } else if (key == "new") {
            if (sc.word("true")) r.created = true;
            else if (sc.word("false")) r.created = false;
            else if (!sc.skip_value()) return false;
        } else if (key == "properties") {
            if (!read_properties(sc, keep, r)) return false;
        } else if (key == "objectWriteTraceId") {
            std::string_view trace;
            if (!sc.plain_string(trace)) return false;
            r.trace_id = std::string(trace);
        } else if (!sc.skip_value()) {
            return false;
        }
    } while (sc.consume(','));
    return sc.consume('}');
}
}  // namespace

bool
scan_batch_results(std::string_view body, const std::vector<std::string>& keep, std::vector<record>& out)
{
    scanner sc(body);
    bool seen_results = false;
    if (!sc.consume('{')) return false;
    if (sc.consume('}')) return sc.at_end();
    do {
        std::string_view key;
        if (!sc.plain_string(key) || !sc.consume(':')) return false;
        if (key == "errors") return false;
        if (key != "results") {
            if (!sc.skip_value()) return false;
            continue;
        }
        if (seen_results) return false;  // a repeated key: the general parser's rule (the last wins) applies
        seen_results = true;
        if (!sc.consume('[')) return false;
        if (sc.consume(']')) continue;
        do {
            record r;
            if (!read_record(sc, keep, r)) return false;
            out.push_back(std::move(r));
        } while (sc.consume(','));
        if (!sc.consume(']')) return false;
    } while (sc.consume(','));
    return sc.consume('}') && sc.at_end();
}

}  // namespace hubsync::hubspot
