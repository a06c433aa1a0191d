// Single-record endpoints, value conversion and validation (hubspot-api.md §2.2-2.3, §2.7, §8.5-7, §8.9, §8.11).
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <set>

using namespace hubsync::test;
using nlohmann::json;

namespace {
const std::regex iso_re(R"(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z)");

// One invalid-property 400, checked down to the embedded list.
void
check_property_error(const http_result& r, const std::string& property, const std::string& code,
                     const std::string& message_part)
{
    INFO(r.body);
    REQUIRE(r.status == 400);
    auto j = r.json();
    CHECK(j["status"] == "error");
    CHECK(j["category"] == "VALIDATION_ERROR");
    auto list = embedded_property_errors(j["message"]);
    REQUIRE(list.is_array());
    REQUIRE(list.size() == 1);
    CHECK(list[0]["isValid"] == false);
    CHECK(list[0]["error"] == code);
    CHECK(list[0]["name"] == property);
    CHECK(list[0]["portalId"] == emulator_portal_id);
    CHECK(list[0]["message"].get<std::string>().find(message_part) != std::string::npos);
    CHECK(list[0]["localizedErrorMessage"] == list[0]["message"]);
    CHECK(j["errors"][0]["code"] == code);
    CHECK(j["errors"][0]["message"] == list[0]["message"]);
    CHECK(j["errors"][0]["context"]["propertyName"] == json::array({property}));
}
}  // namespace

TEST_CASE("create, read, update and archive one record", "[emulator][objects]")
{
    emulator_fixture emu;
    auto created = emu.hs("POST", "/crm/v3/objects/deals",
                          json{{"properties",
                                {{"dealname", "Big deal"}, {"amount", 1500.5}, {"dealstage", "qualifiedtobuy"},
                                 {"closedate", "2024-03-01"}}}});
    INFO(created.body);
    REQUIRE(created.status == 201);
    auto d = created.json();
    const auto id = d["id"].get<std::string>();
    CHECK(std::regex_match(id, std::regex("[0-9]+")));
    CHECK(d["properties"]["hs_object_id"] == id);
    CHECK(d["properties"]["amount"] == "1500.5");  // numbers are stored and returned as strings
    CHECK(d["properties"]["closedate"] == "2024-03-01");
    CHECK(d["properties"]["pipeline"] == "default");  // filled in like HubSpot's default pipeline
    CHECK(std::regex_match(d["properties"]["createdate"].get<std::string>(), iso_re));
    CHECK(d["properties"]["hs_lastmodifieddate"] == d["properties"]["createdate"]);
    CHECK(!d["properties"].contains("description"));  // unset properties are omitted
    CHECK(d["archived"] == false);
    CHECK(std::regex_match(d["createdAt"].get<std::string>(), iso_re));

    auto got = emu.hs("GET", "/crm/v3/objects/deals/" + id + "?properties=dealname,amount");
    REQUIRE(got.status == 200);
    auto props = got.json()["properties"];
    std::set<std::string> keys;
    for (auto& [k, v] : props.items()) keys.insert(k);
    CHECK(keys == std::set<std::string>{"amount", "createdate", "dealname", "hs_lastmodifieddate", "hs_object_id"});

    auto patched =
        emu.hs("PATCH", "/crm/v3/objects/deals/" + id, json{{"properties", {{"amount", 99}, {"dealname", ""}}}});
    REQUIRE(patched.status == 200);
    CHECK(patched.json()["properties"]["amount"] == "99");
    CHECK(!patched.json()["properties"].contains("dealname"));  // "" clears

    auto history = emu.hs("GET", "/crm/v3/objects/deals/" + id + "?propertiesWithHistory=amount").json();
    REQUIRE(history["propertiesWithHistory"]["amount"].size() == 2);
    CHECK(history["propertiesWithHistory"]["amount"][0]["value"] == "99");  // newest first
    CHECK(history["propertiesWithHistory"]["amount"][1]["value"] == "1500.5");

    CHECK(emu.hs("DELETE", "/crm/v3/objects/deals/" + id).status == 204);
    auto gone = emu.hs("GET", "/crm/v3/objects/deals/" + id);
    REQUIRE(gone.status == 404);
    CHECK(gone.json()["category"] == "OBJECT_NOT_FOUND");
    CHECK(emu.hs("GET", "/crm/v3/objects/deals/" + id + "?archived=true").json()["archived"] == true);
    auto patch_gone = emu.hs("PATCH", "/crm/v3/objects/deals/" + id, json{{"properties", {{"amount", 1}}}});
    CHECK(patch_gone.status == 404);
    CHECK(emu.hs("DELETE", "/crm/v3/objects/deals/" + id).status == 204);
}

TEST_CASE("property history: newest first per property, bounded, untouched by a refused batch",
          "[emulator][objects]")
{
    emulator_fixture emu;
    const auto ids = emu.seed("contacts", json::array({{{"properties", {{"email", "h@x.com"}, {"firstname", "v0"}}}},
                                                        {{"properties", {{"email", "other@x.com"}}}}}));
    const auto& id = ids.at(0);
    const auto path = "/crm/v3/objects/contacts/" + id;
    // Many writes of one property between a few of another: each keeps its own list.
    for (int i = 1; i <= 90; ++i) {
        json props = {{"firstname", "v" + std::to_string(i)}};
        if (i % 30 == 0) props["lastname"] = "l" + std::to_string(i / 30);
        REQUIRE(emu.hs("PATCH", path, json{{"properties", props}}).status == 200);
    }
    auto read = [&] {
        return emu.hs("GET", path + "?propertiesWithHistory=firstname,lastname,email,phone").json()["propertiesWithHistory"];
    };
    auto h = read();
    const auto& first = h["firstname"];
    // At least the newest 20 values are kept, the newest first, and older ones drop off in order.
    REQUIRE(first.size() >= 20);
    CHECK(first.size() < 91);
    for (std::size_t k = 0; k < first.size(); ++k) CHECK(first[k]["value"] == "v" + std::to_string(90 - k));
    CHECK(first[0]["sourceType"] == "API");
    REQUIRE(h["lastname"].size() == 3);
    CHECK(h["lastname"][0]["value"] == "l3");
    CHECK(h["lastname"][2]["value"] == "l1");
    REQUIRE(h["email"].size() == 1);  // seeded, never written again
    CHECK(h["email"][0]["sourceType"] == "IMPORT");
    CHECK(!h.contains("phone"));  // never had a value

    // An all-or-nothing batch whose second input fails writes nothing, history included.
    auto refused = emu.hs("POST", "/crm/v3/objects/contacts/batch/update",
                          json{{"inputs",
                                {{{"id", id}, {"properties", {{"firstname", "refused"}, {"lastname", "refused"}}}},
                                 {{"id", ids.at(1)}, {"properties", {{"no_such_property", "x"}}}}}}});
    CHECK(refused.status == 400);
    CHECK(read() == h);
}

TEST_CASE("object types resolve by name and objectTypeId in both path families", "[emulator][objects]")
{
    emulator_fixture emu;
    auto a = emu.hs("POST", "/crm/v3/objects/0-2", json{{"properties", {{"name", "Acme"}}}});
    REQUIRE(a.status == 201);
    const auto id = a.json()["id"].get<std::string>();
    CHECK(emu.hs("GET", "/crm/v3/objects/companies/" + id).json()["properties"]["name"] == "Acme");
    CHECK(emu.hs("GET", "/crm/objects/2026-03/companies/" + id).status == 200);
    CHECK(emu.hs("GET", "/crm/objects/2026-03/0-2/" + id).status == 200);
    auto b = emu.hs("POST", "/crm/objects/2026-03/tickets",
                    json{{"properties", {{"subject", "Help"}, {"hs_pipeline_stage", "1"}}}});
    REQUIRE(b.status == 201);
    CHECK(b.json()["properties"]["hs_pipeline"] == "0");
    auto unknown = emu.hs("GET", "/crm/v3/objects/widgets");
    REQUIRE(unknown.status == 400);
    CHECK(unknown.json()["message"] == "Unable to infer object type from: widgets");
    CHECK(unknown.json()["category"] == "VALIDATION_ERROR");
}

TEST_CASE("invalid property values are 400 VALIDATION_ERROR in HubSpot's exact shape", "[emulator][objects]")
{
    emulator_fixture emu;
    auto post = [&](const char* type, json props) {
        return emu.hs("POST", std::string("/crm/v3/objects/") + type, json{{"properties", props}});
    };
    check_property_error(post("contacts", {{"testproperty", "x"}}), "testproperty", "PROPERTY_DOESNT_EXIST",
                         "Property \"testproperty\" does not exist");
    check_property_error(post("contacts", {{"lifecyclestage", "superfan"}}), "lifecyclestage", "INVALID_OPTION",
                         "superfan was not one of the allowed options: [subscriber, lead,");
    check_property_error(post("deals", {{"dealname", "d"}, {"dealstage", "closedwon"}, {"amount", "12abc"}}), "amount",
                         "INVALID_INTEGER", "was not a valid number");
    // 2024-03-01T01:00:00Z: a date property needs midnight UTC.
    check_property_error(post("deals", {{"dealname", "d"}, {"dealstage", "closedwon"}, {"closedate", 1709254800000}}),
                         "closedate", "INVALID_DATE", "1709254800000 is at 1:0:0.0 UTC, not midnight!");
    check_property_error(post("contacts", {{"hs_object_id", "5"}}), "hs_object_id", "READ_ONLY_VALUE",
                         "is a read only property");
    check_property_error(post("contacts", {{"createdate", "2024-01-01"}}), "createdate", "READ_ONLY_VALUE",
                         "is a read only property");
    check_property_error(post("contacts", {{"num_associated_deals", 3}}), "num_associated_deals", "READ_ONLY_VALUE",
                         "is a read only property");
    check_property_error(post("contacts", {{"email", "not-an-email"}}), "email", "INVALID_EMAIL", "not-an-email");
    check_property_error(post("deals", {{"dealname", "d"}}), "dealstage", "MISSING_REQUIRED_PROPERTY", "required");

    // Several bad values are all listed.
    auto many = post("contacts", {{"nope", "1"}, {"lifecyclestage", "x"}});
    REQUIRE(many.status == 400);
    CHECK(embedded_property_errors(many.json()["message"]).size() == 2);
    CHECK(many.json()["errors"].size() == 2);
    CHECK(emu.state("contacts")["total"] == 0);
    CHECK(emu.state("deals")["total"] == 0);

    // Midnight epoch ms is a valid date and is stored as YYYY-MM-DD.
    auto ok = post("deals", {{"dealname", "d"}, {"dealstage", "closedwon"}, {"closedate", 1709251200000}});
    REQUIRE(ok.status == 201);
    CHECK(ok.json()["properties"]["closedate"] == "2024-03-01");
}

TEST_CASE("contact email is stored lower-case and unique: 409 CONFLICT", "[emulator][objects]")
{
    emulator_fixture emu;
    auto a = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "Luke@Diner.COM"}}}});
    REQUIRE(a.status == 201);
    CHECK(a.json()["properties"]["email"] == "luke@diner.com");
    const auto id = a.json()["id"].get<std::string>();

    auto dup = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "LUKE@diner.com"}}}});
    REQUIRE(dup.status == 409);
    auto j = dup.json();
    CHECK(j["status"] == "error");
    CHECK(j["message"] == "Contact already exists. Existing ID: " + id);
    CHECK(j["category"] == "CONFLICT");
    CHECK(!j.contains("context"));
    CHECK(emu.state("contacts")["total"] == 1);

    // Read by unique property, case-insensitively.
    auto by_email = emu.hs("GET", "/crm/v3/objects/contacts/LUKE@DINER.COM?idProperty=email");
    REQUIRE(by_email.status == 200);
    CHECK(by_email.json()["id"] == id);
    auto by_name = emu.hs("GET", "/crm/v3/objects/contacts/x?idProperty=firstname");
    CHECK(by_name.status == 400);

    // An update may not take another record's email either; archiving frees it.
    auto b = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "b@diner.com"}}}}).json();
    auto steal = emu.hs("PATCH", "/crm/v3/objects/contacts/" + b["id"].get<std::string>(),
                        json{{"properties", {{"email", "luke@diner.com"}}}});
    CHECK(steal.status == 409);
    CHECK(emu.hs("DELETE", "/crm/v3/objects/contacts/" + id).status == 204);
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "luke@diner.com"}}}}).status ==
          201);
}

TEST_CASE("booleans, numbers and multi-checkbox values follow HubSpot's string rules", "[emulator][objects]")
{
    emulator_fixture emu;
    auto prop = emu.hs("POST", "/crm/v3/properties/contacts",
                       json{{"name", "is_vip"}, {"label", "VIP"}, {"type", "bool"}, {"fieldType", "booleancheckbox"},
                            {"groupName", "contactinformation"}});
    REQUIRE(prop.status == 201);
    auto c = emu.hs("POST", "/crm/v3/objects/contacts",
                    json{{"properties", {{"is_vip", true}, {"hs_buying_role", "CHAMPION;END_USER"}}}});
    REQUIRE(c.status == 201);
    CHECK(c.json()["properties"]["is_vip"] == "true");
    const auto id = c.json()["id"].get<std::string>();
    // A leading ";" appends to a multi-checkbox value.
    auto p =
        emu.hs("PATCH", "/crm/v3/objects/contacts/" + id, json{{"properties", {{"hs_buying_role", ";INFLUENCER"}}}});
    REQUIRE(p.status == 200);
    CHECK(p.json()["properties"]["hs_buying_role"] == "CHAMPION;END_USER;INFLUENCER");
    auto bad = emu.hs("PATCH", "/crm/v3/objects/contacts/" + id, json{{"properties", {{"is_vip", "maybe"}}}});
    CHECK(bad.status == 400);
    auto dt = emu.hs("POST", "/crm/v3/properties/contacts",
                     json{{"name", "signed_up"}, {"label", "Signed up"}, {"type", "datetime"}, {"fieldType", "date"},
                          {"groupName", "contactinformation"}});
    REQUIRE(dt.status == 201);
    auto t = emu.hs("PATCH", "/crm/v3/objects/contacts/" + id, json{{"properties", {{"signed_up", 1582947017000}}}});
    CHECK(t.json()["properties"]["signed_up"] == "2020-02-29T03:30:17.000Z");
}

TEST_CASE("the record list pages with after cursors", "[emulator][objects]")
{
    emulator_fixture emu;
    json records = json::array();
    for (int i = 0; i < 25; ++i) records.push_back({{"properties", {{"email", "p" + std::to_string(i) + "@x.com"}}}});
    auto ids = emu.seed("contacts", records);
    std::set<std::string> seen;
    std::string after;
    int pages = 0;
    for (;;) {
        auto r = emu.hs("GET", "/crm/v3/objects/contacts?limit=10" + (after.empty() ? "" : "&after=" + after));
        REQUIRE(r.status == 200);
        auto j = r.json();
        for (auto& rec : j["results"]) seen.insert(rec["id"].get<std::string>());
        ++pages;
        if (!j.contains("paging")) break;
        after = j["paging"]["next"]["after"].get<std::string>();
    }
    CHECK(pages == 3);
    CHECK(seen == std::set<std::string>(ids.begin(), ids.end()));
    // Default page size is 10.
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").json()["results"].size() == 10);
}
