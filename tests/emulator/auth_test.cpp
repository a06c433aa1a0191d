// Bearer auth, scopes and the correlation id (hubspot-api.md §1.5-1.6, §8.2, §8.4).
#include "tests/support/emulator_fixture.hpp"

#include <catch2/catch.hpp>

#include <regex>

using namespace hubsync::test;
using nlohmann::json;

namespace {
const std::regex uuid_re("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");

void
check_invalid_authentication(const http_result& r)
{
    REQUIRE(r.status == 401);
    auto j = r.json();
    CHECK(j["status"] == "error");
    CHECK(j["category"] == "INVALID_AUTHENTICATION");
    CHECK(j["message"].get<std::string>().rfind("Authentication credentials not found.", 0) == 0);
    CHECK(std::regex_match(j["correlationId"].get<std::string>(), uuid_re));
    CHECK(r.header("x-hubspot-correlation-id") == j["correlationId"]);
    CHECK(r.header("x-hubspot-auth-failure") == "401 Unauthorized");
    CHECK(r.header("x-hubspot-ratelimit-max").empty());
}
}  // namespace

TEST_CASE("a missing, malformed or unknown bearer token is 401 INVALID_AUTHENTICATION", "[emulator][auth]")
{
    emulator_fixture emu;
    check_invalid_authentication(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, ""));
    check_invalid_authentication(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "no-such-token"));
    auto basic = http_request(emu.port(), "GET", "/crm/v3/objects/contacts", {}, {{"Authorization", "Basic abc"}});
    check_invalid_authentication(basic);
    // The scheme is case-insensitive.
    auto lower = http_request(emu.port(), "GET", "/crm/v3/objects/contacts", {},
                              {{"Authorization", std::string("bearer ") + emulator_token}});
    CHECK(lower.status == 200);
}

TEST_CASE("a token without the required scope is 403 MISSING_SCOPES listing the alternatives", "[emulator][auth]")
{
    emulator_fixture emu;
    emu.add_token("read-only", {"crm.objects.contacts.read"});
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "read-only").status == 200);

    auto r = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "a@x.com"}}}}, "read-only");
    REQUIRE(r.status == 403);
    auto j = r.json();
    CHECK(j["status"] == "error");
    CHECK(j["category"] == "MISSING_SCOPES");
    CHECK(j["message"].get<std::string>().rfind("This app hasn't been granted all required scopes", 0) == 0);
    CHECK(j["errors"][0]["message"] == "One or more of the following scopes are required.");
    auto scopes = j["errors"][0]["context"]["requiredGranularScopes"].get<std::vector<std::string>>();
    CHECK(std::find(scopes.begin(), scopes.end(), "crm.objects.contacts.write") != scopes.end());
    CHECK(j["links"]["scopes"] == "https://developers.hubspot.com/scopes");
    CHECK(r.header("x-hubspot-correlation-id") == j["correlationId"]);
    // Nothing was written.
    CHECK(emu.state("contacts")["total"] == 0);

    // Tickets use the single legacy "tickets" scope; properties need crm.schemas.*.
    auto t = emu.hs("GET", "/crm/v3/objects/tickets", std::string{}, "read-only");
    REQUIRE(t.status == 403);
    auto tscopes = t.json()["errors"][0]["context"]["requiredGranularScopes"].get<std::vector<std::string>>();
    CHECK(tscopes.front() == "tickets");
    auto p = emu.hs("POST", "/crm/v3/properties/contacts",
                    json{{"name", "x"}, {"label", "X"}, {"type", "string"}, {"fieldType", "text"}, {"groupName", "g"}},
                    "read-only");
    REQUIRE(p.status == 403);
    CHECK(p.json()["errors"][0]["context"]["requiredGranularScopes"][0] == "crm.schemas.contacts.write");
    // Object read scopes also grant reading properties.
    CHECK(emu.hs("GET", "/crm/v3/properties/contacts", std::string{}, "read-only").status == 200);
}

TEST_CASE("every response carries X-HubSpot-Correlation-Id, matching the error body", "[emulator][auth]")
{
    emulator_fixture emu;
    auto ok = emu.hs("GET", "/crm/v3/objects/contacts");
    CHECK(ok.status == 200);
    CHECK(std::regex_match(ok.header("x-hubspot-correlation-id"), uuid_re));
    auto missing = emu.hs("GET", "/crm/v3/objects/contacts/999999");
    CHECK(missing.status == 404);
    CHECK(missing.json()["category"] == "OBJECT_NOT_FOUND");
    CHECK(missing.header("x-hubspot-correlation-id") == missing.json()["correlationId"]);
    auto created = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", json::object()}});
    CHECK(created.status == 201);
    CHECK(!created.header("x-hubspot-correlation-id").empty());
    CHECK(created.header("x-hubspot-correlation-id") != ok.header("x-hubspot-correlation-id"));
}

TEST_CASE("account details and private-app token info name the portal", "[emulator][auth]")
{
    emulator_fixture emu;
    for (const char* path : {"/account-info/v3/details", "/account-info/2026-03/details"}) {
        auto r = emu.hs("GET", path);
        REQUIRE(r.status == 200);
        CHECK(r.json()["portalId"] == emulator_portal_id);
        CHECK(r.json().contains("timeZone"));
    }
    CHECK(emu.hs("GET", "/account-info/v3/details", std::string{}, "").status == 401);

    emu.add_token("pat-na1-limited", {"crm.objects.deals.read"});
    auto info =
        emu.hs("POST", "/oauth/v2/private-apps/get/access-token-info", json{{"tokenKey", "pat-na1-limited"}}, "");
    REQUIRE(info.status == 200);
    auto j = info.json();
    CHECK(j["hubId"] == emulator_portal_id);
    CHECK(j["scopes"] == json::array({"crm.objects.deals.read"}));
    CHECK(j["userId"].is_number());
    CHECK(j["appId"].is_number());
    auto unknown = emu.hs("POST", "/oauth/v2/private-apps/get/access-token-info", json{{"tokenKey", "nope"}}, "");
    CHECK(unknown.status == 401);
}
