// Syncs validated against the model's real columns; warnings, last_run, references.
#include "tests/support/daemon_fixture.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <set>

using namespace hubsync::test;
using nlohmann::json;

namespace {
json
object_sync(std::int64_t model, std::int64_t destination)
{
    return {{"name", "contacts to hubspot"},
            {"model_id", model},
            {"destination_id", destination},
            {"type", "object"},
            {"config",
             {{"object", "contacts"},
              {"mode", "upsert"},
              {"match", {{"column", "email"}, {"property", "email"}}},
              {"mappings", json::array({{{"column", "first_name"}, {"property", "firstname"}},
                                        {{"column", "last_name"}, {"property", "lastname"}}})},
              {"associations", json::array({{{"to_object", "companies"}, {"type", "default"},
                                             {"match", {{"column", "company_name"}, {"property", "name"}}}}})}}},
            {"schedule", {{"type", "interval"}, {"every_seconds", 900}}}};
}

std::set<std::string>
paths_of(const json& error)
{
    std::set<std::string> out;
    for (const auto& d : error["error"]["details"]) out.insert(d["path"].get<std::string>());
    return out;
}
}  // namespace

TEST_CASE("syncs: create, read, list, patch, delete", "[pg][api][syncs]")
{
    daemon_fixture f;
    auto model = f.create_contacts_model(f.create_demo_source());
    auto destination = f.create_destination();

    auto created = f.api("POST", "/v1/syncs", object_sync(model, destination));
    REQUIRE(created.status == 201);
    auto s = created.json();
    auto id = std::to_string(s["id"].get<std::int64_t>());
    CHECK(s["enabled"] == true);
    // Associations are accepted, and the sync says at once that this version does not run them yet.
    REQUIRE(s["warnings"].size() == 1);
    CHECK(s["warnings"][0]["path"] == "config.associations");
    CHECK(s["last_run"].is_null());
    CHECK(s["config"]["associations"][0]["type"] == "default");
    CHECK(f.api("GET", "/v1/syncs/" + id).json() == s);
    CHECK(f.api("GET", "/v1/syncs").json()["data"].size() == 1);

    auto patched = f.api("PATCH", "/v1/syncs/" + id,
                         json{{"enabled", false}, {"schedule", {{"type", "cron"}, {"expression", "*/15 * * * *"}, {"every_seconds", nullptr}}}});
    REQUIRE(patched.status == 200);
    CHECK(patched.json()["enabled"] == false);
    CHECK(patched.json()["schedule"] == json{{"type", "cron"}, {"expression", "*/15 * * * *"}});
    CHECK(patched.json()["config"] == s["config"]);

    SECTION("the model and the destination cannot be deleted while the sync uses them")
    {
        CHECK(f.api("DELETE", "/v1/models/" + std::to_string(model)).status == 409);
        CHECK(f.api("DELETE", "/v1/destinations/" + std::to_string(destination)).status == 409);
        CHECK(f.api("DELETE", "/v1/syncs/" + id).status == 204);
        CHECK(f.api("DELETE", "/v1/models/" + std::to_string(model)).status == 204);
        CHECK(f.api("DELETE", "/v1/destinations/" + std::to_string(destination)).status == 204);
    }
    SECTION("last_run shows the newest run, and the runs are listed newest first")
    {
        {
            pqxx::connection c(f.database().url());
            pqxx::work tx(c);
            tx.exec("INSERT INTO hubsync.runs (sync_id, status, api_calls) VALUES (" + id + ", 'succeeded', 7), (" + id +
                    ", 'running', 3)");
            tx.commit();
        }
        auto got = f.api("GET", "/v1/syncs/" + id).json();
        CHECK(got["last_run"]["status"] == "running");
        CHECK(got["last_run"]["api_calls"] == 3);
        auto runs = f.api("GET", "/v1/syncs/" + id + "/runs").json()["data"];
        REQUIRE(runs.size() == 2);
        CHECK(runs[0]["status"] == "running");
        CHECK(runs[1]["status"] == "succeeded");
        auto run_id = std::to_string(runs[1]["id"].get<std::int64_t>());
        CHECK(f.api("GET", "/v1/runs/" + run_id).json()["api_calls"] == 7);
        CHECK(f.api("GET", "/v1/runs/" + run_id + "/errors").json()["data"] == json::array());
        CHECK(f.api("GET", "/v1/runs/999999").status == 404);
        // A sync with a running run cannot be deleted.
        CHECK(f.api("DELETE", "/v1/syncs/" + id).status == 409);
    }
}

TEST_CASE("syncs: every problem is reported with its JSON path", "[pg][api][syncs]")
{
    daemon_fixture f;
    auto model = f.create_contacts_model(f.create_demo_source());
    auto destination = f.create_destination();
    auto body = object_sync(model, destination);

    SECTION("unknown columns get a suggestion")
    {
        body["config"]["mappings"][1]["column"] = "lastname";
        auto r = f.api("POST", "/v1/syncs", body);
        REQUIRE(r.status == 422);
        CHECK(paths_of(r.json()) == std::set<std::string>{"config.mappings[1].column"});
        CHECK(r.json()["error"]["details"][0]["message"] == "the model has no column 'lastname'; did you mean 'last_name'?");
    }
    SECTION("hs_object_id matching only in update mode")
    {
        body["config"]["match"] = {{"column", "contact_id"}, {"property", "hs_object_id"}};
        auto r = f.api("POST", "/v1/syncs", body);
        CHECK(paths_of(r.json()) == std::set<std::string>{"config.match.property"});
        body["config"]["mode"] = "update";
        CHECK(f.api("POST", "/v1/syncs", body).status == 201);
    }
    SECTION("several problems at once, including unknown fields and bad schedule")
    {
        body["config"]["mode"] = "merge";
        body["config"]["batch_size"] = 10;
        body["schedule"] = {{"type", "cron"}, {"expression", "61 * * * *"}};
        body["model_id"] = "1";
        auto r = f.api("POST", "/v1/syncs", body);
        REQUIRE(r.status == 422);
        CHECK(paths_of(r.json()) == std::set<std::string>{"model_id"});  // references are checked first
        body["model_id"] = model;
        r = f.api("POST", "/v1/syncs", body);
        CHECK(paths_of(r.json()) == std::set<std::string>{"config.mode", "config.batch_size", "schedule.expression"});
    }
    SECTION("event and list syncs have their own shapes")
    {
        json event = {{"name", "events"}, {"model_id", model}, {"destination_id", destination}, {"type", "event"},
                      {"config", {{"event_name", "pe123_signed_up"}, {"contact", {{"column", "email"}, {"by", "phone"}}},
                                  {"occurred_at_column", "last_seen"}, {"mode", "upsert"}}}};
        auto r = f.api("POST", "/v1/syncs", event);
        CHECK(paths_of(r.json()) == std::set<std::string>{"config.contact.by", "config.occurred_at_column", "config.mode"});
        REQUIRE(f.emulator()
                    .hs("POST", "/events/v3/event-definitions",
                        json{{"label", "Signed up"}, {"name", "signed_up"}, {"primaryObject", "CONTACT"}})
                    .status == 201);
        event["config"] = {{"event_name", "pe" + std::to_string(emulator_portal_id) + "_signed_up"},
                           {"contact", {{"column", "email"}, {"by", "email"}}},
                           {"occurred_at_column", "last_seen_at"}};
        auto ok = f.api("POST", "/v1/syncs", event);
        REQUIRE(ok.status == 201);
        CHECK(ok.json()["config"]["mappings"] == json::array());

        json list = {{"name", "list"}, {"model_id", model}, {"destination_id", destination}, {"type", "list"},
                     {"config", {{"match", {{"column", "email"}, {"by", "email"}}}}}};
        auto l = f.api("POST", "/v1/syncs", list);
        REQUIRE(l.status == 201);
        CHECK(l.json()["config"]["list_name"].is_null());
        CHECK(l.json()["schedule"] == json{{"type", "manual"}});
    }
    SECTION("references to missing model or destination")
    {
        body["destination_id"] = 424242;
        auto r = f.api("POST", "/v1/syncs", body);
        CHECK(r.status == 422);
        CHECK(paths_of(r.json()) == std::set<std::string>{"destination_id"});
    }
    CHECK(f.api("GET", "/v1/syncs").json()["data"].size() <= 2);
}

TEST_CASE("syncs: validation uses the model's last known columns when the warehouse is down", "[pg][api][syncs]")
{
    daemon_fixture f;
    auto source = f.create_demo_source();
    auto model = f.create_contacts_model(source);
    auto destination = f.create_destination();
    auto dead = "postgresql://u:p@127.0.0.1:" + std::to_string(free_port()) + "/db";
    REQUIRE(f.api("PATCH", "/v1/sources/" + std::to_string(source), json{{"config", {{"url", dead}}}}).status == 200);
    CHECK(f.api("POST", "/v1/syncs", object_sync(model, destination)).status == 201);
}
