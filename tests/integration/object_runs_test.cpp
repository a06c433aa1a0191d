// Object sync runs end to end: a real warehouse table, hubsyncd, and the emulator's records compared to the model.
#include "tests/support/sync_harness.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <csignal>
#include <map>
#include <thread>

using namespace hubsync::test;
using nlohmann::json;

namespace {
struct setup {
    daemon_fixture& f;
    std::int64_t sync = 0;

    setup(daemon_fixture& fx, const warehouse& w, const std::string& mode, json extra_mappings = json::array())
        : f(fx)
    {
        auto source = id_of(f.api("POST", "/v1/sources", json{{"name", "wh"}, {"type", "postgres"}, {"config", {{"url", w.db.url()}}}}),
                            "source");
        auto model = id_of(f.api("POST", "/v1/models",
                                 json{{"name", "people"}, {"source_id", source}, {"primary_key", "id"},
                                      {"sql", "SELECT id, email, first_name, last_name, stage, score, signed_up, seen_at FROM people"}}),
                           "model");
        auto destination = f.create_destination();
        json mappings = json::array({{{"column", "first_name"}, {"property", "firstname"}},
                                     {{"column", "last_name"}, {"property", "lastname"}},
                                     {{"column", "stage"}, {"property", "lifecyclestage"}}});
        for (const auto& m : extra_mappings) mappings.push_back(m);
        sync = id_of(f.api("POST", "/v1/syncs",
                           json{{"name", "people"}, {"model_id", model}, {"destination_id", destination}, {"type", "object"},
                                {"config", {{"object", "contacts"}, {"mode", mode},
                                            {"match", {{"column", "email"}, {"property", "email"}}}, {"mappings", mappings}}},
                                {"schedule", {{"type", "manual"}}}}),
                     "sync");
    }

    json trigger(json body = json::object()) const
    {
        auto r = f.api("POST", "/v1/syncs/" + std::to_string(sync) + "/trigger", body);
        INFO(r.body);
        REQUIRE(r.status == 202);
        return r.json();
    }

    json wait(std::int64_t run, int seconds = 30) const
    {
        for (int i = 0; i < seconds * 10; ++i) {
            auto r = f.api("GET", "/v1/runs/" + std::to_string(run)).json();
            auto status = r["status"].get<std::string>();
            if (status != "queued" && status != "running") return r;
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
        }
        auto log = f.process().log();
        FAIL("run " << run << " did not finish; hubsyncd log:\n" << log.substr(log.size() > 6000 ? log.size() - 6000 : 0));
        return {};
    }

    json run(json body = json::object()) const { return wait(trigger(body)["id"].get<std::int64_t>()); }

    json errors(std::int64_t run) const
    {
        return f.api("GET", "/v1/runs/" + std::to_string(run) + "/errors?limit=200").json()["data"];
    }
};

// The emulator's contacts by email.
std::map<std::string, json>
contacts(const emulator_fixture& emu)
{
    std::map<std::string, json> out;
    auto state = emu.state("contacts");
    for (const auto& r : state["results"]) out[r["properties"].value("email", "")] = r["properties"];
    return out;
}

}  // namespace

TEST_CASE("runs: upsert creates every row, a re-run sends nothing, changes send exactly those rows", "[pg][emulator][runs]")
{
    warehouse w(250);
    daemon_fixture f;
    setup s(f, w, "upsert");

    auto first = s.run();
    INFO(first.dump());
    CHECK(first["status"] == "succeeded");
    CHECK(first["planned"]["added"] == 250);
    CHECK(first["succeeded"]["added"] == 250);
    CHECK(first["api_calls"] == 3);  // 100 + 100 + 50
    auto in_hubspot = contacts(f.emulator());
    REQUIRE(in_hubspot.size() == 250);
    CHECK(in_hubspot["person7@example.com"]["firstname"] == "First7");
    CHECK(in_hubspot["person7@example.com"]["lifecyclestage"] == "lead");

    f.emulator().admin("POST", "/requests/reset");
    auto again = s.run();
    CHECK(again["status"] == "succeeded");
    CHECK(again["planned"]["unchanged"] == 250);
    CHECK(again["api_calls"] == 0);
    CHECK(writes(f.emulator()) == 0);

    w.exec("UPDATE people SET first_name = 'Changed' WHERE id IN ('p000003', 'p000150')");
    w.exec("INSERT INTO people VALUES ('p999999', 'new@example.com', 'New', 'Person', 'lead', 1, '2024-01-01', now())");
    w.exec("DELETE FROM people WHERE id = 'p000010'");
    auto third = s.run();
    INFO(third.dump());
    CHECK(third["status"] == "succeeded");
    CHECK(third["planned"]["changed"] == 2);
    CHECK(third["planned"]["added"] == 1);
    CHECK(third["planned"]["removed"] == 1);
    CHECK(third["planned"]["unchanged"] == 247);
    in_hubspot = contacts(f.emulator());
    CHECK(in_hubspot.size() == 251);  // removed rows leave HubSpot alone
    CHECK(in_hubspot["person3@example.com"]["firstname"] == "Changed");
    CHECK(in_hubspot["person150@example.com"]["firstname"] == "Changed");
    CHECK(in_hubspot["new@example.com"]["firstname"] == "New");
}

TEST_CASE("runs: a bad row fails alone with its primary key, and is sent again once fixed", "[pg][emulator][runs]")
{
    warehouse w(120);
    w.exec("UPDATE people SET stage = 'not-a-stage' WHERE id = 'p000005'");
    w.exec("UPDATE people SET email = NULL WHERE id = 'p000006'");
    daemon_fixture f;
    setup s(f, w, "upsert");
    auto r = s.run();
    INFO(r.dump());
    CHECK(r["status"] == "partial");
    CHECK(r["succeeded"]["added"] == 118);
    CHECK(r["failed"]["added"] == 2);
    auto errors = s.errors(r["id"].get<std::int64_t>());
    REQUIRE(errors.size() == 2);
    std::map<std::string, std::string> by_pk;
    for (const auto& e : errors) by_pk[e["primary_key"].get<std::string>()] = e["message"].get<std::string>();
    CHECK(by_pk["p000005"].find("not-a-stage") != std::string::npos);
    CHECK(by_pk["p000006"].find("match column") != std::string::npos);
    CHECK(contacts(f.emulator()).size() == 118);

    w.exec("UPDATE people SET stage = 'customer' WHERE id = 'p000005'");
    auto fixed = s.run();
    INFO(fixed.dump());
    CHECK(fixed["planned"]["added"] == 2);  // both failed rows are planned again
    CHECK(fixed["succeeded"]["added"] == 1);
    CHECK(fixed["failed"]["added"] == 1);
    CHECK(contacts(f.emulator())["person5@example.com"]["lifecyclestage"] == "customer");
}

TEST_CASE("runs: NULL and duplicated primary keys are row errors, never silently dropped", "[pg][emulator][runs]")
{
    warehouse w(10);
    w.exec("ALTER TABLE people DROP CONSTRAINT people_pkey");
    w.exec("ALTER TABLE people ALTER COLUMN id DROP NOT NULL");
    w.exec("INSERT INTO people VALUES ('p000002', 'dup@example.com', 'Dup', 'Dup', 'lead', 1, '2024-01-01', now())");
    w.exec("INSERT INTO people VALUES (NULL, 'null@example.com', 'Null', 'Key', 'lead', 1, '2024-01-01', now())");
    daemon_fixture f;
    setup s(f, w, "upsert");
    auto r = s.run();
    INFO(r.dump());
    CHECK(r["planned"]["added"] == 9);  // p000002 is the duplicated key
    CHECK(r["planned"]["invalid"] == 3);
    // Rows that could not be sent make the run partial, never succeeded (the README's promise).
    CHECK(r["status"] == "partial");
    CHECK(r["failed"]["invalid"] == 3);
    CHECK(r["succeeded"]["added"] == 9);
    auto errors = s.errors(r["id"].get<std::int64_t>());
    REQUIRE(errors.size() == 2);
    CHECK(contacts(f.emulator()).count("dup@example.com") == 0);
}

TEST_CASE("runs: update mode only updates, insert mode only inserts", "[pg][emulator][runs]")
{
    warehouse w(20);
    daemon_fixture f;
    // One contact already exists in HubSpot, with other values.
    f.emulator().seed("contacts", json::array({{{"properties", {{"email", "person3@example.com"}, {"firstname", "Old"}}}}}));
    SECTION("update")
    {
        setup s(f, w, "update");
        auto r = s.run();
        INFO(r.dump());
        CHECK(r["status"] == "partial");
        CHECK(r["succeeded"]["added"] == 1);
        CHECK(r["failed"]["added"] == 19);
        CHECK(contacts(f.emulator()).size() == 1);
        CHECK(contacts(f.emulator())["person3@example.com"]["firstname"] == "First3");
        auto errors = s.errors(r["id"].get<std::int64_t>());
        CHECK(errors[0]["category"] == "not_found");
    }
    SECTION("insert")
    {
        setup s(f, w, "insert");
        auto r = s.run();
        INFO(r.dump());
        CHECK(r["succeeded"]["added"] == 19);
        CHECK(r["failed"]["added"] == 1);
        auto in_hubspot = contacts(f.emulator());
        CHECK(in_hubspot.size() == 20);
        CHECK(in_hubspot["person3@example.com"]["firstname"] == "Old");  // reported, not overwritten
        auto errors = s.errors(r["id"].get<std::int64_t>());
        REQUIRE(errors.size() == 1);
        CHECK(errors[0]["category"] == "exists");
        CHECK(errors[0]["primary_key"] == "p000003");

        w.exec("UPDATE people SET first_name = 'Changed' WHERE id = 'p000004'");
        f.emulator().admin("POST", "/requests/reset");
        auto again = s.run();
        CHECK(again["planned"]["changed"] == 1);
        CHECK(writes(f.emulator()) == 0);  // insert mode does not send changes
        CHECK(contacts(f.emulator())["person4@example.com"]["firstname"] == "First4");
    }
}

TEST_CASE("runs: a dry run plans and shows a sample without writing anything", "[pg][emulator][runs]")
{
    warehouse w(30);
    daemon_fixture f;
    setup s(f, w, "upsert");
    auto r = s.run({{"dry_run", true}});
    INFO(r.dump());
    CHECK(r["status"] == "succeeded");
    CHECK(r["dry_run"] == true);
    CHECK(r["planned"]["added"] == 30);
    CHECK(r["projected_api_calls"] == 1);
    REQUIRE(r["sample"].size() == 20);
    CHECK(r["sample"][0]["properties"]["email"] == "person1@example.com");
    CHECK(contacts(f.emulator()).empty());
    // Nothing was recorded either: a real run still adds everything.
    auto real = s.run();
    CHECK(real["planned"]["added"] == 30);
}

TEST_CASE("runs: reset_baseline adopts the rows without sending, full_resync sends them all", "[pg][emulator][runs]")
{
    warehouse w(40);
    daemon_fixture f;
    setup s(f, w, "upsert");
    auto adopted = s.run({{"reset_baseline", true}});
    CHECK(adopted["status"] == "succeeded");
    CHECK(writes(f.emulator()) == 0);
    CHECK(s.run()["planned"]["unchanged"] == 40);
    auto full = s.run({{"full_resync", true}});
    CHECK(full["planned"]["changed"] == 40);
    CHECK(contacts(f.emulator()).size() == 40);
    auto bad = f.api("POST", "/v1/syncs/" + std::to_string(s.sync) + "/trigger",
                     json{{"full_resync", true}, {"reset_baseline", true}});
    CHECK(bad.status == 422);
}

TEST_CASE("runs: one run per sync, a second trigger queues behind it, cancel stops it", "[pg][emulator][runs]")
{
    warehouse w(3000);
    daemon_fixture f;
    // Slow HubSpot down so the run is still going when it is cancelled.
    f.emulator().config({{"faults", json::array({{{"status", "latency"}, {"count", 1000}, {"latency_ms", 500},
                                                 {"path_prefix", "/crm/v3/objects/0-1/batch"}}})}});
    setup s(f, w, "upsert");
    auto first = s.trigger();
    auto first_id = first["id"].get<std::int64_t>();
    for (int i = 0; i < 100 && f.api("GET", "/v1/runs/" + std::to_string(first_id)).json()["status"] != "running"; ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    auto second = f.api("POST", "/v1/syncs/" + std::to_string(s.sync) + "/trigger");
    auto third = f.api("POST", "/v1/syncs/" + std::to_string(s.sync) + "/trigger");
    REQUIRE(second.status == 202);
    CHECK(third.status == 200);  // already queued: the same run
    CHECK(third.json()["id"] == second.json()["id"]);
    CHECK(second.json()["run_id"] == second.json()["id"]);
    CHECK(third.json()["run_id"] == second.json()["id"]);

    auto cancel = f.api("POST", "/v1/runs/" + std::to_string(first_id) + "/cancel");
    CHECK(cancel.status == 202);
    auto ended = s.wait(first_id);
    CHECK(ended["status"] == "cancelled");
    CHECK(ended["succeeded"]["added"].get<int>() < 3000);

    auto queued_id = second.json()["id"].get<std::int64_t>();
    CHECK(f.api("POST", "/v1/runs/" + std::to_string(queued_id) + "/cancel").status == 202);
    CHECK(s.wait(queued_id)["status"] == "cancelled");
    CHECK(f.api("POST", "/v1/runs/" + std::to_string(queued_id) + "/cancel").status == 409);
}

TEST_CASE("runs: kill -9 mid-run, restart, and HubSpot ends equal to the model without duplicates", "[pg][emulator][runs][crash]")
{
    auto mode = GENERATE(std::string("upsert"), std::string("insert"));
    INFO("mode " << mode);
    warehouse w(2000);
    daemon_fixture f(env_map{{"HUBSYNC_RUN_LEASE_SECONDS", "2"}});
    f.emulator().config({{"faults", json::array({{{"status", "latency"}, {"count", 100000}, {"latency_ms", 300},
                                                 {"path_prefix", "/crm/v3/objects/0-1/batch"}}})}});
    setup s(f, w, mode);
    auto run = s.trigger()["id"].get<std::int64_t>();
    // Let a few batches land, then kill without warning.
    int landed = 0;
    for (int i = 0; i < 500; ++i) {
        landed = f.emulator().state("contacts")["total"].get<int>();
        if (landed >= 300) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    REQUIRE(f.api("GET", "/v1/runs/" + std::to_string(run)).json()["status"] == "running");
    f.restart(SIGKILL);
    // Preconditions: the kill landed mid-run, with batches done and batches left.
    REQUIRE(landed >= 300);
    REQUIRE(f.emulator().state("contacts")["total"].get<int>() < 2000);
    f.emulator().config({{"faults", json::array()}});
    // The restarted daemon notices the dead run (its lease ran out), fails it and queues the sync again.
    auto dead = s.wait(run, 60);
    CHECK(dead["status"] == "failed");
    CHECK(dead["error"].get<std::string>().find("interrupted") != std::string::npos);
    std::int64_t next = 0;
    for (int i = 0; i < 100 && !next; ++i) {
        auto runs = f.api("GET", "/v1/syncs/" + std::to_string(s.sync) + "/runs").json();
        for (const auto& r : runs["data"])
            if (r["id"].get<std::int64_t>() > run) next = r["id"].get<std::int64_t>();
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    REQUIRE(next);
    auto finished = s.wait(next);
    INFO(finished.dump());
    CHECK(finished["status"] == "succeeded");

    auto state = f.emulator().state("contacts");
    CHECK(state["total"] == 2000);  // no duplicates
    auto in_hubspot = contacts(f.emulator());
    CHECK(in_hubspot.size() == 2000);
    CHECK(in_hubspot["person1999@example.com"]["firstname"] == "First1999");
    // And one more run has nothing left to do.
    CHECK(s.run()["planned"]["unchanged"] == 2000);
}

TEST_CASE("runs: a scope the token lost fails the run, naming the scope", "[pg][emulator][runs]")
{
    warehouse w(10);
    daemon_fixture f;
    setup s(f, w, "upsert");
    // The private app's scopes were changed in HubSpot after the sync was made.
    f.emulator().add_token(emulator_token, {"crm.objects.contacts.read", "crm.schemas.contacts.read"});
    auto r = s.run();
    INFO(r.dump());
    CHECK(r["status"] == "failed");
    CHECK(r["error"].get<std::string>().find("crm.objects.contacts.write") != std::string::npos);
    CHECK(contacts(f.emulator()).empty());
}

TEST_CASE("runs: companies, deals, tickets and custom objects, in each mode", "[pg][emulator][runs]")
{
    warehouse w(30);
    daemon_fixture f;
    SECTION("custom object, upsert by its unique property, then a change")
    {
        auto made = f.emulator().hs("POST", "/crm/v3/schemas",
                                    json{{"name", "lender"},
                                         {"labels", {{"singular", "Lender"}, {"plural", "Lenders"}}},
                                         {"primaryDisplayProperty", "lender_name"},
                                         {"requiredProperties", json::array({"lender_name"})},
                                         {"properties", json::array({{{"name", "lender_name"}, {"label", "Name"}, {"type", "string"}},
                                                                     {{"name", "lender_code"}, {"label", "Code"}, {"type", "string"},
                                                                      {"hasUniqueValue", true}}})},
                                         {"associatedObjects", json::array({"CONTACT"})}});
        REQUIRE(made.status == 201);
        auto fqn = "p" + std::to_string(emulator_portal_id) + "_lender";
        auto sync = object_sync(f, w, fqn, "upsert", {{"column", "id"}, {"property", "lender_code"}},
                                json::array({{{"column", "first_name"}, {"property", "lender_name"}}}));
        auto r = run_sync_once(f, sync);
        INFO(r.dump());
        CHECK(r["status"] == "succeeded");
        CHECK(r["succeeded"]["added"] == 30);
        auto lenders = records_by(f.emulator(), fqn, "lender_code");
        REQUIRE(lenders.size() == 30);
        CHECK(lenders["p000004"]["lender_name"] == "First4");
        w.exec("UPDATE people SET first_name = 'Renamed' WHERE id = 'p000004'");
        auto again = run_sync_once(f, sync);
        CHECK(again["succeeded"]["changed"] == 1);
        CHECK(again["api_calls"] == 1);
        CHECK(records_by(f.emulator(), fqn, "lender_code")["p000004"]["lender_name"] == "Renamed");
        CHECK(records_by(f.emulator(), fqn, "lender_code").size() == 30);
    }
    SECTION("companies, upsert by a non-unique property: search, a warning, and ids kept for later runs")
    {
        f.emulator().seed("companies", json::array({{{"properties", {{"domain", "person2@example.com"}, {"name", "Existing"}}}}}));
        auto sync = object_sync(f, w, "companies", "upsert", {{"column", "email"}, {"property", "domain"}},
                                json::array({{{"column", "first_name"}, {"property", "name"}}}));
        CHECK(f.api("GET", "/v1/syncs/" + std::to_string(sync)).json()["warnings"].size() == 1);
        auto r = run_sync_once(f, sync);
        INFO(r.dump());
        CHECK(r["status"] == "succeeded");
        auto companies = records_by(f.emulator(), "companies", "domain");
        CHECK(companies.size() == 30);  // the existing one was updated, not duplicated
        CHECK(companies["person2@example.com"]["name"] == "First2");
        f.emulator().admin("POST", "/requests/reset");
        w.exec("UPDATE people SET first_name = 'Again' WHERE id = 'p000005'");
        auto again = run_sync_once(f, sync);
        CHECK(again["succeeded"]["changed"] == 1);
        CHECK(f.emulator().requests()["by_route"].value("POST /crm/v3/objects/{objectType}/search", 0) == 0);  // by id now
        CHECK(records_by(f.emulator(), "companies", "domain")["person5@example.com"]["name"] == "Again");
    }
    SECTION("deals, insert")
    {
        // HubSpot requires a stage; the enumeration is matched case-insensitively to its option value.
        auto sync = object_sync(f, w, "deals", "insert", {{"column", "email"}, {"property", "dealname"}},
                                json::array({{{"column", "score"}, {"property", "amount"}},
                                             {{"column", "stage"}, {"property", "dealstage"}},
                                             {{"column", "signed_up"}, {"property", "closedate"}}}),
                                "SELECT id, email, score, 'AppointmentScheduled' AS stage, signed_up FROM people");
        auto r = run_sync_once(f, sync);
        INFO(r.dump());
        INFO(f.api("GET", "/v1/runs/" + std::to_string(r["id"].get<std::int64_t>()) + "/errors?limit=2").body);
        CHECK(r["succeeded"]["added"] == 30);
        auto deals = records_by(f.emulator(), "deals", "dealname");
        REQUIRE(deals.size() == 30);
        CHECK(deals["person3@example.com"]["amount"] == "4.5");
        CHECK(deals["person3@example.com"]["dealstage"] == "appointmentscheduled");
        CHECK(deals["person3@example.com"]["closedate"] == "2024-01-04");
    }
    SECTION("tickets, update by record id")
    {
        auto ids = f.emulator().seed("tickets", json::array({{{"properties", {{"subject", "one"}, {"hs_pipeline", "0"}, {"hs_pipeline_stage", "1"}}}},
                                                             {{"properties", {{"subject", "two"}, {"hs_pipeline", "0"}, {"hs_pipeline_stage", "1"}}}}}));
        // Two rows carry the seeded tickets' ids; the others ids HubSpot does not have.
        w.exec("ALTER TABLE people ADD COLUMN ticket_id text");
        w.exec("UPDATE people SET ticket_id = '90000' || ltrim(id, 'p0')");
        w.exec("UPDATE people SET ticket_id = '" + ids.at(0) + "' WHERE id = 'p000001'");
        w.exec("UPDATE people SET ticket_id = '" + ids.at(1) + "' WHERE id = 'p000002'");
        auto sync = object_sync(f, w, "tickets", "update", {{"column", "ticket_id"}, {"property", "hs_object_id"}},
                                json::array({{{"column", "first_name"}, {"property", "subject"}}}),
                                "SELECT id, ticket_id, first_name FROM people");
        auto r = run_sync_once(f, sync);
        INFO(r.dump());
        CHECK(r["status"] == "partial");
        auto tickets = records_by(f.emulator(), "tickets", "hs_object_id");
        CHECK(tickets.size() == 2);
        std::size_t updated = 0;
        for (const auto& [id, t] : tickets)
            if (t.value("subject", "").rfind("First", 0) == 0) ++updated;
        CHECK(updated == 2);
        CHECK(r["succeeded"]["added"] == 2);
        CHECK(r["failed"]["added"] == 28);
    }
}

TEST_CASE("runs: every mode for every object kind, matched by a unique property", "[pg][emulator][runs]")
{
    struct kind {
        std::string object;      // as the sync names it
        std::string name;        // the property the model's first_name feeds
        std::string group;       // for the ext_id property
        json required;           // mappings HubSpot needs to create a record
        std::string columns;     // the model columns feeding them
        json seed_required;      // the same for seeded records
    };
    const std::string custom = "p" + std::to_string(emulator_portal_id) + "_gadget";
    const std::vector<kind> kinds = {
        {"contacts", "firstname", "contactinformation", json::array(), "", json::object()},
        {"companies", "name", "companyinformation", json::array(), "", json::object()},
        {"deals", "dealname", "dealinformation", json::array({{{"column", "deal_stage"}, {"property", "dealstage"}}}),
         ", 'appointmentscheduled' AS deal_stage", {{"dealstage", "appointmentscheduled"}}},
        {"tickets", "subject", "ticketinformation",
         json::array({{{"column", "ticket_stage"}, {"property", "hs_pipeline_stage"}}}), ", '1' AS ticket_stage",
         {{"hs_pipeline", "0"}, {"hs_pipeline_stage", "1"}}},
        {custom, "gadget_name", "", json::array(), "", json::object()},
    };
    for (const std::string mode : {"upsert", "update", "insert"}) {
        DYNAMIC_SECTION(mode)
        {
            warehouse w(6);
            daemon_fixture f;
            auto made = f.emulator().hs(
                "POST", "/crm/v3/schemas",
                json{{"name", "gadget"},
                     {"labels", {{"singular", "Gadget"}, {"plural", "Gadgets"}}},
                     {"primaryDisplayProperty", "gadget_name"},
                     {"requiredProperties", json::array({"gadget_name"})},
                     {"properties", json::array({{{"name", "gadget_name"}, {"label", "Name"}, {"type", "string"}},
                                                 {{"name", "ext_id"}, {"label", "Ext"}, {"type", "string"},
                                                  {"hasUniqueValue", true}}})},
                     {"associatedObjects", json::array({"CONTACT"})}});
            REQUIRE(made.status == 201);
            for (const auto& k : kinds) {
                INFO(mode << " " << k.object);
                if (k.object != custom) {
                    auto p = f.emulator().hs("POST", "/crm/v3/properties/" + k.object,
                                             json{{"name", "ext_id"}, {"label", "External id"}, {"type", "string"},
                                                  {"fieldType", "text"}, {"groupName", k.group}, {"hasUniqueValue", true}});
                    INFO(p.body);
                    REQUIRE(p.status == 201);
                }
                // Rows p000001 and p000002 exist in HubSpot already, with old names.
                json seeded = json::array();
                for (const char* id : {"p000001", "p000002"}) {
                    json props = k.seed_required;
                    props["ext_id"] = id;
                    props[k.name] = std::string("Old ") + id;
                    if (k.object == "contacts") props["email"] = std::string(id) + "@old.example.com";
                    seeded.push_back({{"properties", props}});
                }
                f.emulator().seed(k.object, seeded);

                json mappings = json::array({{{"column", "first_name"}, {"property", k.name}}});
                for (const auto& m : k.required) mappings.push_back(m);
                auto sync = object_sync(f, w, k.object, mode, {{"column", "id"}, {"property", "ext_id"}}, mappings,
                                        "SELECT id, first_name" + k.columns + " FROM people");
                auto r = run_sync_once(f, sync);
                INFO(r.dump());
                auto records = records_by(f.emulator(), k.object, "ext_id");
                if (mode == "upsert") {
                    // Two updated in place, four created: six records, each once.
                    CHECK(r["status"] == "succeeded");
                    CHECK(r["succeeded"]["added"] == 6);
                    CHECK(records.size() == 6);
                    CHECK(records["p000001"][k.name] == "First1");
                    CHECK(records["p000006"][k.name] == "First6");
                } else if (mode == "update") {
                    // Only the two that exist are updated; the others are row errors, and nothing is created.
                    CHECK(r["status"] == "partial");
                    CHECK(r["succeeded"]["added"] == 2);
                    CHECK(r["failed"]["added"] == 4);
                    CHECK(records.size() == 2);
                    CHECK(records["p000002"][k.name] == "First2");
                } else {
                    // The two that exist are reported and left alone; the others are created.
                    CHECK(r["status"] == "partial");
                    CHECK(r["succeeded"]["added"] == 4);
                    CHECK(r["failed"]["added"] == 2);
                    CHECK(records.size() == 6);
                    CHECK(records["p000001"][k.name] == "Old p000001");
                    CHECK(records["p000005"][k.name] == "First5");
                }
                // A second run sends nothing new.
                auto again = run_sync_once(f, sync);
                CHECK(again["succeeded"]["added"] == 0);
                CHECK(again["succeeded"]["changed"] == 0);
            }
        }
    }
}
