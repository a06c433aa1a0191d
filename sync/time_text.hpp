#pragma once
// Internal to value conversion: reading and writing dates, timestamps and epoch milliseconds as text.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hubsync::sync::detail {

constexpr std::int64_t us_per_second = 1'000'000;
constexpr std::int64_t us_per_day = 86'400 * us_per_second;
constexpr std::int64_t ms_per_day = 86'400'000;

inline std::int64_t
floor_div(std::int64_t a, std::int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

struct instant {
    std::int64_t us = 0;      // microseconds since the epoch, UTC
    int fraction_digits = 0;  // as written, at most 6
    bool has_time = false;
};

// ISO-8601 as PostgreSQL prints it with DateStyle=ISO and as people write it: YYYY-MM-DD, optionally followed by
// 'T' or ' ', HH:MM[:SS[.fraction]] and an offset (Z, ±HH, ±HH:MM, ±HHMM, ±HH:MM:SS; none = UTC). Years outside
// 0001-9999, "BC", "infinity" and 24:00 are not instants HubSpot can hold, so they do not parse.
std::optional<instant>
parse_instant(std::string_view s);

// YYYY-MM-DD of a day since the epoch; false when its year is outside 0001-9999 (an offset can push a valid local
// time there).
bool
append_date(std::string& out, std::int64_t days);

// YYYY-MM-DDTHH:MM:SS[.f…]Z with `fraction_digits` digits, the rest dropped (not rounded, which could carry into
// the next day).
bool
append_datetime(std::string& out, std::int64_t us, int fraction_digits);

bool
is_epoch_text(std::string_view s);

std::optional<std::int64_t>
parse_epoch_ms(std::string_view s);

bool
is_infinite(std::string_view s);

}  // namespace hubsync::sync::detail
