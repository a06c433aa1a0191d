#include "scheduler/cron.hpp"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <utility>
#include <vector>

namespace {

using hubsync::scheduler::cron_expression;
using hubsync::scheduler::cron_parse_error;
using time_point = std::chrono::system_clock::time_point;

// Test times are written as "YYYY-MM-DD HH:MM[:SS]" UTC so expectations read like a calendar, not epoch arithmetic.
time_point utc(const std::string& text) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    const int n = std::sscanf(text.c_str(), "%d-%d-%d %d:%d:%d", &y, &mo, &d, &h, &mi, &s);
    REQUIRE(n >= 5);
    const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(mo)},
                                          std::chrono::day{static_cast<unsigned>(d)}};
    REQUIRE(ymd.ok());
    return std::chrono::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

std::string format_utc(time_point tp) {
    using namespace std::chrono;
    // Every result must sit exactly on a minute boundary; checking it here covers all next_after tests.
    REQUIRE(tp == floor<minutes>(tp));
    const sys_days day = floor<days>(tp);
    const year_month_day ymd{day};
    const hh_mm_ss<minutes> time{floor<minutes>(tp - day)};
    char buf[64];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u %02ld:%02ld", static_cast<int>(ymd.year()),
                  static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()),
                  static_cast<long>(time.hours().count()), static_cast<long>(time.minutes().count()));
    return buf;
}

cron_expression parse_ok(const std::string& text) {
    auto parsed = cron_expression::parse(text);
    if (const auto* error = std::get_if<cron_parse_error>(&parsed)) FAIL("unexpected parse error: " << error->message);
    return std::get<cron_expression>(std::move(parsed));
}

std::string error_of(const std::string& text) {
    const auto parsed = cron_expression::parse(text);
    const auto* error = std::get_if<cron_parse_error>(&parsed);
    if (error == nullptr) return "<parsed successfully>";
    return error->message;
}

// The next `count` firings after `from`, chaining next_after; "none" marks where the search gave up.
std::vector<std::string> upcoming(const std::string& expression, const std::string& from, int count) {
    const cron_expression cron = parse_ok(expression);
    std::vector<std::string> out;
    time_point t = utc(from);
    for (int i = 0; i < count; ++i) {
        const auto next = cron.next_after(t);
        if (!next) {
            out.push_back("none");
            break;
        }
        REQUIRE(*next > t);
        out.push_back(format_utc(*next));
        t = *next;
    }
    return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("parse accepts valid expressions and keeps the text verbatim", "[cron]") {
    for (const std::string text : {"* * * * *", "0 0 1 1 0", "59 23 31 12 7", "*/5 1-5 1,15,31 JAN-jun/2 mon-FRI",
                                   "10/20 0-23/6 */3 * 0,7", "  \t*/5   *\t* * *\n", "@hourly", "@DAILY", "@Midnight",
                                   "@weekly", "@monthly", "@yearly", "@annually"}) {
        CAPTURE(text);
        CHECK(parse_ok(text).text() == text);
    }
}

TEST_CASE("parse reports precise errors", "[cron]") {
    const std::vector<std::pair<std::string, std::string>> cases{
        {"", "empty expression"},
        {" \t\n ", "empty expression"},
        {"* * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 3"},
        {"* * * * * *", "expected 5 fields (minute hour day-of-month month day-of-week), got 6"},
        {"61 * * * *", "minute field: value 61 is out of range 0-59"},
        {"* 24 * * *", "hour field: value 24 is out of range 0-23"},
        {"* * 0 * *", "day-of-month field: value 0 is out of range 1-31"},
        {"* * 32 * *", "day-of-month field: value 32 is out of range 1-31"},
        {"* * * 0 *", "month field: value 0 is out of range 1-12"},
        {"* * * 13 *", "month field: value 13 is out of range 1-12"},
        {"* * * * 8", "day-of-week field: value 8 is out of range 0-7"},
        {"1-70 * * * *", "minute field: value 70 is out of range 0-59"},
        {"99999999999999999999 * * * *", "minute field: value 99999999999999999999 is out of range 0-59"},
        {"*/0 * * * *", "minute field: step 0 is out of range 1-60"},
        {"* 1-10/0 * * *", "hour field: step 0 is out of range 1-24"},
        {"*/61 * * * *", "minute field: step 61 is out of range 1-60"},
        {"* * * * */8", "day-of-week field: step 8 is out of range 1-7"},
        {"30-10 * * * *", "minute field: range 30-10 is reversed (start must not exceed end)"},
        {"* * * DEC-JAN *", "month field: range DEC-JAN is reversed (start must not exceed end)"},
        {"* * * * FRI-SUN",
         "day-of-week field: range FRI-SUN is reversed (start must not exceed end); use 7 for Sunday at the end of a "
         "range"},
        {"5x * * * *", "minute field: unexpected character 'x' in \"5x\""},
        {"** * * * *", "minute field: unexpected character '*' in \"**\""},
        {"* * * * 1;2", "day-of-week field: unexpected character ';' in \"1;2\""},
        {"* * * * 1\x01", "day-of-week field: unexpected byte 0x01 in \"1\\x01\""},
        {"-5 * * * *", "minute field: missing value in \"-5\""},
        {"1- * * * *", "minute field: missing value in \"1-\""},
        {"1-2-3 * * * *", "minute field: unexpected character '-' in \"1-2-3\""},
        {"*/ * * * *", "minute field: missing step in \"*/\""},
        {"*/5/2 * * * *", "minute field: unexpected character '/' in \"*/5/2\""},
        {"* * * * */MON", "day-of-week field: unexpected character 'M' in \"*/MON\""},
        {"1,,2 * * * *", "minute field: empty element in list \"1,,2\""},
        {"* 1, * * *", "hour field: empty element in list \"1,\""},
        {"JAN * * * *", "minute field: names are not allowed here, got \"JAN\" (only month and day-of-week accept names)"},
        {"* * * FOO *", "month field: unknown name \"FOO\" (expected JAN-DEC)"},
        {"* * * * MONDAY", "day-of-week field: unknown name \"MONDAY\" (expected SUN-SAT)"},
        {"@reboot",
         "unknown macro \"@reboot\" (expected @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)"},
        {"@daily *", "macro @daily must be the whole expression, got 2 fields"},
        // The first bad field wins, in field order.
        {"60 24 * * *", "minute field: value 60 is out of range 0-59"},
    };
    for (const auto& [text, expected] : cases) {
        CAPTURE(text);
        CHECK(error_of(text) == expected);
    }
}

TEST_CASE("next_after with */15 returns quarter hours strictly after the given time", "[cron]") {
    CHECK(upcoming("*/15 * * * *", "2024-06-12 10:07:30", 4) ==
          strings{"2024-06-12 10:15", "2024-06-12 10:30", "2024-06-12 10:45", "2024-06-12 11:00"});
    // Exactly on a match is not "after" it.
    CHECK(upcoming("*/15 * * * *", "2024-06-12 10:15", 1) == strings{"2024-06-12 10:30"});
    // Sub-second remainders are dropped, not rounded up past the match.
    const auto cron = parse_ok("*/15 * * * *");
    const auto next = cron.next_after(utc("2024-06-12 10:14:59") + std::chrono::milliseconds{999});
    REQUIRE(next);
    CHECK(format_utc(*next) == "2024-06-12 10:15");
}

TEST_CASE("next_after for every minute steps one minute at a time", "[cron]") {
    CHECK(upcoming("* * * * *", "2024-06-12 10:07:00", 3) ==
          strings{"2024-06-12 10:08", "2024-06-12 10:09", "2024-06-12 10:10"});
}

TEST_CASE("next_after crosses hour and day boundaries", "[cron]") {
    CHECK(upcoming("0 * * * *", "2024-06-12 10:00", 2) == strings{"2024-06-12 11:00", "2024-06-12 12:00"});
    CHECK(upcoming("0 * * * *", "2024-06-12 23:00:01", 1) == strings{"2024-06-13 00:00"});
    CHECK(upcoming("@hourly", "2024-06-12 10:59:59", 1) == strings{"2024-06-12 11:00"});
    CHECK(upcoming("30 9 * * *", "2024-06-12 09:30", 2) == strings{"2024-06-13 09:30", "2024-06-14 09:30"});
}

TEST_CASE("next_after honours ranges, lists and steps", "[cron]") {
    CHECK(upcoming("5-20/5 * * * *", "2024-06-12 10:00", 5) ==
          strings{"2024-06-12 10:05", "2024-06-12 10:10", "2024-06-12 10:15", "2024-06-12 10:20", "2024-06-12 11:05"});
    // a/n runs from a to the end of the field.
    CHECK(upcoming("10/20 * * * *", "2024-06-12 10:00", 4) ==
          strings{"2024-06-12 10:10", "2024-06-12 10:30", "2024-06-12 10:50", "2024-06-12 11:10"});
    CHECK(upcoming("0 9-17/4 * * *", "2024-06-12 00:00", 4) ==
          strings{"2024-06-12 09:00", "2024-06-12 13:00", "2024-06-12 17:00", "2024-06-13 09:00"});
    CHECK(upcoming("1,2,59 * * * *", "2024-06-12 10:01", 3) ==
          strings{"2024-06-12 10:02", "2024-06-12 10:59", "2024-06-12 11:01"});
}

TEST_CASE("next_after skips months too short for the day of month", "[cron]") {
    CHECK(upcoming("0 0 31 * *", "2024-04-01 00:00", 4) ==
          strings{"2024-05-31 00:00", "2024-07-31 00:00", "2024-08-31 00:00", "2024-10-31 00:00"});
    CHECK(upcoming("59 23 30 * *", "2024-01-30 23:59", 2) == strings{"2024-03-30 23:59", "2024-04-30 23:59"});
}

TEST_CASE("next_after rolls over into the next year", "[cron]") {
    CHECK(upcoming("* * * * *", "2023-12-31 23:59", 1) == strings{"2024-01-01 00:00"});
    CHECK(upcoming("0 0 1 1 *", "2024-06-01 12:00", 2) == strings{"2025-01-01 00:00", "2026-01-01 00:00"});
    CHECK(upcoming("30 12 * DEC *", "2024-12-31 12:30", 1) == strings{"2025-12-01 12:30"});
}

TEST_CASE("next_after finds Feb 29 only in leap years", "[cron]") {
    CHECK(upcoming("0 0 29 2 *", "2023-03-01 00:00", 3) ==
          strings{"2024-02-29 00:00", "2028-02-29 00:00", "2032-02-29 00:00"});
    // 2100 is not a leap year, so the next Feb 29 after 2096 is in 2104: beyond the 5 year search horizon.
    CHECK(upcoming("0 0 29 2 *", "2096-03-01 00:00", 1) == strings{"none"});
}

TEST_CASE("next_after returns nullopt for dates that never exist", "[cron]") {
    CHECK_FALSE(parse_ok("0 0 30 2 *").next_after(utc("2024-01-01 00:00")).has_value());
    CHECK_FALSE(parse_ok("0 0 31 4,6,9,11 *").next_after(utc("2024-01-01 00:00")).has_value());
}

TEST_CASE("next_after ORs day-of-month and day-of-week when both are restricted", "[cron]") {
    // October 2024: the 1st is a Tuesday, the 13th a Sunday, Fridays are 4, 11, 18, 25.
    CHECK(upcoming("0 0 13 * 5", "2024-10-01 00:00", 6) ==
          strings{"2024-10-04 00:00", "2024-10-11 00:00", "2024-10-13 00:00", "2024-10-18 00:00", "2024-10-25 00:00",
                  "2024-11-01 00:00"});
    CHECK(upcoming("0 0 13 * FRI", "2024-10-01 00:00", 3) ==
          strings{"2024-10-04 00:00", "2024-10-11 00:00", "2024-10-13 00:00"});
    // Vixie decides on the text: 1-31 covers every day but is not '*', so OR applies and every day matches.
    CHECK(upcoming("0 0 1-31 * 5", "2024-10-01 00:00", 2) == strings{"2024-10-02 00:00", "2024-10-03 00:00"});
}

TEST_CASE("next_after ANDs the day fields when either starts with '*'", "[cron]") {
    CHECK(upcoming("0 0 13 * *", "2024-10-01 00:00", 2) == strings{"2024-10-13 00:00", "2024-11-13 00:00"});
    CHECK(upcoming("0 0 * * 5", "2024-10-01 00:00", 2) == strings{"2024-10-04 00:00", "2024-10-11 00:00"});
    // "*/2" starts with '*', so Vixie treats it as unrestricted and requires both: odd days that are Fridays.
    CHECK(upcoming("0 0 */2 * 5", "2024-10-01 00:00", 3) ==
          strings{"2024-10-11 00:00", "2024-10-25 00:00", "2024-11-01 00:00"});
}

TEST_CASE("next_after treats 0, 7 and SUN all as Sunday", "[cron]") {
    // 2024-06-12 is a Wednesday.
    const strings sundays{"2024-06-16 00:00", "2024-06-23 00:00"};
    for (const std::string expression : {"0 0 * * 0", "0 0 * * 7", "0 0 * * SUN", "0 0 * * sun", "@weekly"}) {
        CAPTURE(expression);
        CHECK(upcoming(expression, "2024-06-12 00:00", 2) == sundays);
    }
    CHECK(upcoming("0 0 * * 5-7", "2024-06-12 00:00", 4) ==
          strings{"2024-06-14 00:00", "2024-06-15 00:00", "2024-06-16 00:00", "2024-06-21 00:00"});
    CHECK(upcoming("0 0 * * fri-7", "2024-06-12 00:00", 3) ==
          strings{"2024-06-14 00:00", "2024-06-15 00:00", "2024-06-16 00:00"});
}

TEST_CASE("next_after understands month and weekday names", "[cron]") {
    // 2024-07-01 is a Monday; June is skipped entirely.
    CHECK(upcoming("30 9 * JAN,Jul Mon-fri", "2024-06-01 00:00", 3) ==
          strings{"2024-07-01 09:30", "2024-07-02 09:30", "2024-07-03 09:30"});
    CHECK(upcoming("0 0 1 feb-APR/2 *", "2024-01-15 00:00", 3) ==
          strings{"2024-02-01 00:00", "2024-04-01 00:00", "2025-02-01 00:00"});
}

TEST_CASE("macros behave like their expansions", "[cron]") {
    const std::vector<std::pair<std::string, std::string>> macros{
        {"@hourly", "0 * * * *"},  {"@daily", "0 0 * * *"},   {"@midnight", "0 0 * * *"}, {"@weekly", "0 0 * * 0"},
        {"@monthly", "0 0 1 * *"}, {"@yearly", "0 0 1 1 *"}, {"@annually", "0 0 1 1 *"},
    };
    for (const auto& [macro, expansion] : macros) {
        CAPTURE(macro);
        CHECK(upcoming(macro, "2024-06-12 10:07", 3) == upcoming(expansion, "2024-06-12 10:07", 3));
    }
    CHECK(upcoming("@daily", "2024-06-12 10:07", 1) == strings{"2024-06-13 00:00"});
    CHECK(upcoming("@monthly", "2024-06-12 10:07", 1) == strings{"2024-07-01 00:00"});
    CHECK(upcoming("@yearly", "2024-06-12 10:07", 1) == strings{"2025-01-01 00:00"});
}

TEST_CASE("next_after works before the epoch and stops at the end of the clock range", "[cron]") {
    CHECK(upcoming("0 0 1 1 *", "1969-06-01 00:00", 1) == strings{"1970-01-01 00:00"});
    CHECK(upcoming("59 23 31 12 *", "1969-12-31 23:58:30", 1) == strings{"1969-12-31 23:59"});
    // system_clock's nanosecond range ends in April 2262; a later match must not overflow into the past.
    CHECK_FALSE(parse_ok("0 0 1 1 *").next_after(utc("2262-01-02 00:00")).has_value());
    CHECK_FALSE(parse_ok("* * * * *").next_after(time_point::max()).has_value());
}
