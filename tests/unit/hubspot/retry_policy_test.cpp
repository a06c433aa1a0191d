#include "hubspot/retry_policy.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace hubsync::hubspot;
using namespace std::chrono_literals;

TEST_CASE("back-off is exponential, jittered and capped", "[hubspot][retry]")
{
    retry_settings s;
    s.base_delay = 100ms;
    s.max_delay = 1000ms;
    retry_policy p(s, 42);
    for (int attempt = 1; attempt <= 10; ++attempt) {
        for (int i = 0; i < 50; ++i) {
            auto d = p.backoff(attempt);
            CHECK(d >= 100ms);
            CHECK(d <= std::min(1000ms, 100ms * (1 << (attempt - 1))));
        }
    }
    // Jitter: not always the same value.
    std::set<long long> seen;
    for (int i = 0; i < 20; ++i) seen.insert(p.backoff(5).count());
    CHECK(seen.size() > 5);
}

TEST_CASE("which statuses are retried", "[hubspot][retry]")
{
    retry_settings s;
    s.max_attempts = 3;
    retry_policy p(s, 1);
    for (int status : {500, 502, 503, 504, 524}) CHECK(p.after_status(status, 1, std::nullopt).retry);
    for (int status : {400, 401, 403, 404, 409, 422}) CHECK_FALSE(p.after_status(status, 1, std::nullopt).retry);
    CHECK(p.after_status(423, 1, std::nullopt).delay >= 2000ms);
    CHECK(p.after_status(477, 1, 7000ms).delay == 7000ms);
    CHECK(p.after_status(429, 1, std::nullopt).retry);
    CHECK_FALSE(p.after_status(503, 3, std::nullopt).retry);  // attempts used up
    // A create may have been committed before its 5xx: never re-sent blindly. Refusals before processing are.
    for (int status : {500, 502, 503, 504, 524}) CHECK_FALSE(p.after_status(status, 1, std::nullopt, false).retry);
    for (int status : {423, 429, 477}) CHECK(p.after_status(status, 1, std::nullopt, false).retry);
}

TEST_CASE("a request that may have been applied is re-sent only when idempotent", "[hubspot][retry]")
{
    retry_policy p(retry_settings{}, 1);
    CHECK(p.after_transport_error("reset", 1, false, false).retry);   // never reached HubSpot
    CHECK(p.after_transport_error("timeout", 1, true, true).retry);   // upsert: safe to repeat
    auto create = p.after_transport_error("timeout", 1, true, false); // create: reconcile first
    CHECK_FALSE(create.retry);
    CHECK(create.reason == "timeout_after_send");
}

TEST_CASE("Retry-After in seconds or as an HTTP date", "[hubspot][retry]")
{
    CHECK(parse_retry_after("") == std::nullopt);
    CHECK(parse_retry_after("12") == 12000ms);
    CHECK(parse_retry_after("soon") == std::nullopt);
    auto now = std::chrono::sys_days{std::chrono::year{2026} / 11 / 27} + 10h;
    CHECK(parse_retry_after("Fri, 27 Nov 2026 10:00:30 GMT", now) == 30000ms);
    CHECK(parse_retry_after("Fri, 27 Nov 2026 09:00:00 GMT", now) == 0ms);
}
