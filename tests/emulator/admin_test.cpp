// The /__emulator control API and the process itself.
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

#include <signal.h>

using namespace hubsync::test;
using nlohmann::json;

TEST_CASE("config: defaults, partial updates, strict validation", "[emulator][admin]")
{
    emulator_fixture emu;
    auto defaults = emu.admin("GET", "/config");
    CHECK(defaults == json::parse(R"({
        "rate_limit": {"enabled": true, "max": 190, "oauth_max": 110, "interval_ms": 10000, "daily": 1000000,
                       "retry_after_seconds": null},
        "search": {"lag_ms": 0, "per_second": 5},
        "oauth": {"access_token_ttl_seconds": 1800},
        "lists": {"max_membership_ids": 100000},
        "events": {"reject_duplicate_uuids": false},
        "objects": {"unique_conflict": 409},
        "faults": []})"));
    auto changed = emu.config({{"search", {{"lag_ms", 250}}}, {"rate_limit", {{"max", 100}}}});
    CHECK(changed["search"]["lag_ms"] == 250);
    CHECK(changed["search"]["per_second"] == 5);
    CHECK(changed["rate_limit"]["max"] == 100);
    CHECK(changed["rate_limit"]["interval_ms"] == 10000);
    for (const auto& bad : {json{{"colour", 1}}, json{{"search", {{"lag_ms", -1}}}},
                            json{{"rate_limit", {{"max", "many"}}}}, json{{"oauth", {{"ttl", 5}}}}, json::array(),
                            json{{"objects", {{"unique_conflict", 404}}}},
                            json{{"faults", {{{"status", "latency"}, {"latency_ms", 5}, {"process_request", true}}}}}}) {
        auto r = http_request(emu.port(), "POST", "/__emulator/config", bad.dump());
        INFO(bad.dump());
        CHECK(r.status == 400);
    }
    CHECK(http_request(emu.port(), "POST", "/__emulator/config", "{not json").status == 400);
    // A refused change leaves everything as it was.
    CHECK(emu.admin("GET", "/config")["rate_limit"]["max"] == 100);
}

TEST_CASE("reset returns to the start-up state", "[emulator][admin]")
{
    emulator_fixture emu;
    emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    emu.add_token("extra", {});
    emu.config({{"rate_limit", {{"max", 5}}}});
    REQUIRE(emu.hs("POST", "/crm-object-schemas/v3/schemas",
                   json{{"name", "thing"}, {"labels", {{"singular", "Thing"}, {"plural", "Things"}}},
                        {"properties", json::array()}})
                .status == 201);
    emu.admin("POST", "/reset");
    CHECK(emu.state("contacts")["total"] == 0);
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "extra").status == 401);
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").header("x-hubspot-ratelimit-max") == "190");
    CHECK(emu.hs("GET", "/crm/v3/schemas").json()["results"].empty());
    CHECK(emu.requests()["total"] == 3);
}

TEST_CASE("seed bypasses limits and read-only checks, and state shows every record", "[emulator][admin]")
{
    emulator_fixture emu;
    emu.config({{"rate_limit", {{"max", 1}}}});
    json records = json::array();
    for (int i = 0; i < 150; ++i) records.push_back({{"properties", {{"email", "s" + std::to_string(i) + "@x.com"}}}});
    records[0]["properties"]["createdate"] = "2020-01-01T00:00:00Z";
    auto ids = emu.seed("0-1", records);
    REQUIRE(ids.size() == 150);
    auto st = emu.state("contacts");
    CHECK(st["objectTypeId"] == "0-1");
    CHECK(st["total"] == 150);
    auto first = result_with_id(st["results"], ids[0]);
    CHECK(first["properties"]["createdate"] == "2020-01-01T00:00:00.000Z");
    CHECK(first["createdAt"] == "2020-01-01T00:00:00.000Z");
    CHECK(first["properties"]["hs_object_id"] == ids[0]);
    CHECK(first["archived"] == false);

    // Seeds are validated and all-or-nothing.
    auto dup = http_request(
        emu.port(), "POST", "/__emulator/seed/contacts",
        json{{"records", {{{"properties", {{"email", "new@x.com"}}}}, {{"properties", {{"email", "s1@x.com"}}}}}}}
            .dump());
    CHECK(dup.status == 409);
    auto bad = http_request(emu.port(), "POST", "/__emulator/seed/contacts",
                            json{{"records", {{{"properties", {{"nope", "1"}}}}}}}.dump());
    CHECK(bad.status == 400);
    CHECK(bad.json()["details"]["index"] == 0);
    CHECK(emu.state("contacts")["total"] == 150);
    CHECK(http_request(emu.port(), "GET", "/__emulator/state/widgets").status == 404);

    // Archived records stay in the state, flagged.
    emu.config({{"rate_limit", {{"enabled", false}}}});
    CHECK(emu.hs("DELETE", "/crm/v3/objects/contacts/" + ids[1]).status == 204);
    CHECK(result_with_id(emu.state("contacts")["results"], ids[1])["archived"] == true);
}

TEST_CASE("request counters by route template and status", "[emulator][admin]")
{
    emulator_fixture emu;
    emu.hs("GET", "/crm/v3/objects/contacts");
    emu.hs("GET", "/crm/objects/2026-03/companies");
    emu.hs("POST", "/crm/v3/objects/contacts/batch/create", json{{"inputs", json::array()}});
    emu.hs("POST", "/crm/v3/objects/deals/batch/create", json{{"inputs", json::array()}});
    emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "bad-token");
    emu.admin("GET", "/config");  // admin calls are not counted
    auto n = emu.requests();
    CHECK(n["total"] == 5);
    CHECK(n["by_route"]["GET /crm/v3/objects/{objectType}"] == 2);
    CHECK(n["by_route"]["GET /crm/objects/2026-03/{objectType}"] == 1);
    CHECK(n["by_route"]["POST /crm/v3/objects/{objectType}/batch/create"] == 2);
    CHECK(n["by_status"]["200"] == 2);
    CHECK(n["by_status"]["201"] == 2);
    CHECK(n["by_status"]["401"] == 1);
    auto zero = emu.admin("POST", "/requests/reset");
    CHECK(zero == json::parse(R"({"total":0,"by_route":{},"by_status":{}})"));
}

TEST_CASE("admin tokens: scopes, kinds and validation", "[emulator][admin]")
{
    emulator_fixture emu;
    auto t = emu.admin("POST", "/tokens", {{"token", "t1"}, {"scopes", {"crm.objects.deals.read"}}});
    CHECK(t["kind"] == "private_app");
    CHECK(t["scopes"] == json::array({"crm.objects.deals.read"}));
    CHECK(t["expires_at"].is_null());
    CHECK(emu.hs("GET", "/crm/v3/objects/deals", std::string{}, "t1").status == 200);
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "t1").status == 403);
    auto all = emu.admin("POST", "/tokens", {{"token", "t2"}});  // no scopes given: all of them
    CHECK(all["scopes"].size() > 10);
    CHECK(http_request(emu.port(), "POST", "/__emulator/tokens", json{{"token", "t3"}, {"kind", "magic"}}.dump())
              .status == 400);
    CHECK(http_request(emu.port(), "POST", "/__emulator/tokens", json{{"scopes", json::array()}}.dump()).status == 400);
}

TEST_CASE("the process serves its --portal-id and exits 0 on SIGTERM and SIGINT", "[emulator][admin]")
{
    for (int sig : {SIGTERM, SIGINT}) {
        auto port = free_port();
        emulator_process p(port, {"--portal-id", "777", "--token", "cli-token", "--token", "second-token"});
        p.wait_ready();
        auto r = http_request(port, "GET", "/account-info/v3/details", {}, {{"Authorization", "Bearer second-token"}});
        REQUIRE(r.status == 200);
        CHECK(r.json()["portalId"] == 777);
        CHECK(
            http_request(port, "GET", "/crm/v3/objects/contacts", {}, {{"Authorization", "Bearer cli-token"}}).status ==
            200);
        CHECK(p.stop(sig) == 0);
        CHECK(p.log().find("emulator.listening") != std::string::npos);
    }
    auto port = free_port();
    emulator_process bad(port, {"--portal-id", "not-a-number"});
    CHECK(bad.stop(0, 5000) == 2);
}
