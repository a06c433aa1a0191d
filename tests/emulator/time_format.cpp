#include "tests/emulator/time_format.hpp"

#include <cstdio>

namespace hubsync::emulator {

namespace {
// Howard Hinnant's civil-calendar algorithms (public domain): no timegm/locale dependence.
std::int64_t
days_from_civil(std::int64_t y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
    const auto yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

void
civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d)
{
    z += 719468;
    const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const auto doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    y = static_cast<std::int64_t>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    d = doy - (153 * mp + 2) / 5 + 1;
    m = mp < 10 ? mp + 3 : mp - 9;
    y += m <= 2;
}

std::int64_t
floor_div(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

bool
digits(std::string_view s, std::size_t pos, std::size_t n, int& out)
{
    if (pos + n > s.size()) return false;
    out = 0;
    for (std::size_t i = pos; i < pos + n; ++i) {
        if (s[i] < '0' || s[i] > '9') return false;
        out = out * 10 + (s[i] - '0');
    }
    return true;
}
}  // namespace

std::int64_t
to_epoch_ms(sys_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
}

sys_clock::time_point
from_epoch_ms(std::int64_t ms)
{
    return sys_clock::time_point(std::chrono::duration_cast<sys_clock::duration>(std::chrono::milliseconds(ms)));
}

std::string
iso8601(sys_clock::time_point t)
{
    return iso8601_ms(to_epoch_ms(t));
}

void
append_iso8601_ms(std::string& out, std::int64_t epoch_ms)
{
    std::int64_t days = floor_div(epoch_ms, 86'400'000);
    std::int64_t rem = epoch_ms - days * 86'400'000;
    std::int64_t y;
    unsigned m, d;
    civil_from_days(days, y, m, d);
    const auto h = static_cast<unsigned>(rem / 3'600'000), mi = static_cast<unsigned>(rem / 60'000 % 60),
               s = static_cast<unsigned>(rem / 1000 % 60), ms = static_cast<unsigned>(rem % 1000);
    if (y < 0 || y > 9999) {
        // Outside four digits the printf widths decide; snprintf keeps that exact.
        char buf[48];
        int n = std::snprintf(buf, sizeof buf, "%04lld-%02u-%02uT%02u:%02u:%02u.%03uZ", static_cast<long long>(y), m,
                              d, h, mi, s, ms);
        out.append(buf, static_cast<std::size_t>(n));
        return;
    }
    // snprintf was a visible share of a batch answer's cost; the digits are fixed-width here.
    char buf[] = "0000-00-00T00:00:00.000Z";
    auto put = [&buf](std::size_t at, unsigned v, int width) {
        for (int i = width - 1; i >= 0; --i, v /= 10)
            buf[at + static_cast<std::size_t>(i)] = static_cast<char>('0' + v % 10);
    };
    put(0, static_cast<unsigned>(y), 4);
    put(5, m, 2);
    put(8, d, 2);
    put(11, h, 2);
    put(14, mi, 2);
    put(17, s, 2);
    put(20, ms, 3);
    out.append(buf, sizeof buf - 1);
}

std::string
iso8601_ms(std::int64_t epoch_ms)
{
    std::string out;
    append_iso8601_ms(out, epoch_ms);
    return out;
}

std::string
iso_date(std::int64_t epoch_ms)
{
    return iso8601_ms(epoch_ms).substr(0, 10);
}

std::optional<std::int64_t>
parse_iso(std::string_view s)
{
    int y, mo, d;
    if (s.size() < 10 || !digits(s, 0, 4, y) || s[4] != '-' || !digits(s, 5, 2, mo) || s[7] != '-' ||
        !digits(s, 8, 2, d))
        return std::nullopt;
    if (mo < 1 || mo > 12 || d < 1 || d > 31) return std::nullopt;
    std::int64_t ms = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d)) * 86'400'000;
    if (s.size() == 10) return ms;
    if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
    int h, mi, sec = 0, frac = 0;
    if (!digits(s, 11, 2, h) || s.size() < 16 || s[13] != ':' || !digits(s, 14, 2, mi)) return std::nullopt;
    std::size_t pos = 16;
    if (pos < s.size() && s[pos] == ':') {
        if (!digits(s, pos + 1, 2, sec)) return std::nullopt;
        pos += 3;
        if (pos < s.size() && s[pos] == '.') {
            ++pos;
            int scale = 100;
            std::size_t start = pos;
            while (pos < s.size() && s[pos] >= '0' && s[pos] <= '9') {
                if (scale > 0) frac += (s[pos] - '0') * scale;
                scale /= 10;
                ++pos;
            }
            if (pos == start) return std::nullopt;
        }
    }
    if (h > 23 || mi > 59 || sec > 60) return std::nullopt;
    ms += ((h * 60 + mi) * 60 + sec) * 1000LL + frac;
    if (pos == s.size()) return ms;  // no zone: UTC, as HubSpot reads it
    if (s[pos] == 'Z' && pos + 1 == s.size()) return ms;
    if ((s[pos] == '+' || s[pos] == '-') && s.size() == pos + 6 && s[pos + 3] == ':') {
        int oh, om;
        if (!digits(s, pos + 1, 2, oh) || !digits(s, pos + 4, 2, om)) return std::nullopt;
        std::int64_t offset = (oh * 60 + om) * 60'000LL;
        return s[pos] == '+' ? ms - offset : ms + offset;
    }
    return std::nullopt;
}

std::optional<std::int64_t>
parse_epoch_ms(std::string_view s)
{
    if (s.empty() || s.size() > 18) return std::nullopt;
    std::size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size()) return std::nullopt;
    std::int64_t v = 0;
    for (; i < s.size(); ++i) {
        if (s[i] < '0' || s[i] > '9') return std::nullopt;
        v = v * 10 + (s[i] - '0');
    }
    return s[0] == '-' ? -v : v;
}

std::optional<std::int64_t>
parse_instant(std::string_view s)
{
    if (auto ms = parse_epoch_ms(s)) return ms;
    return parse_iso(s);
}

}  // namespace hubsync::emulator
