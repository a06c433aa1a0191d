#include "sync/time_text.hpp"

#include "sync/value_text.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>

namespace hubsync::sync::detail {

namespace {

// Epoch seconds of the present (~1.7e9) read as milliseconds land in January 1970. Below 1e11 ms (1973-03-03) a
// number is far likelier seconds than milliseconds, and silently writing 1970 into every record is worse than an
// error the user fixes with to_timestamp() in the model SQL.
constexpr std::int64_t min_epoch_ms = 100'000'000'000;
constexpr std::int64_t max_epoch_ms = 253'402'300'799'999;  // 9999-12-31T23:59:59.999Z

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

std::optional<std::int64_t>
days_from_civil(int y, int m, int d)
{
    using namespace std::chrono;
    if (m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    const year_month_day ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return sys_days{ymd}.time_since_epoch().count();
}

void
put_digits(std::string& out, std::int64_t v, int width)
{
    char buf[8];
    for (int k = width - 1; k >= 0; --k, v /= 10) buf[k] = static_cast<char>('0' + v % 10);
    out.append(buf, static_cast<std::size_t>(width));
}

}  // namespace

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

bool
is_infinite(std::string_view s)
{
    return iequals(s, "infinity") || iequals(s, "-infinity") || iequals(s, "+infinity");
}

}  // namespace hubsync::sync::detail
