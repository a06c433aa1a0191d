// The OAuth authorization of a destination through the REST API, against the emulator's token endpoint.
#include "tests/support/daemon_fixture.hpp"

#include "core/error.hpp"
#include "store/destination_credentials.hpp"
#include "store/destinations.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <thread>

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

namespace {
// The destination's credentials as the daemon sealed them.
hubsync::store::destination_credentials
stored_credentials(daemon_fixture& f, const std::string& id)
{
    pqxx::connection c(f.database().url());
    pqxx::read_transaction tx(c);
    auto r = tx.exec("SELECT secret FROM hubsync.destinations WHERE id = " + tx.quote(id));
    std::optional<std::string> sealed;
    if (!r[0][0].is_null()) sealed = r[0][0].as<std::string>();
    auto box = hubsync::store::secret_box::from_base64(test_secret_key);
    return hubsync::store::open_credentials(box, sealed);
}

std::string
authorize(daemon_fixture& f, const std::string& id, const std::string& code)
{
    auto state = state_of(f.api("POST", "/v1/destinations/" + id + "/oauth/start").json()["authorize_url"]);
    f.emulator().admin("POST", "/oauth/codes", {{"code", code}});
    auto back = http_request(f.port(), "GET", "/v1/oauth/callback?code=" + code + "&state=" + state);
    REQUIRE(back.status == 200);
    return state;
}

template <class Pred>
bool
eventually(Pred pred)
{
    for (int i = 0; i < 100; ++i) {
        if (pred()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return pred();
}
}  // namespace

TEST_CASE("oauth: a destination's calls refresh its token and save it, a revoked grant asks for reauthorization",
          "[pg][emulator][oauth-api]")
{
    daemon_fixture f(env_map{{"HUBSYNC_OAUTH_CLIENT_ID", "client-1"},
                             {"HUBSYNC_OAUTH_CLIENT_SECRET", "client-secret-1"},
                             {"HUBSYNC_OAUTH_REDIRECT_URL", "http://127.0.0.1:8080/v1/oauth/callback"}});
    f.emulator().config({{"oauth", {{"access_token_ttl_seconds", 2}}}});
    auto created = f.api("POST", "/v1/destinations", json{{"name", "oauth"}, {"type", "hubspot"}, {"config", json::object()}});
    REQUIRE(created.status == 201);
    auto id = std::to_string(created.json()["id"].get<std::int64_t>());
    auto schema = f.api("GET", "/v1/destinations/" + id + "/schema");
    CHECK(schema.status == 422);  // not authorized yet
    CHECK(schema.body.find("oauth/start") != std::string::npos);

    authorize(f, id, "code-1");
    auto first = stored_credentials(f, id);
    REQUIRE(first.oauth);
    CHECK_FALSE(first.private_app_token);
    REQUIRE(f.api("GET", "/v1/destinations/" + id + "/schema").status == 200);

    std::this_thread::sleep_for(std::chrono::milliseconds(2100));  // the access token has expired
    auto refreshed = f.api("POST", "/v1/destinations/" + id + "/schema/refresh");
    INFO(refreshed.body);
    CHECK(refreshed.status == 200);
    CHECK(eventually([&] { return stored_credentials(f, id).oauth->access_token != first.oauth->access_token; }));
    CHECK(stored_credentials(f, id).oauth->refresh_token == first.oauth->refresh_token);
    CHECK(f.api("GET", "/v1/destinations/" + id).json()["status"] == "ok");

    f.emulator().admin("POST", "/oauth/revoke", {{"refresh_token", first.oauth->refresh_token}});
    std::this_thread::sleep_for(std::chrono::milliseconds(2100));
    auto revoked = f.api("POST", "/v1/destinations/" + id + "/schema/refresh");
    INFO(revoked.body);
    CHECK(revoked.status == 422);
    CHECK(revoked.body.find("authorize") != std::string::npos);
    CHECK(eventually([&] { return f.api("GET", "/v1/destinations/" + id).json()["status"] == "reauthorization_required"; }));
    auto after = f.api("GET", "/v1/destinations/" + id + "/schema");
    CHECK(after.status == 422);
    CHECK(after.body.find("authorized again") != std::string::npos);

    // Authorizing again brings it back.
    authorize(f, id, "code-2");
    CHECK(f.api("GET", "/v1/destinations/" + id).json()["status"] == "ok");
    CHECK(f.api("POST", "/v1/destinations/" + id + "/schema/refresh").status == 200);
}

TEST_CASE("oauth: an edit based on a stale read of the destination is a conflict, not a lost update",
          "[pg][emulator][oauth-api]")
{
    daemon_fixture f;  // a migrated state database
    auto id = f.create_destination();
    pqxx::connection c(f.database().url());
    auto read = hubsync::store::destinations::find(c, id);
    REQUIRE(read);
    // Another writer (an OAuth callback, another edit) changes the row after that read.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    {
        pqxx::work tx(c);
        tx.exec("UPDATE hubsync.destinations SET updated_at = now() WHERE id = " + std::to_string(id));
        tx.commit();
    }
    hubsync::store::destination_fields edited = *read;
    edited.name = "renamed";
    try {
        hubsync::store::destinations::update(c, id, edited, read->updated_at);
        FAIL("a stale update went through");
    } catch (const hubsync::core::error& e) {
        CHECK(e.code() == hubsync::core::errc::conflict);
    }
    CHECK(hubsync::store::destinations::find(c, id)->name == "hubspot");
    auto fresh = hubsync::store::destinations::find(c, id);
    CHECK(hubsync::store::destinations::update(c, id, edited, fresh->updated_at)->name == "renamed");
}
