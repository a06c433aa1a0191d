#pragma once

#include <bitset>
#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace hubsync::scheduler {

struct cron_parse_error {
    std::string message;  // human readable, e.g. "minute field: value 61 is out of range 0-59"
};

class cron_expression {
public:
    // Parses "m h dom mon dow" (standard 5 fields, whitespace separated). Supports *, numbers, ranges a-b, lists a,b,c,
    // steps */n and a-b/n and a/n (a/n means a through the field maximum), month names JAN-DEC and weekday names SUN-SAT
    // (case-insensitive), 0 and 7 both Sunday, and the macros @hourly @daily @midnight @weekly @monthly @yearly
    // @annually.
    static std::variant<cron_expression, cron_parse_error> parse(std::string_view text);

    // The first whole minute strictly after `after` (UTC) that matches. Standard Vixie cron day semantics: when both
    // day-of-month and day-of-week are restricted (neither field starts with '*'), a day matches if EITHER matches;
    // otherwise both must match. Returns std::nullopt if nothing matches within 5 years (e.g. "0 0 30 2 *").
    std::optional<std::chrono::system_clock::time_point> next_after(std::chrono::system_clock::time_point after) const;

    // The text exactly as it was given to parse().
    const std::string& text() const;

private:
    // Only parse() can build one, so every instance is guaranteed valid.
    cron_expression() = default;

    bool day_matches(std::chrono::sys_days day) const;
    // Minutes since midnight of the first matching time of day at or after `from`, if any.
    std::optional<int> first_time_of_day_from(int from) const;

    std::string text_;
    std::bitset<60> minutes_;
    std::bitset<24> hours_;
    std::bitset<32> days_of_month_;  // indexed by day 1-31; bit 0 unused
    std::bitset<13> months_;         // indexed by month 1-12; bit 0 unused
    std::bitset<7> days_of_week_;    // 0 = Sunday; a 7 in the text is folded into bit 0
    // Vixie cron decides between AND and OR day matching by whether the field text starts with '*', not by which days
    // the field ends up selecting, so "*/2" counts as unrestricted.
    bool day_of_month_star_ = false;
    bool day_of_week_star_ = false;
};

}  // namespace hubsync::scheduler
