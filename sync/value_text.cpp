#include "sync/value_text.hpp"

#include <cstdint>

namespace hubsync::sync::detail {

namespace {

// Enough for any double written out in full (1e-323 is ~330 characters); longer is a model bug, not a number a
// CRM field means to hold.
constexpr std::size_t max_number_length = 400;

// Locale-independent on purpose: <cctype> follows the global locale and is undefined for negative chars.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }

}  // namespace

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

bool
skip_char(std::string_view s, std::size_t& i, char c)
{
    if (i < s.size() && s[i] == c) {
        ++i;
        return true;
    }
    return false;
}

//------------------------------------------------------------------------------
// Errors

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

//------------------------------------------------------------------------------
// Numbers

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
// Lengths

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

}  // namespace hubsync::sync::detail
