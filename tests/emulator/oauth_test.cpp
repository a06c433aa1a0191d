// OAuth token endpoint, expiry, refresh, revocation and introspection (hubspot-api.md §1.3-1.5, §8.3).
#include "tests/support/emulator_fixture.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <thread>

using namespace hubsync::test;
using nlohmann::json;

namespace {
std::string
code_grant(const std::string& code, const std::string& redirect = "https://app.example/cb")
{
    return "grant_type=authorization_code&client_id=cid&client_secret=secret&redirect_uri=" + redirect +
           "&code=" + code;
}

std::string
refresh_grant(const std::string& refresh)
{
    return "grant_type=refresh_token&client_id=cid&client_secret=secret&refresh_token=" + refresh;
}
}  // namespace

TEST_CASE("an authorization code (single use) yields a bearer access token with the granted scopes",
          "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.admin("POST", "/oauth/codes", {{"code", "code-1"}, {"scopes", {"crm.objects.contacts.read"}}});
    auto r = emu.form("/oauth/v1/token", code_grant("code-1"));
    REQUIRE(r.status == 200);
    auto j = r.json();
    CHECK(j["token_type"] == "bearer");
    CHECK(j["expires_in"] == 1800);
    CHECK(!j["refresh_token"].get<std::string>().empty());
    CHECK(!j.contains("hub_id"));  // v1 answers without hub_id/scopes
    const auto access = j["access_token"].get<std::string>();

    auto list = emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, access);
    CHECK(list.status == 200);
    // OAuth calls get no daily headers, and the OAuth burst limit.
    CHECK(list.header("x-hubspot-ratelimit-daily").empty());
    CHECK(list.header("x-hubspot-ratelimit-max") == "110");
    auto write = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", json::object()}}, access);
    CHECK(write.status == 403);

    auto again = emu.form("/oauth/v1/token", code_grant("code-1"));
    REQUIRE(again.status == 400);
    CHECK(again.json()["error"] == "invalid_grant");
    CHECK(again.json()["status"] == "BAD_AUTH_CODE");
}

TEST_CASE("the v3 and 2026-03 token endpoints add hub_id and scopes", "[emulator][oauth]")
{
    emulator_fixture emu;
    for (const char* path : {"/oauth/v3/token", "/oauth/2026-03/token"}) {
        emu.admin("POST", "/oauth/codes", {{"code", "c3"}, {"scopes", {"crm.objects.deals.read"}}});
        auto r = emu.form(path, code_grant("c3"));
        REQUIRE(r.status == 200);
        auto j = r.json();
        CHECK(j["hub_id"] == emulator_portal_id);
        auto scopes = j["scopes"].get<std::vector<std::string>>();
        CHECK(std::find(scopes.begin(), scopes.end(), "crm.objects.deals.read") != scopes.end());
        CHECK(std::find(scopes.begin(), scopes.end(), "oauth") != scopes.end());
    }
}

TEST_CASE("OAuth access tokens really expire: 401 EXPIRED_AUTHENTICATION", "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.config({{"oauth", {{"access_token_ttl_seconds", 1}}}});
    emu.admin("POST", "/oauth/codes", {{"code", "short"}});
    auto j = emu.form("/oauth/v1/token", code_grant("short")).json();
    CHECK(j["expires_in"] == 1);
    const auto access = j["access_token"].get<std::string>();
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, access).status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));

    auto r = emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, access);
    REQUIRE(r.status == 401);
    auto e = r.json();
    CHECK(e["status"] == "error");
    CHECK(e["category"] == "EXPIRED_AUTHENTICATION");
    std::smatch m;
    auto msg = e["message"].get<std::string>();
    REQUIRE(std::regex_match(msg, m,
                             std::regex(R"(The OAuth token used to make this call expired (\d+) second\(s\) ago\.)")));
    CHECK(std::stoi(m[1]) >= 1);
    REQUIRE(e["context"]["expire time"].size() == 1);
    CHECK(std::regex_match(e["context"]["expire time"][0].get<std::string>(),
                           std::regex(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)")));
    CHECK(r.header("x-hubspot-correlation-id") == e["correlationId"]);

    // A refresh mints a fresh, working token.
    auto fresh = emu.form("/oauth/v1/token", refresh_grant(j["refresh_token"])).json();
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, fresh["access_token"]).status == 200);
}

TEST_CASE("an admin-made token can be born expired", "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.admin("POST", "/tokens", {{"token", "old"}, {"kind", "oauth"}, {"expires_in", -30}});
    auto r = emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, "old");
    REQUIRE(r.status == 401);
    auto msg = r.json()["message"].get<std::string>();
    std::smatch m;
    REQUIRE(std::regex_match(msg, m,
                             std::regex(R"(The OAuth token used to make this call expired (\d+) second\(s\) ago\.)")));
    CHECK(std::stoi(m[1]) >= 30);
}

TEST_CASE("refresh tokens refresh until revoked, then 400 BAD_REFRESH_TOKEN", "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.admin("POST", "/oauth/codes", {{"code", "c"}});
    auto first = emu.form("/oauth/v1/token", code_grant("c")).json();
    const auto refresh = first["refresh_token"].get<std::string>();

    auto second = emu.form("/oauth/v1/token", refresh_grant(refresh));
    REQUIRE(second.status == 200);
    CHECK(second.json()["access_token"] != first["access_token"]);
    CHECK(second.json()["refresh_token"] == refresh);

    auto revoked = emu.admin("POST", "/oauth/revoke", {{"refresh_token", refresh}});
    CHECK(revoked["revoked"] == true);
    auto r = emu.form("/oauth/v1/token", refresh_grant(refresh));
    REQUIRE(r.status == 400);
    const json expected{{"error", "invalid_grant"},
                        {"error_description", "refresh token is invalid, expired or revoked"},
                        {"status", "BAD_REFRESH_TOKEN"},
                        {"message", "refresh token is invalid, expired or revoked"}};
    CHECK(r.json() == expected);
    CHECK(r.body.find("{\"error\":\"invalid_grant\",\"error_description\"") == 0);  // HubSpot's key order
    // Access tokens minted before the revocation keep working until they expire.
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts", std::string{}, second.json()["access_token"]).status == 200);
    // An unknown refresh token is the same error.
    CHECK(emu.form("/oauth/v3/token", refresh_grant("nope")).json()["status"] == "BAD_REFRESH_TOKEN");
}

TEST_CASE("the token endpoint checks grant type and client credentials", "[emulator][oauth]")
{
    emulator_fixture emu;
    auto grant = emu.form("/oauth/v1/token", "grant_type=password&client_id=a&client_secret=b");
    REQUIRE(grant.status == 400);
    CHECK(grant.json()["error"] == "unsupported_grant_type");
    auto client = emu.form("/oauth/v1/token", "grant_type=refresh_token&refresh_token=x&client_secret=b");
    REQUIRE(client.status == 400);
    CHECK(client.json()["error"] == "invalid_client");
    CHECK(client.json()["status"] == "BAD_CLIENT_ID");
    emu.admin("POST", "/oauth/codes", {{"code", "r"}, {"redirect_uri", "https://right.example/cb"}});
    auto redirect = emu.form("/oauth/v1/token", code_grant("r", "https://wrong.example/cb"));
    REQUIRE(redirect.status == 400);
    CHECK(redirect.json()["error"] == "invalid_grant");
    CHECK(emu.form("/oauth/v1/token", code_grant("r", "https://right.example/cb")).status == 200);
}

TEST_CASE("access-token introspection reports hub, scopes and remaining lifetime", "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.admin("POST", "/oauth/codes", {{"code", "i"}, {"scopes", {"crm.objects.companies.read"}}});
    auto t = emu.form("/oauth/v1/token", code_grant("i")).json();
    const auto access = t["access_token"].get<std::string>();

    auto r = http_request(emu.port(), "GET", "/oauth/v1/access-tokens/" + access);
    REQUIRE(r.status == 200);
    auto j = r.json();
    CHECK(j["token"] == access);
    CHECK(j["hub_id"] == emulator_portal_id);
    CHECK(j["token_type"] == "access");
    CHECK(j["expires_in"].get<int>() > 1790);
    CHECK(j["expires_in"].get<int>() <= 1800);
    CHECK(j["user_id"].is_number());
    CHECK(j["app_id"].is_number());
    auto scopes = j["scopes"].get<std::vector<std::string>>();
    CHECK(std::find(scopes.begin(), scopes.end(), "crm.objects.companies.read") != scopes.end());
    CHECK(http_request(emu.port(), "GET", "/oauth/v1/access-tokens/unknown").status == 404);

    auto v3 = emu.form("/oauth/v3/token/introspect", "client_id=cid&client_secret=s&token=" + access);
    REQUIRE(v3.status == 200);
    CHECK(v3.json()["active"] == true);
    CHECK(v3.json()["token_use"] == "access_token");
    CHECK(v3.json()["hub_id"] == emulator_portal_id);
    CHECK(emu.form("/oauth/v3/token/introspect", "token=unknown").json()["active"] == false);
    auto refresh = emu.form("/oauth/2026-03/token/introspect", "token_type_hint=refresh_token&refresh_token=" +
                                                                   t["refresh_token"].get<std::string>());
    CHECK(refresh.json()["token_use"] == "refresh_token");

    auto info = http_request(emu.port(), "GET", "/oauth/v1/refresh-tokens/" + t["refresh_token"].get<std::string>());
    CHECK(info.status == 200);
    CHECK(info.json()["client_id"] == "cid");
    CHECK(http_request(emu.port(), "DELETE", "/oauth/v1/refresh-tokens/" + t["refresh_token"].get<std::string>())
              .status == 204);
    CHECK(emu.form("/oauth/v1/token", refresh_grant(t["refresh_token"])).json()["status"] == "BAD_REFRESH_TOKEN");
}
