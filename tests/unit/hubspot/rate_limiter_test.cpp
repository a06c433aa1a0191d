#include "hubspot/rate_limiter.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::hubspot;
using namespace std::chrono_literals;
using clock_type = rate_limiter::clock;

namespace {
rate_limiter::settings
tier(int max, double headroom = 0.0)
{
    rate_limiter::settings s;
    s.window_max = max;
    s.window = 10s;
    s.headroom = headroom;
    s.safety_margin = 0ms;
    return s;
}
}  // namespace

TEST_CASE("the rolling window admits max requests, then waits for the oldest to leave", "[hubspot][limiter]")
{
    rate_limiter l(tier(10));
    auto t0 = clock_type::time_point{} + 1000s;
    for (int i = 0; i < 10; ++i) REQUIRE(l.acquire(rate_limiter::request_class::standard, t0 + i * 100ms) == 0ms);
    auto wait = l.acquire(rate_limiter::request_class::standard, t0 + 1s);
    CHECK(wait > 8900ms);
    CHECK(wait <= 9001ms);
    // Rolling, not fixed: at t0+10s exactly one slot (the first request's) is free again.
    CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 10s + 1ms) == 0ms);
    CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 10s + 2ms) > 0ms);
    CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 10s + 101ms) == 0ms);
}

TEST_CASE("headroom leaves part of the window to other integrations", "[hubspot][limiter]")
{
    rate_limiter l(tier(100, 0.2));
    CHECK(l.allowed_per_window() == 80);
    auto t0 = clock_type::time_point{} + 1000s;
    int admitted = 0;
    while (l.acquire(rate_limiter::request_class::standard, t0) == 0ms) ++admitted;
    CHECK(admitted == 80);
}

TEST_CASE("search has its own per-second budget and does not spend the window", "[hubspot][limiter]")
{
    rate_limiter l(tier(3));
    auto t0 = clock_type::time_point{} + 1000s;
    for (int i = 0; i < 5; ++i) REQUIRE(l.acquire(rate_limiter::request_class::search, t0) == 0ms);
    CHECK(l.acquire(rate_limiter::request_class::search, t0 + 100ms) > 800ms);
    for (int i = 0; i < 3; ++i) CHECK(l.acquire(rate_limiter::request_class::standard, t0) == 0ms);
    CHECK(l.acquire(rate_limiter::request_class::search, t0 + 1001ms) == 0ms);
}

TEST_CASE("the window and its size are learnt from HubSpot's headers", "[hubspot][limiter]")
{
    rate_limiter l(tier(100));
    auto t0 = clock_type::time_point{} + 1000s;
    rate_limiter::headers h;
    h.max = 4;
    h.interval_ms = 2000;
    l.on_response(h, t0);
    CHECK(l.window_max() == 4);
    CHECK(l.window() == 2000ms);
    for (int i = 0; i < 4; ++i) REQUIRE(l.acquire(rate_limiter::request_class::standard, t0) == 0ms);
    CHECK(l.acquire(rate_limiter::request_class::standard, t0) > 1900ms);
}

TEST_CASE("requests spent by others (Remaining lower than ours) are counted", "[hubspot][limiter]")
{
    rate_limiter l(tier(10));
    auto t0 = clock_type::time_point{} + 1000s;
    REQUIRE(l.acquire(rate_limiter::request_class::standard, t0) == 0ms);
    rate_limiter::headers h;
    h.max = 10;
    h.remaining = 2;  // someone else used 7
    l.on_response(h, t0);
    CHECK(l.acquire(rate_limiter::request_class::standard, t0) == 0ms);
    CHECK(l.acquire(rate_limiter::request_class::standard, t0) == 0ms);
    CHECK(l.acquire(rate_limiter::request_class::standard, t0) > 0ms);
}

TEST_CASE("a 429 pauses the portal for the window, or for Retry-After", "[hubspot][limiter]")
{
    auto t0 = clock_type::time_point{} + 1000s;
    SECTION("TEN_SECONDLY_ROLLING without Retry-After waits the window")
    {
        rate_limiter l(tier(100));
        l.on_rate_limited(rate_limiter::policy::ten_secondly_rolling, std::nullopt, t0);
        CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 1s) > 8900ms);
        CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 10s) == 0ms);
    }
    SECTION("Retry-After wins")
    {
        rate_limiter l(tier(100));
        l.on_rate_limited(rate_limiter::policy::ten_secondly_rolling, 3000ms, t0);
        CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 2s) > 900ms);
        CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 3s) == 0ms);
    }
    SECTION("SECONDLY pauses only search, for a second")
    {
        rate_limiter l(tier(100));
        l.on_rate_limited(rate_limiter::policy::secondly, std::nullopt, t0);
        CHECK(l.acquire(rate_limiter::request_class::search, t0 + 500ms) > 400ms);
        CHECK(l.acquire(rate_limiter::request_class::standard, t0 + 500ms) == 0ms);
        CHECK(l.acquire(rate_limiter::request_class::search, t0 + 1001ms) == 0ms);
    }
    SECTION("DAILY pauses until the next midnight UTC")
    {
        rate_limiter l(tier(100));
        auto wall = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + 15h;
        l.on_rate_limited(rate_limiter::policy::daily, std::nullopt, t0, wall);
        REQUIRE(l.daily_paused_until());
        CHECK(*l.daily_paused_until() == std::chrono::sys_days{std::chrono::year{2026} / 11 / 28});
        CHECK(l.daily_remaining() == 0);
    }
}

TEST_CASE("429 policies are recognised by name and by message", "[hubspot][limiter]")
{
    CHECK(rate_limiter::parse_policy("TEN_SECONDLY_ROLLING", "") == rate_limiter::policy::ten_secondly_rolling);
    CHECK(rate_limiter::parse_policy("DAILY", "") == rate_limiter::policy::daily);
    CHECK(rate_limiter::parse_policy("", "You have reached your secondly limit.") == rate_limiter::policy::secondly);
    CHECK(rate_limiter::parse_policy("", "You have reached your daily limit.") == rate_limiter::policy::daily);
    CHECK(rate_limiter::parse_policy("", "something else") == rate_limiter::policy::unknown);
}

TEST_CASE("absurd rate-limit headers cannot blow the limiter up", "[hubspot][limiter]")
{
    rate_limiter l(tier(100));
    auto t0 = clock_type::time_point{} + 1000s;
    rate_limiter::headers h;
    h.max = 2147483647;
    h.remaining = -2147483647 - 1;
    h.interval_ms = -5;
    l.on_response(h, t0);
    CHECK(l.window_max() == 100);
    CHECK(l.window() == 10s);
    CHECK(l.acquire(rate_limiter::request_class::standard, t0) > 0ms);  // Remaining 0 (clamped): wait
}
