#include "sync/value_conversion.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdint>
#include <vector>

namespace hubsync::sync {

namespace {

using hubspot::property_info;

// hubspot-api.md §2.5. HubSpot is a Java service, so its "characters" are UTF-16 code units.
constexpr std::size_t max_string_units = 65'536;
constexpr std::size_t max_shown_bytes = 100;
constexpr std::size_t max_listed_options = 10;
// Enough for any double written out in full (1e-323 is ~330 characters); longer is a model bug, not a number a
// CRM field means to hold.
constexpr std::size_t max_number_length = 400;
constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t us_per_day = 86'400 * us_per_second;
constexpr std::int64_t ms_per_day = 86'400'000;
// Epoch seconds of the present (~1.7e9) read as milliseconds land in January 1970. Below 1e11 ms (1973-03-03) a
// number is far likelier seconds than milliseconds, and silently writing 1970 into every record is worse than an
// error the user fixes with to_timestamp() in the model SQL.
constexpr std::int64_t min_epoch_ms = 100'000'000'000;
constexpr std::int64_t max_epoch_ms = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

// Locale-independent on purpose: <cctype> follows the global locale and is undefined for negative chars.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view
trim(std::string_view s)
{
    while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
    while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
    return s;
}

bool
iequals(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (to_lower(a[i]) != to_lower(b[i])) return false;
    return true;
}

std::int64_t
floor_div(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

//------------------------------------------------------------------------------
// Property types

enum class target { string, number, boolean, date, datetime, enumeration };

target
target_of(const property_info& p)
{
    if (p.type == "number") return target::number;
    if (p.type == "bool") return target::boolean;
    if (p.type == "date") return target::date;
    if (p.type == "datetime") return target::datetime;
    if (p.type == "enumeration") return target::enumeration;
    // string, phone_number, and types HubSpot may add later: text is what they all accept.
    return target::string;
}

// HubSpot's only multi-select field type; select, radio and booleancheckbox hold one option.
bool
is_multi_select(const property_info& p)
{
    return p.field_type == "checkbox";
}

std::string_view
kind_phrase(column_kind k)
{
    switch (k) {
    case column_kind::text: return "a text column";
    case column_kind::integer: return "an integer column";
    case column_kind::numeric: return "a numeric column";
    case column_kind::floating: return "a floating-point column";
    case column_kind::boolean: return "a boolean column";
    case column_kind::date: return "a date column";
    case column_kind::timestamp_tz: return "a timestamp with time zone column";
    case column_kind::timestamp: return "a timestamp column";
    case column_kind::json: return "a json column";
    case column_kind::array: return "an array column";
    case column_kind::other: break;
    }
    return "a column of this type";
}

struct mismatch {
    bool refused = false;
    std::string_view hint;  // how to fix it in the model SQL; may be empty
};

mismatch
check_kind(column_kind k, target t, bool multi)
{
    using K = column_kind;
    switch (t) {
    case target::string:
        return {};
    case target::number:
        switch (k) {
        case K::text: case K::integer: case K::numeric: case K::floating: return {};
        case K::boolean: return {true, "use col::int in the model SQL to send 1/0"};
        case K::json: return {true, "extract a value in the model SQL, e.g. (col->>'key')::numeric"};
        case K::other: return {true, "cast it in the model SQL, e.g. col::numeric"};
        case K::timestamp_tz: case K::timestamp:
            return {true, "use extract(epoch from col) * 1000 in the model SQL for epoch milliseconds"};
        default: return {true, {}};
        }
    case target::boolean:
        switch (k) {
        case K::text: case K::integer: case K::boolean: return {};
        case K::numeric: case K::floating: return {true, "compare it in the model SQL, e.g. col <> 0"};
        case K::json: return {true, "extract a value in the model SQL, e.g. (col->>'key')::boolean"};
        case K::other: return {true, "cast it in the model SQL, e.g. col::boolean"};
        default: return {true, {}};
        }
    case target::date:
    case target::datetime:
        switch (k) {
        case K::text: case K::integer: case K::date: case K::timestamp_tz: case K::timestamp: return {};
        case K::json: return {true, "extract a value in the model SQL, e.g. (col->>'key')::timestamptz"};
        case K::other: return {true, "cast it in the model SQL, e.g. col::timestamptz"};
        default: return {true, {}};
        }
    case target::enumeration:
        switch (k) {
        case K::text: case K::integer: case K::numeric: case K::floating: case K::boolean: case K::date:
        case K::other:
            return {};
        case K::array:
        case K::json:
            if (multi) return {};
            return {true, "only multi-select (checkbox) properties take several values"};
        case K::timestamp_tz: case K::timestamp: return {true, "cast it to text or date in the model SQL"};
        }
    }
    return {true, {}};
}

std::string
mismatch_text(column_kind k, const property_info& p, std::string_view hint)
{
    std::string out;
    out.append(kind_phrase(k)).append(" cannot feed ").append(p.type).append(" property ").append(p.name);
    if (!hint.empty()) out.append("; ").append(hint);
    return out;
}

//------------------------------------------------------------------------------
// Errors

// At most max_shown_bytes of the value, cut on a UTF-8 character boundary so the message stays valid text.
void
append_shown(std::string& out, std::string_view v)
{
    if (v.size() <= max_shown_bytes) {
        out.append(v);
        return;
    }
    std::size_t n = max_shown_bytes;
    while (n > 0 && (static_cast<unsigned char>(v[n]) & 0xC0) == 0x80) --n;
    out.append(v.substr(0, n)).append("…");
}

converted
fail(std::string_view column, std::string_view value, std::string_view problem, const property_info& p,
     std::string_view detail = {})
{
    converted out;
    auto& e = out.error;
    e.reserve(48 + column.size() + std::min(value.size(), max_shown_bytes) + problem.size() + p.name.size() +
              detail.size());
    e.append("column ").append(column).append(": '");
    append_shown(e, value);
    e.append("' ").append(problem).append(" for property ").append(p.name).append(" (").append(p.type).append(")");
    if (!detail.empty()) e.append("; ").append(detail);
    return out;
}

converted
sent(std::string value)
{
    converted out;
    out.value = std::move(value);
    return out;
}

//------------------------------------------------------------------------------
// Numbers

enum class number_status { ok, not_a_number, not_finite, too_long };

// Canonical plain decimal: no '+', no exponent, no leading zeros before the point, no trailing zeros after it,
// "-0" as "0". Exponents are applied by moving the point, so the result is exact.
number_status
canonical_number(std::string_view s, std::string& out)
{
    std::size_t i = 0;
    const std::size_t n = s.size();
    bool negative = false;
    if (i < n && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
    const auto rest = s.substr(i);
    if (iequals(rest, "infinity") || iequals(rest, "inf") || iequals(rest, "nan")) return number_status::not_finite;

    const std::size_t int_begin = i;
    while (i < n && is_digit(s[i])) ++i;
    const std::size_t int_len = i - int_begin;
    std::size_t frac_begin = i, frac_len = 0;
    if (i < n && s[i] == '.') {
        frac_begin = ++i;
        while (i < n && is_digit(s[i])) ++i;
        frac_len = i - frac_begin;
    }
    if (int_len + frac_len == 0) return number_status::not_a_number;
    std::int64_t exponent = 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        ++i;
        bool exp_negative = false;
        if (i < n && (s[i] == '+' || s[i] == '-')) exp_negative = s[i++] == '-';
        const std::size_t exp_begin = i;
        // Saturating: anything this large is refused as too long below, and must not overflow on the way.
        for (; i < n && is_digit(s[i]); ++i)
            if (exponent < 1'000'000) exponent = exponent * 10 + (s[i] - '0');
        if (i == exp_begin) return number_status::not_a_number;
        if (exp_negative) exponent = -exponent;
    }
    if (i != n) return number_status::not_a_number;

    // The digits as one sequence int ++ frac, without copying them.
    const std::size_t total = int_len + frac_len;
    auto digit = [&](std::size_t k) { return k < int_len ? s[int_begin + k] : s[frac_begin + (k - int_len)]; };
    std::size_t first = 0;
    while (first < total && digit(first) == '0') ++first;
    out.clear();
    if (first == total) {
        out.push_back('0');
        return number_status::ok;
    }
    std::size_t last = total;
    while (digit(last - 1) == '0') --last;
    const auto significant = static_cast<std::int64_t>(last - first);
    // Where the decimal point falls, counted in significant digits from the first one.
    const std::int64_t point = static_cast<std::int64_t>(int_len) + exponent - static_cast<std::int64_t>(first);

    std::int64_t length = negative ? 1 : 0;
    if (point <= 0) length += 2 - point + significant;
    else if (point >= significant) length += point;
    else length += significant + 1;
    if (length > static_cast<std::int64_t>(max_number_length)) return number_status::too_long;

    out.reserve(static_cast<std::size_t>(length));
    if (negative) out.push_back('-');
    if (point <= 0) {
        out.append("0.");
        out.append(static_cast<std::size_t>(-point), '0');
        for (std::size_t k = first; k < last; ++k) out.push_back(digit(k));
    } else {
        for (std::int64_t k = 0; k < significant; ++k) {
            if (k == point) out.push_back('.');
            out.push_back(digit(first + static_cast<std::size_t>(k)));
        }
        if (point > significant) out.append(static_cast<std::size_t>(point - significant), '0');
    }
    return number_status::ok;
}

//------------------------------------------------------------------------------
// Booleans

std::optional<bool>
parse_bool(std::string_view s)
{
    // PostgreSQL's own boolean spellings (without its prefix forms), plus 1/0.
    for (std::string_view yes : {"true", "t", "yes", "y", "on", "1"})
        if (iequals(s, yes)) return true;
    for (std::string_view no : {"false", "f", "no", "n", "off", "0"})
        if (iequals(s, no)) return false;
    return std::nullopt;
}

//------------------------------------------------------------------------------
// Dates and times

struct instant {
    std::int64_t us = 0;      // microseconds since the epoch, UTC
    int fraction_digits = 0;  // as written, at most 6
    bool has_time = false;
};

bool
read_digits(std::string_view s, std::size_t& i, std::size_t count, int& out)
{
    if (s.size() - i < count) return false;
    int v = 0;
    for (std::size_t k = 0; k < count; ++k) {
        if (!is_digit(s[i + k])) return false;
        v = v * 10 + (s[i + k] - '0');
    }
    out = v;
    i += count;
    return true;
}

bool
skip_char(std::string_view s, std::size_t& i, char c)
{
    if (i < s.size() && s[i] == c) {
        ++i;
        return true;
    }
    return false;
}

std::optional<std::int64_t>
days_from_civil(int y, int m, int d)
{
    using namespace std::chrono;
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd}.time_since_epoch().count();
}

// ISO-8601 as PostgreSQL prints it with DateStyle=ISO and as people write it: YYYY-MM-DD, optionally followed by
// 'T' or ' ', HH:MM[:SS[.fraction]] and an offset (Z, ±HH, ±HH:MM, ±HHMM, ±HH:MM:SS; none = UTC). Years outside
// 0001-9999, "BC", "infinity" and 24:00 are not instants HubSpot can hold, so they do not parse.
std::optional<instant>
parse_instant(std::string_view s)
{
    std::size_t i = 0;
    int y = 0, mo = 0, d = 0;
    if (!read_digits(s, i, 4, y) || !skip_char(s, i, '-') || !read_digits(s, i, 2, mo) || !skip_char(s, i, '-') ||
        !read_digits(s, i, 2, d) || y < 1)
        return std::nullopt;
    const auto days = days_from_civil(y, mo, d);
    if (!days) return std::nullopt;

    instant out;
    std::int64_t seconds = *days * 86'400;
    std::int64_t fraction_us = 0;
    if (i < s.size() && (s[i] == 'T' || s[i] == 't' || s[i] == ' ')) {
        ++i;
        int h = 0, mi = 0, sec = 0;
        if (!read_digits(s, i, 2, h) || !skip_char(s, i, ':') || !read_digits(s, i, 2, mi)) return std::nullopt;
        if (skip_char(s, i, ':')) {
            if (!read_digits(s, i, 2, sec)) return std::nullopt;
            if (i < s.size() && (s[i] == '.' || s[i] == ',')) {
                const std::size_t begin = ++i;
                std::int64_t scale = 100'000;  // digits past the sixth add nothing: microseconds are enough
                for (; i < s.size() && is_digit(s[i]); ++i, scale /= 10) fraction_us += (s[i] - '0') * scale;
                if (i == begin) return std::nullopt;
                out.fraction_digits = static_cast<int>(std::min<std::size_t>(i - begin, 6));
            }
        }
        if (h > 23 || mi > 59 || sec > 59) return std::nullopt;
        seconds += h * 3600 + mi * 60 + sec;
        out.has_time = true;
        while (i < s.size() && s[i] == ' ') ++i;
    }
    if (i < s.size()) {
        if (!out.has_time) return std::nullopt;
        if (s[i] == 'Z' || s[i] == 'z') {
            ++i;
        } else if (s[i] == '+' || s[i] == '-') {
            const int sign = s[i++] == '-' ? -1 : 1;
            int oh = 0, om = 0, os = 0;
            if (!read_digits(s, i, 2, oh)) return std::nullopt;
            const bool colon = skip_char(s, i, ':');
            if (colon || (i < s.size() && is_digit(s[i]))) {
                if (!read_digits(s, i, 2, om)) return std::nullopt;
                // PostgreSQL prints historical offsets with seconds (LMT, e.g. +05:53:28).
                if (colon ? skip_char(s, i, ':') : (i < s.size() && is_digit(s[i])))
                    if (!read_digits(s, i, 2, os)) return std::nullopt;
            }
            if (oh > 18 || om > 59 || os > 59) return std::nullopt;
            seconds -= sign * (oh * 3600 + om * 60 + os);
        } else {
            return std::nullopt;
        }
    }
    if (i != s.size()) return std::nullopt;
    out.us = seconds * us_per_second + fraction_us;
    return out;
}

void
put_digits(std::string& out, std::int64_t v, int width)
{
    char buf[8];
    for (int k = width - 1; k >= 0; --k, v /= 10) buf[k] = static_cast<char>('0' + v % 10);
    out.append(buf, static_cast<std::size_t>(width));
}

// YYYY-MM-DD of a day since the epoch; false when its year is outside 0001-9999 (an offset can push a valid local
// time there).
bool
append_date(std::string& out, std::int64_t days)
{
    using namespace std::chrono;
    const year_month_day ymd{sys_days{std::chrono::days{days}}};
    const int y = static_cast<int>(ymd.year());
    if (y < 1 || y > 9999) return false;
    put_digits(out, y, 4);
    out.push_back('-');
    put_digits(out, static_cast<unsigned>(ymd.month()), 2);
    out.push_back('-');
    put_digits(out, static_cast<unsigned>(ymd.day()), 2);
    return true;
}

// YYYY-MM-DDTHH:MM:SS[.f…]Z with `fraction_digits` digits, the rest dropped (not rounded, which could carry into
// the next day).
bool
append_datetime(std::string& out, std::int64_t us, int fraction_digits)
{
    const std::int64_t days = floor_div(us, us_per_day);
    const std::int64_t of_day = us - days * us_per_day;
    if (!append_date(out, days)) return false;
    const std::int64_t secs = of_day / us_per_second;
    out.push_back('T');
    put_digits(out, secs / 3600, 2);
    out.push_back(':');
    put_digits(out, secs / 60 % 60, 2);
    out.push_back(':');
    put_digits(out, secs % 60, 2);
    if (fraction_digits > 0) {
        std::int64_t fraction = of_day % us_per_second;
        for (int k = fraction_digits; k < 6; ++k) fraction /= 10;
        out.push_back('.');
        put_digits(out, fraction, fraction_digits);
    }
    out.push_back('Z');
    return true;
}

bool
is_epoch_text(std::string_view s)
{
    if (!s.empty() && s.front() == '-') s.remove_prefix(1);
    if (s.empty()) return false;
    for (char c : s)
        if (!is_digit(c)) return false;
    return true;
}

std::optional<std::int64_t>
parse_epoch_ms(std::string_view s)
{
    std::int64_t v = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || end != s.data() + s.size() || v < min_epoch_ms || v > max_epoch_ms) return std::nullopt;
    return v;
}

constexpr std::string_view epoch_hint =
    "HubSpot takes epoch milliseconds; numbers below 1e11 (1973-03-03) look like epoch seconds: convert those in "
    "the model SQL with to_timestamp(col)";

bool
is_infinite(std::string_view s)
{
    return iequals(s, "infinity") || iequals(s, "-infinity") || iequals(s, "+infinity");
}

//------------------------------------------------------------------------------
// JSON arrays (array columns arrive as array_to_json text)

enum class json_type { string, number, boolean_true, boolean_false, null, nested };

struct json_item {
    json_type type;
    std::string_view text;  // strings unescaped (may point into the scratch buffer); others as written
};

void
skip_ws(std::string_view s, std::size_t& i)
{
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r')) ++i;
}

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

enum class walk { done, malformed, stopped };

// Calls f(json_item) for each element of a JSON array; f returns false to stop early.
template <class F>
walk
for_each_json_element(std::string_view s, F&& f)
{
    std::string scratch;
    std::size_t i = 0;
    skip_ws(s, i);
    if (!skip_char(s, i, '[')) return walk::malformed;
    skip_ws(s, i);
    if (!skip_char(s, i, ']')) {
        for (;;) {
            skip_ws(s, i);
            json_item item{};
            if (!read_json_value(s, i, scratch, item)) return walk::malformed;
            if (!f(item)) return walk::stopped;
            skip_ws(s, i);
            if (skip_char(s, i, ',')) continue;
            if (skip_char(s, i, ']')) break;
            return walk::malformed;
        }
    }
    skip_ws(s, i);
    return i == s.size() ? walk::done : walk::malformed;
}

//------------------------------------------------------------------------------
// Conversions by property type

std::size_t
utf16_units(std::string_view s)
{
    std::size_t n = 0;
    for (const char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c & 0xC0) != 0x80) n += c >= 0xF0 ? 2 : 1;  // 4-byte sequences are surrogate pairs
    }
    return n;
}

converted
to_string(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    std::string out;
    switch (kind) {
    case column_kind::boolean:
        if (const auto b = parse_bool(v)) out = *b ? "true" : "false";
        else out = v;
        break;
    case column_kind::timestamp_tz:
    case column_kind::timestamp:
        // "infinity" or a BC date is still meaningful text, so it goes as PostgreSQL printed it.
        if (const auto t = parse_instant(v); !t || !append_datetime(out, t->us, t->fraction_digits)) out = v;
        break;
    case column_kind::array: {
        out.reserve(v.size());
        const auto r = for_each_json_element(v, [&out](const json_item& e) {
            if (e.type == json_type::null) return true;
            if (!out.empty()) out.append(", ");
            if (e.type == json_type::boolean_true) out.append("true");
            else if (e.type == json_type::boolean_false) out.append("false");
            else out.append(e.text);
            return true;
        });
        if (r != walk::done) return fail(column, v, "is not a JSON array", p);
        break;
    }
    default:
        out = v;
    }
    if (out.size() > max_string_units) {
        const auto units = utf16_units(out);
        if (units > max_string_units)
            return fail(column, out, "is longer than the 65,536 characters HubSpot takes", p,
                        "it has " + std::to_string(units));
    }
    return sent(std::move(out));
}

converted
to_number(std::string_view column, std::string_view v, const property_info& p)
{
    converted out;
    switch (canonical_number(v, out.value)) {
    case number_status::ok: return out;
    case number_status::not_finite: return fail(column, v, "is not a finite number", p);
    case number_status::too_long:
        return fail(column, v, "is too long to send as a number", p,
                    "HubSpot takes plain decimals; this one would have more than 400 characters");
    case number_status::not_a_number: break;
    }
    return fail(column, v, "is not a number", p);
}

converted
to_bool(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    const auto b = parse_bool(v);
    if (kind == column_kind::integer && !b) return fail(column, v, "is not 0 or 1", p);
    if (!b) return fail(column, v, "is not a boolean (true/false, yes/no, 1/0)", p);
    return sent(*b ? "true" : "false");
}

converted
to_date(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    if (is_infinite(v)) return fail(column, v, "is not a finite date", p);
    std::string out;
    out.reserve(10);
    if (kind == column_kind::integer || (kind == column_kind::text && is_epoch_text(v))) {
        const auto ms = parse_epoch_ms(v);
        if (!ms) return fail(column, v, "is not a date in epoch milliseconds", p, epoch_hint);
        if (*ms % ms_per_day != 0)
            return fail(column, v, "is not at midnight UTC", p,
                        "HubSpot date properties hold a day, sent as its midnight UTC");
        append_date(out, *ms / ms_per_day);
        return sent(std::move(out));
    }
    const auto t = parse_instant(v);
    if (!t) return fail(column, v, "is not a date (YYYY-MM-DD, years 0001-9999)", p);
    if (floor_div(t->us, us_per_day) * us_per_day != t->us)
        return fail(column, v, "is not at midnight UTC", p,
                    "HubSpot date properties hold a day; convert the value to a date in the model SQL, e.g. "
                    "(col at time zone 'UTC')::date");
    if (!append_date(out, floor_div(t->us, us_per_day)))
        return fail(column, v, "is outside the years 0001-9999 in UTC", p);
    return sent(std::move(out));
}

converted
to_datetime(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    if (is_infinite(v)) return fail(column, v, "is not a finite datetime", p);
    std::string out;
    out.reserve(24);
    if (kind == column_kind::integer || (kind == column_kind::text && is_epoch_text(v))) {
        const auto ms = parse_epoch_ms(v);
        if (!ms) return fail(column, v, "is not a datetime in epoch milliseconds", p, epoch_hint);
        append_datetime(out, *ms * 1000, 3);
        return sent(std::move(out));
    }
    const auto t = parse_instant(v);
    if (!t) return fail(column, v, "is not an ISO-8601 datetime (years 0001-9999)", p);
    if (!append_datetime(out, t->us, 3)) return fail(column, v, "is outside the years 0001-9999 in UTC", p);
    return sent(std::move(out));
}

// The option to send for `v`: exact, else the single ASCII case-insensitive match. nullptr when there is none;
// `ambiguous` when several options differ only in case and none equals `v`.
const std::string*
match_option(const std::vector<std::string>& options, std::string_view v, bool& ambiguous)
{
    ambiguous = false;
    for (const auto& o : options)
        if (o == v) return &o;
    const std::string* found = nullptr;
    for (const auto& o : options) {
        if (!iequals(o, v)) continue;
        if (found && *found != o) {
            ambiguous = true;
            return nullptr;
        }
        found = &o;
    }
    return found;
}

std::string
allowed_list(const std::vector<std::string>& options)
{
    std::string out = "allowed: ";
    const std::size_t shown = std::min(options.size(), max_listed_options);
    for (std::size_t k = 0; k < shown; ++k) {
        if (k) out.append(", ");
        out.append(options[k]);
    }
    if (options.size() > shown) out.append(", … and ").append(std::to_string(options.size() - shown)).append(" more");
    return out;
}

// Checks one enumeration value; on success sets `option` to the text to send.
std::optional<converted>
check_option(std::string_view column, std::string_view v, const property_info& p, std::string_view& option)
{
    if (p.options.empty()) {
        option = v;
        return std::nullopt;
    }
    bool ambiguous = false;
    const auto* o = match_option(p.options, v, ambiguous);
    if (ambiguous)
        return fail(column, v, "matches several options that differ only in case", p, allowed_list(p.options));
    if (!o) return fail(column, v, "is not an option", p, allowed_list(p.options));
    option = *o;
    return std::nullopt;
}

// Whether `joined` (';'-separated) already holds `token`.
bool
holds_token(std::string_view joined, std::string_view token)
{
    std::size_t i = 0;
    while (i <= joined.size()) {
        auto j = joined.find(';', i);
        if (j == std::string_view::npos) j = joined.size();
        if (joined.substr(i, j - i) == token) return true;
        i = j + 1;
    }
    return false;
}

// Element text of a scalar value for enumerations: booleans as HubSpot's bool option values.
std::string_view
enum_text(std::string_view v, column_kind kind)
{
    if (kind == column_kind::boolean)
        if (const auto b = parse_bool(v)) return *b ? "true" : "false";
    return v;
}

converted
to_enumeration(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    if (!is_multi_select(p)) {
        std::string_view option;
        if (auto e = check_option(column, enum_text(v, kind), p, option)) return std::move(*e);
        return sent(std::string(option));
    }

    std::string out;
    out.reserve(v.size());
    std::optional<converted> error;
    auto add = [&](std::string_view element) {
        element = trim(element);
        if (element.empty()) return true;
        std::string_view option;
        if ((error = check_option(column, element, p, option))) return false;
        if (!holds_token(out, option)) {
            if (!out.empty()) out.push_back(';');
            out.append(option);
        }
        return true;
    };
    // An element of an array is one value; a ';' inside it would make HubSpot read two.
    auto add_element = [&](const json_item& e) {
        switch (e.type) {
        case json_type::null: return true;
        case json_type::boolean_true: return add("true");
        case json_type::boolean_false: return add("false");
        case json_type::nested:
            error = fail(column, e.text, "is not a single value (nested arrays and objects cannot be options)", p);
            return false;
        default:
            if (e.text.find(';') != std::string_view::npos) {
                error = fail(column, e.text, "contains ';', which HubSpot reads as a separator of options", p);
                return false;
            }
            return add(e.text);
        }
    };

    if (kind == column_kind::array || (kind == column_kind::json && !trim(v).empty() && trim(v).front() == '[')) {
        if (for_each_json_element(v, add_element) == walk::malformed)
            return fail(column, v, "is not a JSON array", p);
    } else if (kind == column_kind::json) {
        std::string scratch;
        json_item item{};
        std::size_t i = 0;
        const auto t = trim(v);
        if (!read_json_value(t, i, scratch, item) || i != t.size()) return fail(column, v, "is not valid JSON", p);
        add_element(item);
    } else {
        // Text is HubSpot's own multi-select notation. Separators are re-joined so the value never starts with
        // ';', which HubSpot would read as "append to the current options" rather than "set exactly these".
        std::string_view rest = enum_text(v, kind);
        for (;;) {
            const auto j = rest.find(';');
            if (!add(rest.substr(0, j))) break;
            if (j == std::string_view::npos) break;
            rest.remove_prefix(j + 1);
        }
    }
    if (error) return std::move(*error);
    return sent(std::move(out));
}

}  // namespace

//------------------------------------------------------------------------------

column_kind
kind_of(std::string_view pg_type)
{
    // Type modifiers ("numeric(12,2)", "timestamp(3) with time zone") do not change how values print.
    std::string t;
    t.reserve(pg_type.size());
    int depth = 0;
    for (const char c : trim(pg_type)) {
        if (c == '(') ++depth;
        else if (c == ')') depth -= depth > 0;
        else if (depth == 0) t.push_back(to_lower(c));
    }
    if (t.size() > 2 && t.ends_with("[]")) return column_kind::array;

    struct entry {
        std::string_view name;
        column_kind kind;
    };
    static constexpr entry names[] = {
        {"text", column_kind::text},
        {"character varying", column_kind::text},
        {"varchar", column_kind::text},
        {"character", column_kind::text},
        {"char", column_kind::text},
        {"bpchar", column_kind::text},
        {"\"char\"", column_kind::text},
        {"name", column_kind::text},
        {"citext", column_kind::text},
        {"smallint", column_kind::integer},
        {"integer", column_kind::integer},
        {"bigint", column_kind::integer},
        {"int2", column_kind::integer},
        {"int4", column_kind::integer},
        {"int8", column_kind::integer},
        {"int", column_kind::integer},
        {"numeric", column_kind::numeric},
        {"decimal", column_kind::numeric},
        {"real", column_kind::floating},
        {"double precision", column_kind::floating},
        {"float4", column_kind::floating},
        {"float8", column_kind::floating},
        {"boolean", column_kind::boolean},
        {"bool", column_kind::boolean},
        {"date", column_kind::date},
        {"timestamp with time zone", column_kind::timestamp_tz},
        {"timestamptz", column_kind::timestamp_tz},
        {"timestamp without time zone", column_kind::timestamp},
        {"timestamp", column_kind::timestamp},
        {"json", column_kind::json},
        {"jsonb", column_kind::json},
    };
    for (const auto& e : names)
        if (t == e.name) return e.kind;
    // citext is an extension type, printed schema-qualified when its schema is not on the search path.
    if (t.ends_with(".citext")) return column_kind::text;
    return column_kind::other;
}

converted
convert_value(std::string_view column, std::optional<std::string_view> raw, column_kind kind,
              const hubspot::property_info& p)
{
    if (!raw) return {};
    const auto t = target_of(p);
    if (const auto m = check_kind(kind, t, is_multi_select(p)); m.refused) {
        converted out;
        out.error.append("column ").append(column).append(": ").append(mismatch_text(kind, p, m.hint));
        return out;
    }
    if (t == target::string) return to_string(column, *raw, kind, p);
    // For typed properties surrounding blanks carry no meaning (PostgreSQL's own casts ignore them), and an empty
    // value is "no value": HubSpot cannot tell an empty property from an unset one anyway.
    const auto v = trim(*raw);
    if (v.empty()) return {};
    switch (t) {
    case target::number: return to_number(column, v, p);
    case target::boolean: return to_bool(column, v, kind, p);
    case target::date: return to_date(column, v, kind, p);
    case target::datetime: return to_datetime(column, v, kind, p);
    case target::enumeration: return to_enumeration(column, v, kind, p);
    case target::string: break;
    }
    return to_string(column, *raw, kind, p);
}

std::optional<std::string>
type_mismatch(column_kind kind, const hubspot::property_info& p)
{
    const auto m = check_kind(kind, target_of(p), is_multi_select(p));
    if (!m.refused) return std::nullopt;
    return mismatch_text(kind, p, m.hint);
}

}  // namespace hubsync::sync
