// Properties API and custom object schemas (hubspot-api.md §2.5-2.6, §8.13-14).
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::test;
using nlohmann::json;

namespace {
json
find_named(const json& list, const std::string& name)
{
    for (const auto& p : list)
        if (p["name"] == name) return p;
    return nullptr;
}

json
lender_schema()
{
    return {{"name", "lender"},
            {"labels", {{"singular", "Lender"}, {"plural", "Lenders"}}},
            {"primaryDisplayProperty", "lender_name"},
            {"requiredProperties", {"lender_name"}},
            {"searchableProperties", {"lender_name"}},
            {"associatedObjects", {"0-1"}},
            {"properties",
             {{{"name", "lender_name"}, {"label", "Name"}, {"type", "string"}, {"fieldType", "text"}},
              {{"name", "lender_code"}, {"label", "Code"}, {"type", "string"}, {"hasUniqueValue", true}},
              {{"name", "rate"}, {"label", "Rate"}, {"type", "number"}}}}};
}
}  // namespace

TEST_CASE("the properties API lists the full property model", "[emulator][properties]")
{
    emulator_fixture emu;
    for (const char* base : {"/crm/v3/properties/contacts", "/crm/properties/2026-03/0-1"}) {
        auto r = emu.hs("GET", base);
        REQUIRE(r.status == 200);
        auto list = r.json()["results"];
        auto email = find_named(list, "email");
        REQUIRE(!email.is_null());
        CHECK(email["hasUniqueValue"] == true);
        CHECK(email["type"] == "string");
        CHECK(email["fieldType"] == "text");
        CHECK(email["modificationMetadata"]["readOnlyValue"] == false);
        auto id = find_named(list, "hs_object_id");
        CHECK(id["modificationMetadata"]["readOnlyValue"] == true);
        CHECK(find_named(list, "createdate")["modificationMetadata"]["readOnlyValue"] == true);
        CHECK(find_named(list, "num_associated_deals")["calculated"] == true);
        auto stage = find_named(list, "lifecyclestage");
        CHECK(stage["type"] == "enumeration");
        CHECK(stage["options"].size() == 8);
        CHECK(stage["options"][0]["value"] == "subscriber");
        for (const auto& key : {"name", "label", "type", "fieldType", "groupName", "description", "options",
                                "hasUniqueValue", "calculated", "hubspotDefined", "modificationMetadata"})
            CHECK(email.contains(key));
    }
    auto single = emu.hs("GET", "/crm/v3/properties/deals/amount");
    REQUIRE(single.status == 200);
    CHECK(single.json()["type"] == "number");
    auto closedate = emu.hs("GET", "/crm/v3/properties/deals/closedate").json();
    CHECK(closedate["type"] == "date");
    CHECK(emu.hs("GET", "/crm/v3/properties/deals/nope").status == 404);
}

TEST_CASE("creating properties checks type/fieldType pairs, names and the unique cap", "[emulator][properties]")
{
    emulator_fixture emu;
    auto create = [&](json p) {
        p["groupName"] = "contactinformation";
        if (!p.contains("label")) p["label"] = "L";
        return emu.hs("POST", "/crm/v3/properties/contacts", p);
    };
    auto ok = create({{"name", "favourite_colour"}, {"type", "enumeration"}, {"fieldType", "select"},
                      {"options", {{{"label", "Red"}, {"value", "red"}}, {{"label", "Blue"}, {"value", "blue"}}}}});
    REQUIRE(ok.status == 201);
    CHECK(ok.json()["name"] == "favourite_colour");
    CHECK(ok.json()["hubspotDefined"] == false);
    CHECK(ok.json()["options"].size() == 2);
    CHECK(emu.hs("GET", "/crm/v3/properties/contacts/favourite_colour").status == 200);
    // The new property is writable and validated.
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"favourite_colour", "red"}}}}).status ==
          201);
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"favourite_colour", "green"}}}}).status ==
          400);

    auto dup = create({{"name", "favourite_colour"}, {"type", "string"}, {"fieldType", "text"}});
    CHECK(dup.status == 409);
    CHECK(create({{"name", "bad_pair"}, {"type", "string"}, {"fieldType", "select"}}).status == 400);
    CHECK(create({{"name", "bad_pair"}, {"type", "number"}, {"fieldType", "text"}}).status == 400);
    CHECK(create({{"name", "bad_type"}, {"type", "object_coordinates"}, {"fieldType", "text"}}).status == 400);
    CHECK(create({{"name", "Bad-Name"}, {"type", "string"}, {"fieldType", "text"}}).status == 400);
    CHECK(create({{"name", "no_field_type"}, {"type", "string"}}).status == 400);

    for (int i = 0; i < 10; ++i)
        REQUIRE(create({{"name", "uid_" + std::to_string(i)}, {"type", "string"}, {"fieldType", "text"},
                        {"hasUniqueValue", true}})
                    .status == 201);
    auto eleventh = create({{"name", "uid_10"}, {"type", "string"}, {"fieldType", "text"}, {"hasUniqueValue", true}});
    CHECK(eleventh.status == 400);
    CHECK(eleventh.json()["category"] == "VALIDATION_ERROR");
}

TEST_CASE("custom object schemas: create, look up every way, write records", "[emulator][schemas]")
{
    emulator_fixture emu;
    auto created = emu.hs("POST", "/crm-object-schemas/v3/schemas", lender_schema());
    INFO(created.body);
    REQUIRE(created.status == 201);
    auto s = created.json();
    const auto type_id = s["objectTypeId"].get<std::string>();
    CHECK(type_id.rfind("2-", 0) == 0);
    CHECK(s["fullyQualifiedName"] == "p12345678_lender");
    CHECK(s["name"] == "lender");
    CHECK(s["labels"]["singular"] == "Lender");
    CHECK(s["requiredProperties"] == json::array({"lender_name"}));
    CHECK(find_named(s["properties"], "lender_code")["hasUniqueValue"] == true);
    CHECK(!find_named(s["properties"], "hs_object_id").is_null());

    const std::vector<std::string> paths{"/crm-object-schemas/v3/schemas/" + type_id,
                                         "/crm-object-schemas/v3/schemas/p12345678_lender",
                                         "/crm/v3/schemas/" + type_id, "/crm-object-schemas/2026-03/schemas/lender"};
    for (const auto& path : paths) {
        auto r = emu.hs("GET", path);
        INFO(path);
        REQUIRE(r.status == 200);
        CHECK(r.json()["objectTypeId"] == type_id);
    }
    auto list = emu.hs("GET", "/crm/v3/schemas").json()["results"];
    REQUIRE(list.size() == 1);
    CHECK(list[0]["name"] == "lender");
    CHECK(emu.hs("POST", "/crm-object-schemas/v3/schemas", lender_schema()).status == 409);
    CHECK(emu.hs("GET", "/crm-object-schemas/v3/schemas/2-999").status == 404);

    // Records by objectTypeId, name and fullyQualifiedName.
    auto a = emu.hs("POST", "/crm/v3/objects/" + type_id,
                    json{{"properties", {{"lender_name", "Acme Bank"}, {"lender_code", "ACME"}, {"rate", 4.5}}}});
    REQUIRE(a.status == 201);
    CHECK(a.json()["properties"].contains("hs_createdate"));
    CHECK(a.json()["properties"]["rate"] == "4.5");
    const auto id = a.json()["id"].get<std::string>();
    CHECK(emu.hs("GET", "/crm/v3/objects/lender/" + id).status == 200);
    CHECK(emu.hs("GET", "/crm/v3/objects/p12345678_lender/" + id).status == 200);
    // Required properties are enforced.
    auto missing = emu.hs("POST", "/crm/v3/objects/lender", json{{"properties", {{"lender_code", "X"}}}});
    REQUIRE(missing.status == 400);
    CHECK(embedded_property_errors(missing.json()["message"])[0]["name"] == "lender_name");
    // Unique properties conflict with the schema's singular label.
    auto dup =
        emu.hs("POST", "/crm/v3/objects/lender", json{{"properties", {{"lender_name", "B"}, {"lender_code", "ACME"}}}});
    REQUIRE(dup.status == 409);
    CHECK(dup.json()["message"] == "Lender already exists. Existing ID: " + id);
    // Upsert by the custom unique property.
    auto up =
        emu.hs("POST", "/crm/v3/objects/" + type_id + "/batch/upsert",
               json{{"inputs", {{{"id", "ACME"}, {"idProperty", "lender_code"}, {"properties", {{"rate", "5"}}}}}}});
    REQUIRE(up.status == 200);
    CHECK(up.json()["results"][0]["id"] == id);
    CHECK(up.json()["results"][0]["new"] == false);
    // Its properties are served by the properties API; records need the custom-object scopes.
    CHECK(find_named(emu.hs("GET", "/crm/v3/properties/lender").json()["results"], "lender_code")["hasUniqueValue"] ==
          true);
    emu.add_token("contacts-only", {"crm.objects.contacts.read"});
    auto denied = emu.hs("GET", "/crm/v3/objects/lender", std::string{}, "contacts-only");
    REQUIRE(denied.status == 403);
    CHECK(denied.json()["errors"][0]["context"]["requiredGranularScopes"][0] == "crm.objects.custom.read");
}

TEST_CASE("schema creation is validated", "[emulator][schemas]")
{
    emulator_fixture emu;
    auto bad_required = lender_schema();
    bad_required["requiredProperties"] = {"nope"};
    CHECK(emu.hs("POST", "/crm-object-schemas/v3/schemas", bad_required).status == 400);
    auto no_labels = lender_schema();
    no_labels.erase("labels");
    CHECK(emu.hs("POST", "/crm-object-schemas/v3/schemas", no_labels).status == 400);
    auto clash = lender_schema();
    clash["name"] = "contacts";
    CHECK(emu.hs("POST", "/crm-object-schemas/v3/schemas", clash).status == 409);
    emu.add_token("no-schemas", {"crm.objects.custom.read"});
    auto denied = emu.hs("POST", "/crm-object-schemas/v3/schemas", lender_schema(), "no-schemas");
    REQUIRE(denied.status == 403);
    CHECK(denied.json()["errors"][0]["context"]["requiredGranularScopes"][0] == "crm.schemas.custom.write");
}

TEST_CASE("a deleted property is gone from listings and refused in writes; HubSpot's own cannot be deleted",
          "[emulator][properties]")
{
    emulator_fixture emu;
    REQUIRE(emu.hs("POST", "/crm/v3/properties/contacts",
                   json{{"name", "colour"}, {"label", "Colour"}, {"type", "string"}, {"fieldType", "text"},
                        {"groupName", "contactinformation"}})
                .status == 201);
    CHECK(emu.hs("DELETE", "/crm/v3/properties/contacts/colour").status == 204);
    CHECK(emu.hs("GET", "/crm/v3/properties/contacts/colour").status == 404);
    CHECK(emu.hs("DELETE", "/crm/v3/properties/contacts/colour").status == 404);
    for (const auto& p : emu.hs("GET", "/crm/v3/properties/contacts").json()["results"]) CHECK(p["name"] != "colour");
    auto write = emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "a@b.com"}, {"colour", "red"}}}});
    CHECK(write.status == 400);
    CHECK(write.body.find("PROPERTY_DOESNT_EXIST") != std::string::npos);
    CHECK(emu.hs("DELETE", "/crm/v3/properties/contacts/email").status == 400);
}
