// Sources and destinations over HTTP: CRUD, secrets sealed at rest and redacted everywhere, references.
#include "tests/support/daemon_fixture.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <set>

using namespace hubsync::test;
using nlohmann::json;

namespace {
std::string
dump_table(const std::string& url, const std::string& table)
{
    pqxx::connection c(url);
    pqxx::read_transaction tx(c);
    std::string all;
    for (const auto& row : tx.exec("SELECT t::text FROM " + table + " t")) all += row[0].as<std::string>() + "\n";
    return all;
}
}  // namespace

TEST_CASE("sources: create, read, list, patch, test, delete", "[pg][api][sources]")
{
    daemon_fixture f;
    auto warehouse = required_env("HUBSYNC_DEMO_WAREHOUSE_URL");

    auto created = f.api("POST", "/v1/sources", json{{"name", "warehouse"}, {"type", "postgres"}, {"config", {{"url", warehouse}}}});
    REQUIRE(created.status == 201);
    auto s = created.json();
    auto id = s["id"].get<std::int64_t>();
    CHECK(s["name"] == "warehouse");
    CHECK(s["config"]["url"] == "postgresql://demo_reader:********@" + warehouse.substr(warehouse.find('@') + 1));
    CHECK(created.body.find("demo-reader-pw") == std::string::npos);

    auto got = f.api("GET", "/v1/sources/" + std::to_string(id));
    CHECK(got.status == 200);
    CHECK(got.json() == s);

    auto tested = f.api("POST", "/v1/sources/" + std::to_string(id) + "/test");
    REQUIRE(tested.status == 200);
    CHECK(tested.json()["ok"] == true);
    CHECK(tested.json()["server_version"].get<std::string>().rfind("15", 0) == 0);

    SECTION("the password is sealed at rest and never logged")
    {
        auto stored = dump_table(f.database().url(), "hubsync.sources");
        CHECK(stored.find("demo-reader-pw") == std::string::npos);
        CHECK(stored.find("v1:") != std::string::npos);
        CHECK(f.process().log().find("demo-reader-pw") == std::string::npos);
    }
    SECTION("patching the name keeps the password; sending back the redacted URL keeps it too")
    {
        auto patched = f.api("PATCH", "/v1/sources/" + std::to_string(id),
                             json{{"name", "renamed"}, {"config", {{"url", s["config"]["url"]}}}});
        REQUIRE(patched.status == 200);
        CHECK(patched.json()["name"] == "renamed");
        CHECK(patched.json()["created_at"] == s["created_at"]);
        CHECK(f.api("POST", "/v1/sources/" + std::to_string(id) + "/test").json()["ok"] == true);
    }
    SECTION("a wrong password makes test report the failure, not an HTTP error")
    {
        auto bad_url = warehouse;
        bad_url.replace(bad_url.find("demo-reader-pw"), 14, "wrong-password");
        REQUIRE(f.api("PATCH", "/v1/sources/" + std::to_string(id), json{{"config", {{"url", bad_url}}}}).status == 200);
        auto t = f.api("POST", "/v1/sources/" + std::to_string(id) + "/test");
        CHECK(t.status == 200);
        CHECK(t.json()["ok"] == false);
        CHECK(t.json()["error"].get<std::string>().find("password authentication failed") != std::string::npos);
        CHECK(t.body.find("wrong-password") == std::string::npos);
    }
    SECTION("an unreachable warehouse is reported by test")
    {
        auto dead = "postgresql://u:p@127.0.0.1:" + std::to_string(free_port()) + "/db";
        REQUIRE(f.api("PATCH", "/v1/sources/" + std::to_string(id), json{{"config", {{"url", dead}}}}).status == 200);
        auto t = f.api("POST", "/v1/sources/" + std::to_string(id) + "/test");
        CHECK(t.json()["ok"] == false);
        CHECK(t.json()["error"].get<std::string>().find("cannot connect to the source") != std::string::npos);
    }
    SECTION("names are unique")
    {
        auto dup = f.api("POST", "/v1/sources", json{{"name", "warehouse"}, {"type", "postgres"}, {"config", {{"url", warehouse}}}});
        CHECK(dup.status == 409);
        CHECK(dup.json()["error"]["code"] == "conflict");
    }
    SECTION("a source used by a model cannot be deleted; an unused one can")
    {
        auto model = f.create_contacts_model(id);
        auto del = f.api("DELETE", "/v1/sources/" + std::to_string(id));
        CHECK(del.status == 409);
        CHECK(del.json()["error"]["message"].get<std::string>().find("models") != std::string::npos);
        REQUIRE(f.api("DELETE", "/v1/models/" + std::to_string(model)).status == 204);
        CHECK(f.api("DELETE", "/v1/sources/" + std::to_string(id)).status == 204);
        CHECK(f.api("GET", "/v1/sources/" + std::to_string(id)).status == 404);
        CHECK(f.api("DELETE", "/v1/sources/" + std::to_string(id)).status == 404);
    }
}

TEST_CASE("sources: bad definitions are 422 with JSON paths", "[pg][api][sources]")
{
    daemon_fixture f;
    auto r = f.api("POST", "/v1/sources", json{{"name", ""}, {"type", "mysql"}, {"config", {{"url", "postgresql://x:y@host/db?sslmode=sometimes&colour=blue"}, {"ssl", true}}}, {"extra", 1}});
    REQUIRE(r.status == 422);
    auto e = r.json()["error"];
    CHECK(e["code"] == "validation_failed");
    std::set<std::string> paths;
    for (const auto& d : e["details"]) paths.insert(d["path"]);
    CHECK(paths == std::set<std::string>{"name", "type", "config.url", "config.ssl", "extra"});
    CHECK(r.body.find("x:y@") == std::string::npos);
    CHECK(r.body.find("colour") != std::string::npos);
    CHECK(f.api("GET", "/v1/sources").json()["data"].empty());
}

TEST_CASE("destinations: the token is checked with HubSpot and is write-only", "[pg][api][destinations]")
{
    daemon_fixture f;
    const std::string token = "pat-na1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    f.emulator().add_token(token, {"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.read"});
    auto emulator_url = "http://127.0.0.1:" + std::to_string(f.emulator().port());
    auto created = f.api("POST", "/v1/destinations",
                         json{{"name", "portal"}, {"type", "hubspot"},
                              {"config", {{"private_app_token", token}, {"base_url", emulator_url + "/"}}}});
    REQUIRE(created.status == 201);
    auto d = created.json();
    auto id = std::to_string(d["id"].get<std::int64_t>());
    CHECK(d["config"]["private_app_token"] == "********");
    CHECK(d["config"]["base_url"] == emulator_url);
    CHECK(d["auth_method"] == "private_app_token");
    CHECK(d["status"] == "ok");
    CHECK(d["hub_id"] == emulator_portal_id);
    CHECK(d["scopes"] == json::array({"crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.read"}));
    CHECK(f.api("GET", "/v1/destinations").body.find(token) == std::string::npos);
    CHECK(dump_table(f.database().url(), "hubsync.destinations").find(token) == std::string::npos);

    auto patched = f.api("PATCH", "/v1/destinations/" + id, json{{"name", "portal-2"}, {"config", {{"base_url", nullptr}}}});
    REQUIRE(patched.status == 200);
    CHECK(patched.json()["name"] == "portal-2");
    CHECK_FALSE(patched.json()["config"].contains("base_url"));
    CHECK(patched.json()["config"]["private_app_token"] == "********");

    auto bad = f.api("PATCH", "/v1/destinations/" + id,
                     json{{"config", {{"private_app_token", "has space"}, {"base_url", "ftp://x"}, {"api_version", "v9"}}}});
    CHECK(bad.status == 422);
    CHECK(bad.json()["error"]["details"].size() == 3);
    auto bad_port = f.api("PATCH", "/v1/destinations/" + id, json{{"config", {{"base_url", "https://host:abc"}}}});
    CHECK(bad_port.status == 422);
    CHECK(bad_port.json()["error"]["details"][0]["path"] == "config.base_url");
    CHECK(f.api("GET", "/v1/destinations/" + id).json()["name"] == "portal-2");
    CHECK(f.process().log().find(token) == std::string::npos);

    SECTION("a token HubSpot rejects is refused with HubSpot's reason")
    {
        auto r = f.api("PATCH", "/v1/destinations/" + id, json{{"config", {{"private_app_token", "pat-na1-unknown"}}}});
        REQUIRE(r.status == 422);
        CHECK(r.json()["error"]["details"][0]["path"] == "config.private_app_token");
        CHECK(r.json()["error"]["message"].get<std::string>().find("HubSpot rejected this token") != std::string::npos);
        CHECK(r.body.find("pat-na1-unknown") == std::string::npos);
    }
    SECTION("an unreachable HubSpot is refused, saying so")
    {
        auto r = f.api("PATCH", "/v1/destinations/" + id,
                       json{{"config", {{"base_url", "http://127.0.0.1:" + std::to_string(free_port())}}}});
        REQUIRE(r.status == 422);
        CHECK(r.json()["error"]["message"].get<std::string>().find("cannot reach HubSpot") != std::string::npos);
    }
    SECTION("a sync that needs a scope the token lacks is refused, naming the scope")
    {
        auto model = f.create_contacts_model(f.create_demo_source());
        json sync = {{"name", "deals"}, {"model_id", model}, {"destination_id", d["id"]}, {"type", "object"},
                     {"config", {{"object", "deals"}, {"mode", "upsert"}, {"match", {{"column", "email"}, {"property", "dealname"}}}}}};
        auto r = f.api("POST", "/v1/syncs", sync);
        REQUIRE(r.status == 422);
        CHECK(r.json()["error"]["details"][0]["path"] == "destination_id");
        auto message = r.json()["error"]["message"].get<std::string>();
        CHECK(message.find("crm.objects.deals.write") != std::string::npos);
        sync["config"]["object"] = "contacts";
        sync["config"]["match"]["property"] = "email";
        CHECK(f.api("POST", "/v1/syncs", sync).status == 201);
    }
}

TEST_CASE("lists paginate with limit and cursor", "[pg][api]")
{
    daemon_fixture f;
    for (int i = 0; i < 5; ++i) f.create_destination("d" + std::to_string(i));
    std::vector<std::string> names;
    std::string cursor;
    int pages = 0;
    do {
        auto r = f.api("GET", "/v1/destinations?limit=2" + (cursor.empty() ? "" : "&cursor=" + cursor));
        REQUIRE(r.status == 200);
        auto page = r.json();
        for (const auto& d : page["data"]) names.push_back(d["name"]);
        cursor = page["next_cursor"].is_null() ? "" : page["next_cursor"].get<std::string>();
        ++pages;
    } while (!cursor.empty() && pages < 10);
    CHECK(pages == 3);
    CHECK(names == std::vector<std::string>{"d0", "d1", "d2", "d3", "d4"});
    CHECK(f.api("GET", "/v1/destinations?limit=0").status == 400);
    CHECK(f.api("GET", "/v1/destinations?limit=201").status == 400);
    CHECK(f.api("GET", "/v1/destinations?limit=abc").json()["error"]["details"][0]["path"] == "limit");
    CHECK(f.api("GET", "/v1/destinations?cursor=zzz").status == 400);
}
