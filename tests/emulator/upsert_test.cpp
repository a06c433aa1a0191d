// Batch upsert by a unique idProperty (hubspot-api.md §2.3, §8.10).
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::test;
using nlohmann::json;

namespace {
json
upsert(const std::string& id, json props = json::object(), const std::string& id_property = "email")
{
    return {{"id", id}, {"idProperty", id_property}, {"properties", props}};
}
}  // namespace

TEST_CASE("upsert by email creates or updates, flags new, and does not keep input order", "[emulator][upsert]")
{
    emulator_fixture emu;
    auto ids =
        emu.seed("contacts", json::array({{{"properties", {{"email", "luke@diner.com"}, {"firstname", "Luke"}}}}}));
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert",
                    json{{"inputs", {upsert("first@x.com", {{"firstname", "F"}}),
                                     upsert("LUKE@diner.com", {{"phone", "5555555555"}}),
                                     upsert("second@x.com")}}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto results = r.json()["results"];
    REQUIRE(results.size() == 3);
    auto existing = result_with_id(results, ids[0]);
    REQUIRE(!existing.is_null());
    CHECK(existing["new"] == false);
    CHECK(existing["properties"]["phone"] == "5555555555");
    CHECK(existing["properties"]["firstname"] == "Luke");
    std::vector<std::string> order;
    for (const auto& res : results) order.push_back(res["properties"]["email"]);
    CHECK(order != std::vector<std::string>{"first@x.com", "luke@diner.com", "second@x.com"});
    for (const auto& res : results) {
        if (res["id"] == ids[0]) continue;
        CHECK(res["new"] == true);
    }
    auto st = emu.state("contacts");
    CHECK(st["total"] == 3);

    // Again: everything exists now.
    auto again = emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert",
                        json{{"inputs", {upsert("first@x.com", {{"firstname", "F2"}}), upsert("second@x.com")}}});
    REQUIRE(again.status == 200);
    const auto again_results = again.json()["results"];
    for (const auto& res : again_results) CHECK(res["new"] == false);
    CHECK(emu.state("contacts")["total"] == 3);
}

TEST_CASE("upsert by a non-unique idProperty is 400 with HubSpot's message", "[emulator][upsert]")
{
    emulator_fixture emu;
    auto r =
        emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert", json{{"inputs", {upsert("Luke", {}, "firstname")}}});
    REQUIRE(r.status == 400);
    CHECK(r.json()["message"] ==
          "Unable to perform update/upsert by non-unique 0-1 property firstname in portal ID 12345678");
    CHECK(r.json()["category"] == "VALIDATION_ERROR");
    auto no_prop = emu.hs("POST", "/crm/v3/objects/companies/batch/upsert",
                          json{{"inputs", {{{"id", "1"}, {"properties", json::object()}}}}});
    REQUIRE(no_prop.status == 400);
    CHECK(no_prop.json()["message"] ==
          "Unable to perform update/upsert by non-unique 0-2 property hs_object_id in portal ID 12345678");
    CHECK(emu.state("contacts")["total"] == 0);
}

TEST_CASE("duplicate ids in one upsert batch are 400 whatever the trace ids", "[emulator][upsert]")
{
    emulator_fixture emu;
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert",
                    json{{"inputs", {upsert("a@x.com"), upsert("b@x.com"), upsert("A@X.com")}}});
    REQUIRE(r.status == 400);
    auto j = r.json();
    CHECK(j["message"] == "Duplicate IDs found in batch input: [a@x.com]. IDs must be unique");
    CHECK(j["context"]["ids"] == json::array({"a@x.com"}));
    CHECK(j["category"] == "VALIDATION_ERROR");
    auto traced = json{{"inputs", {upsert("a@x.com"), upsert("a@x.com")}}};
    traced["inputs"][0]["objectWriteTraceId"] = "1";
    traced["inputs"][1]["objectWriteTraceId"] = "2";
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert", traced).status == 400);
    CHECK(emu.state("contacts")["total"] == 0);
}

TEST_CASE("upsert with one invalid input: 400 and nothing written, or 207 with trace ids", "[emulator][upsert]")
{
    emulator_fixture emu;
    auto ids = emu.seed("contacts", json::array({{{"properties", {{"email", "old@x.com"}, {"firstname", "Old"}}}}}));
    auto body = json{{"inputs", {upsert("old@x.com", {{"firstname", "Changed"}}), upsert("new@x.com"),
                                 upsert("bad@x.com", {{"lifecyclestage", "nope"}})}}};
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert", body);
    REQUIRE(r.status == 400);
    CHECK(embedded_property_errors(r.json()["message"])[0]["error"] == "INVALID_OPTION");
    auto st = emu.state("contacts");
    CHECK(st["total"] == 1);
    CHECK(st["results"][0]["properties"]["firstname"] == "Old");

    for (int i = 0; i < 3; ++i) body["inputs"][i]["objectWriteTraceId"] = "trace-" + std::to_string(i);
    auto p = emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert", body);
    REQUIRE(p.status == 207);
    auto j = p.json();
    CHECK(j["results"].size() == 2);
    CHECK(j["numErrors"] == 1);
    CHECK(j["errors"][0]["context"]["objectWriteTraceId"] == json::array({"trace-2"}));
    st = emu.state("contacts");
    CHECK(st["total"] == 2);
    CHECK(result_with_id(st["results"], ids[0])["properties"]["firstname"] == "Changed");
}

TEST_CASE("an upsert that creates still conflicts on the type's other unique properties", "[emulator][upsert]")
{
    emulator_fixture emu;
    REQUIRE(emu.hs("POST", "/crm/v3/properties/contacts",
                   json{{"name", "external_id"}, {"label", "External ID"}, {"type", "string"}, {"fieldType", "text"},
                        {"groupName", "contactinformation"}, {"hasUniqueValue", true}})
                .status == 201);
    const auto held = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}, {"external_id", "E1"}}}}}))
                          .at(0);
    const std::string path = "/crm/v3/objects/contacts/batch/upsert";
    // New by external_id, but the email belongs to the seeded contact; and the other way round.
    for (const auto& input : {upsert("E2", {{"email", "A@x.com"}}, "external_id"), upsert("b@x.com", {{"external_id", "E1"}})}) {
        auto r = emu.hs("POST", path, json{{"inputs", {input}}});
        INFO(r.body);
        REQUIRE(r.status == 409);
        CHECK(r.json()["category"] == "CONFLICT");
        CHECK(r.json()["message"] == "Contact already exists. Existing ID: " + held);
    }
    CHECK(emu.state("contacts")["total"] == 1);
    // Both values free: created, with the id property's value set.
    auto ok = emu.hs("POST", path, json{{"inputs", {upsert("E3", {{"email", "c@x.com"}}, "external_id")}}});
    INFO(ok.body);
    REQUIRE(ok.status == 200);
    CHECK(ok.json()["results"][0]["new"] == true);
    CHECK(ok.json()["results"][0]["properties"]["external_id"] == "E3");
    CHECK(emu.state("contacts")["total"] == 2);
}
