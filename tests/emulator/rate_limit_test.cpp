// Burst and daily limits, their headers and 429 bodies (hubspot-api.md §6, §8.18-19).
#include "tests/support/emulator_fixture.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace hubsync::test;
using nlohmann::json;

TEST_CASE("every non-search response carries the X-HubSpot-RateLimit headers", "[emulator][rate_limit]")
{
    emulator_fixture emu;
    auto a = emu.hs("GET", "/crm/v3/objects/contacts");
    auto b = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"nope", "1"}}}});  // errors count too
    REQUIRE(a.status == 200);
    REQUIRE(b.status == 400);
    CHECK(a.header("x-hubspot-ratelimit-max") == "190");
    CHECK(a.header("x-hubspot-ratelimit-remaining") == "189");
    CHECK(b.header("x-hubspot-ratelimit-remaining") == "188");
    CHECK(a.header("x-hubspot-ratelimit-interval-milliseconds") == "10000");
    CHECK(a.header("x-hubspot-ratelimit-secondly") == "19");
    CHECK(a.header("x-hubspot-ratelimit-secondly-remaining") == "18");
    CHECK(b.header("x-hubspot-ratelimit-secondly-remaining") == "17");
    CHECK(a.header("x-hubspot-ratelimit-daily") == "1000000");
    CHECK(a.header("x-hubspot-ratelimit-daily-remaining") == "999999");
    CHECK(b.header("x-hubspot-ratelimit-daily-remaining") == "999998");

    // OAuth tokens: the OAuth burst limit, no daily headers.
    emu.add_token("oauth-token", {"crm.objects.contacts.read"}, "oauth");
    auto o = emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "oauth-token");
    CHECK(o.header("x-hubspot-ratelimit-max") == "110");
    CHECK(o.header("x-hubspot-ratelimit-remaining") == "109");
    CHECK(o.header("x-hubspot-ratelimit-daily").empty());
    CHECK(o.header("x-hubspot-ratelimit-daily-remaining").empty());
}

TEST_CASE("the rolling burst window answers 429 TEN_SECONDLY_ROLLING, per app, then recovers",
          "[emulator][rate_limit]")
{
    emulator_fixture emu;
    emu.config({{"rate_limit", {{"max", 3}, {"interval_ms", 800}}}});
    for (int i = 0; i < 3; ++i) {
        auto ok = emu.hs("GET", "/crm/v3/objects/contacts");
        REQUIRE(ok.status == 200);
        CHECK(ok.header("x-hubspot-ratelimit-remaining") == std::to_string(2 - i));
        CHECK(ok.header("x-hubspot-ratelimit-interval-milliseconds") == "800");
    }
    auto r = emu.hs("GET", "/crm/v3/objects/contacts");
    REQUIRE(r.status == 429);
    auto j = r.json();
    CHECK(j["status"] == "error");
    CHECK(j["message"] == "You have reached your ten_secondly_rolling limit.");
    CHECK(j["errorType"] == "RATE_LIMIT");
    CHECK(j["policyName"] == "TEN_SECONDLY_ROLLING");
    CHECK(j["correlationId"] == r.header("x-hubspot-correlation-id"));
    CHECK(j["groupName"].get<std::string>().rfind("publicapi:private_app-api-calls-ten-secondly:", 0) == 0);
    CHECK(!j.contains("category"));
    CHECK(r.header("x-hubspot-ratelimit-remaining") == "0");
    CHECK(r.header("retry-after").empty());  // off by default: HubSpot does not document one

    // Another app's token has its own window.
    emu.add_token("second-app", {"crm.objects.contacts.read"});
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "second-app").status == 200);

    std::this_thread::sleep_for(std::chrono::milliseconds(900));
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
}

TEST_CASE("Retry-After on 429s can be switched on", "[emulator][rate_limit]")
{
    emulator_fixture emu;
    emu.config({{"rate_limit", {{"max", 1}, {"retry_after_seconds", 7}}}});
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
    auto r = emu.hs("GET", "/crm/v3/objects/contacts");
    REQUIRE(r.status == 429);
    CHECK(r.header("retry-after") == "7");
    emu.config({{"rate_limit", {{"retry_after_seconds", nullptr}}}});
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").header("retry-after").empty());
}

TEST_CASE("the daily limit answers 429 DAILY", "[emulator][rate_limit]")
{
    emulator_fixture emu;
    emu.config({{"rate_limit", {{"daily", 2}}}});
    auto first = emu.hs("GET", "/crm/v3/objects/contacts");
    CHECK(first.header("x-hubspot-ratelimit-daily") == "2");
    CHECK(first.header("x-hubspot-ratelimit-daily-remaining") == "1");
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
    auto r = emu.hs("GET", "/crm/v3/objects/contacts");
    REQUIRE(r.status == 429);
    auto j = r.json();
    CHECK(j["message"] == "You have reached your daily limit.");
    CHECK(j["errorType"] == "RATE_LIMIT");
    CHECK(j["policyName"] == "DAILY");
    CHECK(j["correlationId"] == r.header("x-hubspot-correlation-id"));
    CHECK(j["requestId"].get<std::string>().size() == 36);
    CHECK(r.header("x-hubspot-ratelimit-daily-remaining") == "0");
    // The daily limit is per portal: another private app is refused too; OAuth apps are not counted.
    emu.add_token("other", {"crm.objects.contacts.read"});
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "other").json()["policyName"] == "DAILY");
    emu.add_token("oauth", {"crm.objects.contacts.read"}, "oauth");
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "oauth").status == 200);
    emu.admin("POST", "/rate-limits/reset");
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
}

TEST_CASE("rate limiting can be switched off entirely", "[emulator][rate_limit]")
{
    emulator_fixture emu;
    emu.config({{"rate_limit", {{"enabled", false}, {"max", 1}, {"daily", 1}}}, {"search", {{"per_second", 1}}}});
    for (int i = 0; i < 5; ++i) {
        auto r = emu.hs("GET", "/crm/v3/objects/contacts");
        REQUIRE(r.status == 200);
        CHECK(r.header("x-hubspot-ratelimit-max").empty());
        CHECK(emu.hs("POST", "/crm/v3/objects/contacts/search", json::object()).status == 200);
    }
}
