// The OAuth authorization of a destination through the REST API, against the emulator's token endpoint.
#include "tests/support/daemon_fixture.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::test;
using nlohmann::json;

namespace {
std::string
state_of(const std::string& authorize_url)
{
    auto at = authorize_url.find("&state=");
    REQUIRE(at != std::string::npos);
    return authorize_url.substr(at + 7);
}
}  // namespace

TEST_CASE("oauth: without an OAuth app configured, starting is a clear 422", "[pg][emulator][oauth-api]")
{
    daemon_fixture f;
    auto id = f.create_destination();
    auto r = f.api("POST", "/v1/destinations/" + std::to_string(id) + "/oauth/start");
    CHECK(r.status == 422);
    CHECK(r.json()["error"]["message"].get<std::string>().find("HUBSYNC_OAUTH_CLIENT_ID") != std::string::npos);
}

TEST_CASE("oauth: authorize, call back, and the destination uses OAuth", "[pg][emulator][oauth-api]")
{
    daemon_fixture f(env_map{{"HUBSYNC_OAUTH_CLIENT_ID", "client-1"},
                             {"HUBSYNC_OAUTH_CLIENT_SECRET", "client-secret-1"},
                             {"HUBSYNC_OAUTH_REDIRECT_URL", "http://127.0.0.1:8080/v1/oauth/callback"}});
    SECTION("a destination created without a token waits for authorization")
    {
        auto created = f.api("POST", "/v1/destinations", json{{"name", "oauth"}, {"type", "hubspot"}, {"config", json::object()}});
        REQUIRE(created.status == 201);
        CHECK(created.json()["auth_method"] == "oauth");
        CHECK(created.json()["status"] == "reauthorization_required");
    }
    auto id = std::to_string(f.create_destination("with-pat"));
    auto start = f.api("POST", "/v1/destinations/" + id + "/oauth/start");
    REQUIRE(start.status == 200);
    auto url = start.json()["authorize_url"].get<std::string>();
    CHECK(url.rfind("https://app.hubspot.com/oauth/authorize?client_id=client-1&redirect_uri=", 0) == 0);
    CHECK(url.find("crm.objects.contacts.write") != std::string::npos);
    auto state = state_of(url);

    f.emulator().admin("POST", "/oauth/codes", {{"code", "code-xyz"}, {"scopes", {"crm.objects.contacts.read", "crm.objects.contacts.write", "oauth"}}});
    auto back = http_request(f.port(), "GET", "/v1/oauth/callback?code=code-xyz&state=" + state);
    INFO(back.body);
    REQUIRE(back.status == 200);
    auto d = f.api("GET", "/v1/destinations/" + id).json();
    CHECK(d["auth_method"] == "oauth");
    CHECK(d["status"] == "ok");
    CHECK(d["hub_id"] == emulator_portal_id);
    CHECK(d["scopes"] == json::array({"crm.objects.contacts.read", "crm.objects.contacts.write", "oauth"}));
    CHECK_FALSE(d["config"].contains("private_app_token"));  // completing OAuth deleted it
    CHECK(back.body.find("code-xyz") == std::string::npos);

    SECTION("a state works once")
    {
        auto again = http_request(f.port(), "GET", "/v1/oauth/callback?code=code-xyz&state=" + state);
        CHECK(again.status == 400);
        CHECK(again.json()["error"]["details"][0]["path"] == "state");
    }
    SECTION("unknown states and missing parameters are refused")
    {
        CHECK(http_request(f.port(), "GET", "/v1/oauth/callback?code=x&state=forged").status == 400);
        CHECK(http_request(f.port(), "GET", "/v1/oauth/callback?state=" + state).status == 400);
        CHECK(http_request(f.port(), "GET", "/v1/oauth/callback?error=access_denied").status == 400);
    }
    SECTION("a code HubSpot refuses is a 422, and the destination is unchanged")
    {
        auto next = state_of(f.api("POST", "/v1/destinations/" + id + "/oauth/start").json()["authorize_url"]);
        auto r = http_request(f.port(), "GET", "/v1/oauth/callback?code=never-issued&state=" + next);
        CHECK(r.status == 422);
        CHECK(f.api("GET", "/v1/destinations/" + id).json()["scopes"] == d["scopes"]);
    }
}
