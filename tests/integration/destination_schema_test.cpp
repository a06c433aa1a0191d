// The destination's portal schema over the REST API: cached reads, refresh, partial reads for missing scopes, and
// syncs checked against it.
#include "tests/support/daemon_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>

using namespace hubsync::test;
using nlohmann::json;

namespace {
const json*
find_named(const json& list, const std::string& key, const std::string& value)
{
    for (const auto& item : list)
        if (item.value(key, "") == value) return &item;
    return nullptr;
}

int
schema_reads(const emulator_fixture& emu)
{
    return emu.requests()["by_route"].value("GET /crm/v3/properties/{objectType}", 0);
}

json
contacts_sync(std::int64_t model, std::int64_t destination, json mappings)
{
    return {{"name", "contacts"},
            {"model_id", model},
            {"destination_id", destination},
            {"type", "object"},
            {"config",
             {{"object", "contacts"},
              {"mode", "upsert"},
              {"match", {{"column", "email"}, {"property", "email"}}},
              {"mappings", std::move(mappings)}}},
            {"schedule", {{"type", "manual"}}}};
}

std::set<std::string>
paths_of(const json& error)
{
    std::set<std::string> out;
    for (const auto& d : error["error"]["details"]) out.insert(d["path"].get<std::string>());
    return out;
}
}  // namespace

TEST_CASE("schema: read once, answered from the cache, read again on refresh", "[pg][emulator][schema]")
{
    daemon_fixture f;
    auto id = std::to_string(f.create_destination());
    f.emulator().admin("POST", "/requests/reset");

    auto r = f.api("GET", "/v1/destinations/" + id + "/schema");
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto s = r.json();
    CHECK(s["destination_id"].get<std::int64_t>() == std::stoll(id));
    const json* contacts = find_named(s["objects"], "name", "contacts");
    REQUIRE(contacts);
    CHECK((*contacts)["object_type_id"] == "0-1");
    const json* email = find_named((*contacts)["properties"], "name", "email");
    REQUIRE(email);
    CHECK((*email)["type"] == "string");
    const json* created = find_named((*contacts)["properties"], "name", "createdate");
    REQUIRE(created);
    CHECK((*created)["read_only"] == true);
    const json* stage = find_named((*contacts)["properties"], "name", "lifecyclestage");
    REQUIRE(stage);
    CHECK((*stage)["options"].size() > 3);
    const json* to_companies = nullptr;
    for (const auto& a : s["associations"])
        if (a["from"] == "0-1" && a["to"] == "0-2") to_companies = &a;
    REQUIRE(to_companies);
    std::set<int> type_ids;
    for (const auto& t : (*to_companies)["types"]) type_ids.insert(t["type_id"].get<int>());
    CHECK(type_ids.count(279) == 1);  // the unlabeled default contact → company type
    CHECK(s["events"].is_array());
    int reads = schema_reads(f.emulator());
    CHECK(reads == 4);  // contacts, companies, deals, tickets

    auto again = f.api("GET", "/v1/destinations/" + id + "/schema");
    CHECK(again.json() == s);
    CHECK(schema_reads(f.emulator()) == reads);

    // A custom object made in HubSpot appears after a refresh.
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
    CHECK_FALSE(find_named(f.api("GET", "/v1/destinations/" + id + "/schema").json()["objects"], "name", "lender"));
    auto refreshed = f.api("POST", "/v1/destinations/" + id + "/schema/refresh");
    REQUIRE(refreshed.status == 200);
    auto fresh = refreshed.json();
    const json* lender = find_named(fresh["objects"], "name", "lender");
    REQUIRE(lender);
    CHECK((*lender)["custom"] == true);
    CHECK((*lender)["fully_qualified_name"] == "p" + std::to_string(emulator_portal_id) + "_lender");
    const json* code = find_named((*lender)["properties"], "name", "lender_code");
    REQUIRE(code);
    CHECK((*code)["unique"] == true);
    CHECK(schema_reads(f.emulator()) > reads);

    CHECK(f.api("GET", "/v1/destinations/999999/schema").status == 404);
}

TEST_CASE("schema: parts a token may not read are marked, not fatal", "[pg][emulator][schema]")
{
    daemon_fixture f;
    const std::string narrow = "pat-na1-narrow-0000-0000-0000-000000000000";
    f.emulator().add_token(narrow, {"crm.objects.contacts.read", "crm.objects.contacts.write"});
    auto created = f.api("POST", "/v1/destinations",
                         json{{"name", "narrow"}, {"type", "hubspot"}, {"config", {{"private_app_token", narrow}}}});
    REQUIRE(created.status == 201);
    auto r = f.api("GET", "/v1/destinations/" + std::to_string(created.json()["id"].get<std::int64_t>()) + "/schema");
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto s = r.json();
    const json* contacts = find_named(s["objects"], "name", "contacts");
    REQUIRE(contacts);
    CHECK_FALSE(contacts->contains("problem"));
    const json* tickets = find_named(s["objects"], "name", "tickets");
    REQUIRE(tickets);
    CHECK((*tickets)["problem"].get<std::string>().find("403") != std::string::npos);
    CHECK(s.contains("events_problem"));
}

TEST_CASE("schema: syncs are checked against the portal's objects and properties", "[pg][emulator][schema]")
{
    daemon_fixture f;
    auto model = f.create_contacts_model(f.create_demo_source());
    auto destination = f.create_destination();

    SECTION("an unknown property is refused at its path, with a suggestion")
    {
        auto r = f.api("POST", "/v1/syncs",
                       contacts_sync(model, destination, json::array({{{"column", "first_name"}, {"property", "firstnam"}}})));
        INFO(r.body);
        CHECK(r.status == 422);
        CHECK(paths_of(r.json()) == std::set<std::string>{"config.mappings[0].property"});
        CHECK(r.body.find("did you mean 'firstname'") != std::string::npos);
    }
    SECTION("read-only and calculated properties are refused")
    {
        auto r = f.api("POST", "/v1/syncs",
                       contacts_sync(model, destination,
                                     json::array({{{"column", "last_seen_at"}, {"property", "lastmodifieddate"}},
                                                  {{"column", "score"}, {"property", "num_associated_deals"}}})));
        INFO(r.body);
        CHECK(r.status == 422);
        CHECK(paths_of(r.json()) ==
              std::set<std::string>{"config.mappings[0].property", "config.mappings[1].property"});
        CHECK(r.body.find("read-only") != std::string::npos);
        CHECK(r.body.find("calculated") != std::string::npos);
    }
    SECTION("an unknown object is refused")
    {
        auto body = contacts_sync(model, destination, json::array());
        body["config"]["object"] = "contactz";
        auto r = f.api("POST", "/v1/syncs", body);
        CHECK(r.status == 422);
        CHECK(paths_of(r.json()) == std::set<std::string>{"config.object"});
        CHECK(r.body.find("did you mean 'contacts'") != std::string::npos);
    }
    SECTION("matching a company by a non-unique property is a warning")
    {
        auto body = contacts_sync(model, destination, json::array({{{"column", "email"}, {"property", "domain"}}}));
        body["config"]["object"] = "companies";
        body["config"]["match"] = {{"column", "company_name"}, {"property", "name"}};
        auto r = f.api("POST", "/v1/syncs", body);
        INFO(r.body);
        REQUIRE(r.status == 201);
        REQUIRE(r.json()["warnings"].size() == 1);
        CHECK(r.json()["warnings"][0]["path"] == "config.match.property");
    }
    SECTION("association targets, properties and labels are checked")
    {
        auto body = contacts_sync(model, destination, json::array());
        body["config"]["associations"] = json::array(
            {{{"to_object", "companies"}, {"type", "No such label"}, {"match", {{"column", "company_name"}, {"property", "nam"}}}}});
        auto r = f.api("POST", "/v1/syncs", body);
        INFO(r.body);
        CHECK(r.status == 422);
        CHECK(paths_of(r.json()) ==
              std::set<std::string>{"config.associations[0].type", "config.associations[0].match.property"});
        body["config"]["associations"][0]["type"] = "Primary";
        body["config"]["associations"][0]["match"]["property"] = "name";
        auto ok = f.api("POST", "/v1/syncs", body);
        INFO(ok.body);
        CHECK(ok.status == 201);
    }
    SECTION("a property made in HubSpot is accepted after a refresh")
    {
        REQUIRE(f.api("GET", "/v1/destinations/" + std::to_string(destination) + "/schema").status == 200);
        auto late = f.emulator().hs("POST", "/crm/v3/properties/contacts",
                                    json{{"name", "late_score"}, {"label", "Late score"}, {"type", "number"},
                                         {"fieldType", "number"}, {"groupName", "contactinformation"}});
        REQUIRE(late.status == 201);
        auto body = contacts_sync(model, destination, json::array({{{"column", "score"}, {"property", "late_score"}}}));
        CHECK(f.api("POST", "/v1/syncs", body).status == 422);  // the cache is fresh: no automatic re-read
        REQUIRE(f.api("POST", "/v1/destinations/" + std::to_string(destination) + "/schema/refresh").status == 200);
        CHECK(f.api("POST", "/v1/syncs", body).status == 201);
    }
}

TEST_CASE("schema: event syncs are checked against the event definitions", "[pg][emulator][schema]")
{
    daemon_fixture f;
    auto model = f.create_contacts_model(f.create_demo_source());
    auto destination = f.create_destination();
    auto def = f.emulator().hs("POST", "/events/v3/event-definitions",
                               json{{"label", "Signed up"}, {"name", "signed_up"}, {"primaryObject", "CONTACT"},
                                    {"propertyDefinitions", json::array({{{"name", "plan"}, {"label", "Plan"}, {"type", "string"}}})}});
    REQUIRE(def.status == 201);
    auto fqn = "pe" + std::to_string(emulator_portal_id) + "_signed_up";
    json body = {{"name", "signups"},
                 {"model_id", model},
                 {"destination_id", destination},
                 {"type", "event"},
                 {"config",
                  {{"event_name", fqn},
                   {"contact", {{"column", "email"}, {"by", "email"}}},
                   {"occurred_at_column", "last_seen_at"},
                   {"mappings", json::array({{{"column", "tags"}, {"property", "plna"}}})}}},
                 {"schedule", {{"type", "manual"}}}};
    auto bad = f.api("POST", "/v1/syncs", body);
    INFO(bad.body);
    CHECK(bad.status == 422);
    CHECK(paths_of(bad.json()) == std::set<std::string>{"config.mappings[0].property"});
    CHECK(bad.body.find("did you mean 'plan'") != std::string::npos);

    body["config"]["mappings"][0]["property"] = "plan";
    auto ok = f.api("POST", "/v1/syncs", body);
    INFO(ok.body);
    CHECK(ok.status == 201);

    body["name"] = "unknown event";
    body["config"]["event_name"] = "pe" + std::to_string(emulator_portal_id) + "_never_defined";
    auto unknown = f.api("POST", "/v1/syncs", body);
    CHECK(unknown.status == 422);
    CHECK(paths_of(unknown.json()) == std::set<std::string>{"config.event_name"});
}
