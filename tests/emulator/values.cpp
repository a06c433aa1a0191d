#include "tests/emulator/values.hpp"

#include "core/text.hpp"
#include "tests/emulator/time_format.hpp"

#include <cctype>
#include <cstdio>
#include <string_view>

namespace hubsync::emulator {

namespace {
bool
valid_number(const std::string& s)
{
    std::size_t i = 0, digits = 0, dots = 0;
    if (i < s.size() && (s[i] == '-' || s[i] == '+')) ++i;
    for (; i < s.size(); ++i) {
        if (s[i] == '.') {
            if (++dots > 1) return false;
        } else if (std::isdigit(static_cast<unsigned char>(s[i]))) {
            ++digits;
        } else {
            return false;
        }
    }
    return digits > 0;
}

bool
valid_email(const std::string& s)
{
    auto at = s.find('@');
    if (at == std::string::npos || at == 0 || s.find('@', at + 1) != std::string::npos) return false;
    const auto domain = std::string_view(s).substr(at + 1);
    const auto dot = domain.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == domain.size()) return false;
    for (char c : s)
        if (std::isspace(static_cast<unsigned char>(c))) return false;
    return true;
}

std::string
options_list(const property_def& p)
{
    std::string out = "[";
    for (std::size_t i = 0; i < p.options.size(); ++i) out += (i ? ", " : "") + p.options[i].value;
    return out + "]";
}

bool
has_option(const property_def& p, const std::string& v)
{
    for (const auto& o : p.options)
        if (o.value == v) return true;
    return false;
}

void
fail(property_error& err, const property_def& p, std::string code, std::string message)
{
    err.name = p.name;
    err.code = std::move(code);
    err.message = std::move(message);
}
}  // namespace

std::string
scalar_to_string(const nlohmann::json& v)
{
    if (v.is_string()) return v.get<std::string>();
    if (v.is_null()) return {};
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_number_integer()) return v.dump();
    if (v.is_number_float()) {
        double d = v.get<double>();
        // 12.0 → "12": HubSpot echoes numbers without a spurious fraction.
        if (d == static_cast<double>(static_cast<long long>(d)) && d < 1e15 && d > -1e15)
            return std::to_string(static_cast<long long>(d));
        return v.dump();
    }
    return v.dump();
}

std::string
lookup_key(const property_def* p, std::string value)
{
    if (p && p->lowercase) return core::ascii_lower(std::move(value));
    return value;
}

bool
normalize_value(const property_def& p, const nlohmann::json& v, const std::string* current, std::string& out,
                property_error& err)
{
    return normalize_string(p, scalar_to_string(v), current, out, err);
}

bool
normalize_string(const property_def& p, std::string s, const std::string* current, std::string& out,
                 property_error& err)
{
    if (s.empty()) {
        out.clear();
        return true;
    }
    // The type, told apart by its length first: a batch converts a thousand values.
    enum class kind { number, boolean, date, datetime, enumeration, text };
    const std::string& type = p.type;
    kind t = kind::text;
    switch (type.size()) {
    case 4: t = type == "bool" ? kind::boolean : type == "date" ? kind::date : kind::text; break;
    case 6: t = type == "number" ? kind::number : kind::text; break;
    case 8: t = type == "datetime" ? kind::datetime : kind::text; break;
    case 11: t = type == "enumeration" ? kind::enumeration : kind::text; break;
    default: break;
    }
    if (t == kind::number) {
        if (!valid_number(s)) {
            fail(err, p, "INVALID_INTEGER", s + " was not a valid number");
            return false;
        }
        out = std::move(s);
        return true;
    }
    if (t == kind::boolean) {
        auto l = core::ascii_lower(s);
        if (l != "true" && l != "false") {
            fail(err, p, "INVALID_OPTION", s + " was not one of the allowed options: [true, false]");
            return false;
        }
        out = std::move(l);
        return true;
    }
    if (t == kind::date) {
        auto ms = parse_instant(s);
        if (!ms) {
            fail(err, p, "INVALID_DATE", s + " was not a valid date");
            return false;
        }
        std::int64_t rem = *ms % 86'400'000;
        if (rem < 0) rem += 86'400'000;
        if (rem != 0) {
            char buf[64];
            std::snprintf(buf, sizeof buf, " is at %d:%d:%d.%d UTC, not midnight!", static_cast<int>(rem / 3'600'000),
                          static_cast<int>(rem / 60'000 % 60), static_cast<int>(rem / 1000 % 60),
                          static_cast<int>(rem % 1000));
            fail(err, p, "INVALID_DATE", s + buf);
            return false;
        }
        out = iso_date(*ms);
        return true;
    }
    if (t == kind::datetime) {
        auto ms = parse_instant(s);
        if (!ms) {
            fail(err, p, "INVALID_DATE", s + " was not a valid datetime");
            return false;
        }
        out = iso8601_ms(*ms);
        return true;
    }
    if (t == kind::enumeration) {
        if (p.field_type != "checkbox") {
            if (!has_option(p, s)) {
                fail(err, p, "INVALID_OPTION", s + " was not one of the allowed options: " + options_list(p));
                return false;
            }
            out = std::move(s);
            return true;
        }
        // Multi-select: ";"-separated; a leading ";" appends to the current values.
        std::vector<std::string> values;
        auto add = [&values](const std::string& x) {
            for (const auto& have : values)
                if (have == x) return;
            values.push_back(x);
        };
        if (s.front() == ';' && current) {
            std::size_t i = 0;
            while (i <= current->size()) {
                auto j = current->find(';', i);
                if (j == std::string::npos) j = current->size();
                if (j > i) add(current->substr(i, j - i));
                i = j + 1;
            }
        }
        std::size_t i = 0;
        while (i <= s.size()) {
            auto j = s.find(';', i);
            if (j == std::string::npos) j = s.size();
            if (j > i) {
                auto part = s.substr(i, j - i);
                if (!has_option(p, part)) {
                    fail(err, p, "INVALID_OPTION", part + " was not one of the allowed options: " + options_list(p));
                    return false;
                }
                add(part);
            }
            i = j + 1;
        }
        out.clear();
        for (std::size_t k = 0; k < values.size(); ++k) out += (k ? ";" : "") + values[k];
        return true;
    }
    // string, phone_number
    if (s.size() > 65'536) {
        fail(err, p, "INVALID_STRING", "Value of " + p.name + " is longer than 65536 characters");
        return false;
    }
    if (p.lowercase) {
        s = core::ascii_lower(std::move(s));
        if (p.name == "email" && !valid_email(s)) {
            fail(err, p, "INVALID_EMAIL", "Email address " + s + " is invalid");
            return false;
        }
    }
    out = std::move(s);
    return true;
}

}  // namespace hubsync::emulator
