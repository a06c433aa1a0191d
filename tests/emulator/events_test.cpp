// Custom behavioural events: definitions CRUD, single and batch sends, limits, uuid dedupe, record matching,
// scopes, the dated paths and GET /__emulator/events (hubspot-api.md §5, §8.17).
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::test;
using nlohmann::json;

namespace {
const std::string defs = "/events/v3/event-definitions";
const std::string fq_prefix = "pe" + std::to_string(emulator_portal_id) + "_";

json
define(const emulator_fixture& emu, json body)
{
    auto r = emu.hs("POST", defs, body);
    INFO(r.body);
    REQUIRE(r.status == 201);
    return r.json();
}

// "order_placed" on contacts with a string, a number and an enumeration property.
json
define_order_placed(const emulator_fixture& emu, json extra = json::object())
{
    json body = {{"label", "Order placed"},
                 {"name", "order_placed"},
                 {"primaryObject", "CONTACT"},
                 {"propertyDefinitions",
                  {{{"name", "order_id"}, {"label", "Order"}, {"type", "string"}},
                   {{"name", "amount"}, {"label", "Amount"}, {"type", "number"}},
                   {{"name", "channel"},
                    {"label", "Channel"},
                    {"type", "enumeration"},
                    {"options", {{{"label", "Web"}, {"value", "web"}}, {{"label", "Shop"}, {"value", "shop"}}}}}}}};
    body.update(extra);
    return define(emu, body);
}

json
occurrence(const std::string& object_id, json props = json::object(), const std::string& uuid = {})
{
    json o = {{"eventName", fq_prefix + "order_placed"}, {"objectId", object_id}, {"properties", props}};
    if (!uuid.empty()) o["uuid"] = uuid;
    return o;
}

json
recorded(const emulator_fixture& emu, const std::string& filter = {})
{
    return emu.admin("GET", "/events" + (filter.empty() ? std::string{} : "?eventName=" + filter));
}

json
names_of(const json& properties)
{
    json out = json::array();
    for (const auto& p : properties) out.push_back(p["name"]);
    return out;
}

bool
contains(const json& array, const std::string& v)
{
    return std::find(array.begin(), array.end(), json(v)) != array.end();
}

std::string
error_code(const http_result& r)
{
    return r.json()["errors"][0]["code"];
}
}  // namespace

TEST_CASE("event definitions: create with a name, the fully qualified name and the properties", "[emulator][events]")
{
    emulator_fixture emu;
    auto d = define_order_placed(emu, {{"description", "An order"}});
    CHECK(d["name"] == "order_placed");
    CHECK(d["fullyQualifiedName"] == fq_prefix + "order_placed");
    CHECK(d["id"].is_string());
    CHECK(d["objectTypeId"].get<std::string>().rfind("6-", 0) == 0);
    CHECK(d["primaryObject"] == "CONTACT");
    CHECK(d["primaryObjectId"] == "0-1");
    CHECK(d["labels"]["singular"] == "Order placed");
    CHECK(d["description"] == "An order");
    CHECK(d["archived"] == false);
    auto names = names_of(d["properties"]);
    for (const char* n : {"order_id", "amount", "channel", "hs_city", "hs_country", "hs_page_id",
                          "hs_page_content_type", "hs_device_type", "hs_touchpoint_source", "hs_utm_source"})
        CHECK(contains(names, n));
    for (const auto& p : d["properties"])
        if (p["name"] == "channel") CHECK(p["options"].size() == 2);

    auto bare = define(emu, {{"label", "Bare"}, {"name", "bare"}, {"includeDefaultProperties", false},
                             {"propertyDefinitions", {{{"name", "x"}, {"label", "X"}, {"type", "string"}}}}});
    CHECK(names_of(bare["properties"]) == json::array({"x"}));

    auto company = define(emu, {{"label", "Renewal"}, {"primaryObject", "company"}});
    CHECK(company["primaryObject"] == "COMPANY");
    CHECK(company["primaryObjectId"] == "0-2");
    auto contact_default = define(emu, {{"label", "Visit"}});
    CHECK(contact_default["primaryObject"] == "CONTACT");
}

TEST_CASE("event definitions: the name comes from the label when omitted", "[emulator][events]")
{
    emulator_fixture emu;
    CHECK(define(emu, {{"label", "Signed up (web)!"}})["name"] == "signed_up_web");
    CHECK(define(emu, {{"label", "Signed up: web"}})["name"] == "signed_up_web_2");
    CHECK(define(emu, {{"label", "3D print"}})["name"] == "event_3d_print");
}

TEST_CASE("event definitions: names are validated, unique and never reused", "[emulator][events]")
{
    emulator_fixture emu;
    for (const auto& bad : {json{{"label", "x"}, {"name", "Upper"}}, json{{"label", "x"}, {"name", "1st"}},
                            json{{"label", "x"}, {"name", "with-dash"}},
                            json{{"label", "x"}, {"name", std::string(51, 'a')}}, json{{"name", "no_label"}},
                            json{{"label", std::string(51, 'L')}}, json{{"label", "x"}, {"primaryObject", "ROBOT"}},
                            json{{"label", "x"}, {"propertyDefinitions", {{{"name", "p"}, {"label", "P"}, {"type", "phone_number"}}}}}}) {
        auto r = emu.hs("POST", defs, bad);
        INFO(bad.dump() << " -> " << r.body);
        CHECK(r.status == 400);
    }
    CHECK(define(emu, {{"label", "x"}, {"name", std::string(50, 'a')}})["name"] == std::string(50, 'a'));

    define_order_placed(emu);
    auto dup = emu.hs("POST", defs, json{{"label", "Again"}, {"name", "order_placed"}});
    CHECK(dup.status == 409);
    CHECK(dup.json()["category"] == "CONFLICT");

    auto del = emu.hs("DELETE", defs + "/order_placed");
    CHECK(del.status == 204);
    CHECK(del.body.empty());
    CHECK(emu.hs("GET", defs + "/order_placed").status == 404);
    auto reuse = emu.hs("POST", defs, json{{"label", "Again"}, {"name", "order_placed"}});
    CHECK(reuse.status == 409);
    CHECK(reuse.json()["message"].get<std::string>().find("never be reused") != std::string::npos);
    // Nor does a derived name take it.
    CHECK(define(emu, {{"label", "Order placed"}})["name"] == "order_placed_2");
    // Occurrences of a deleted event are refused.
    auto sent = emu.hs("POST", "/events/v3/send", occurrence("1"));
    CHECK(sent.status == 400);
    CHECK(error_code(sent) == "UNKNOWN_EVENT");
}

TEST_CASE("event definitions: get by name or fully qualified name, patch, add a property", "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    auto by_name = emu.hs("GET", defs + "/order_placed");
    REQUIRE(by_name.status == 200);
    CHECK(by_name.json()["properties"].size() > 3);
    CHECK(emu.hs("GET", defs + "/" + fq_prefix + "order_placed").status == 200);

    auto patched = emu.hs("PATCH", defs + "/order_placed", json{{"label", "Order done"}, {"description", "d"}});
    REQUIRE(patched.status == 200);
    CHECK(patched.json()["labels"]["singular"] == "Order done");
    CHECK(patched.json()["description"] == "d");
    CHECK(emu.hs("PATCH", defs + "/order_placed", json{{"name", "renamed"}}).status == 400);
    CHECK(emu.hs("PATCH", defs + "/order_placed", json{{"primaryObject", "COMPANY"}}).status == 400);
    CHECK(emu.hs("PATCH", defs + "/order_placed", json{{"name", "order_placed"}}).status == 200);
    CHECK(emu.hs("PATCH", defs + "/nope", json{{"label", "x"}}).status == 404);

    auto prop = emu.hs("POST", defs + "/order_placed/property",
                       json{{"name", "coupon"}, {"label", "Coupon"}, {"type", "string"}});
    REQUIRE(prop.status == 201);
    CHECK(prop.json()["name"] == "coupon");
    CHECK(emu.hs("POST", defs + "/order_placed/property", json{{"name", "coupon"}, {"label", "C"}, {"type", "string"}})
              .status == 409);
    CHECK(emu.hs("POST", defs + "/order_placed/property", json{{"name", "hs_city"}, {"label", "C"}, {"type", "string"}})
              .status == 409);
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    CHECK(emu.hs("POST", "/events/v3/send", occurrence(c[0], {{"coupon", "SAVE10"}})).status == 204);
}

TEST_CASE("event definitions: listing pages by name with total, search and includeProperties", "[emulator][events]")
{
    emulator_fixture emu;
    for (int i = 0; i < 12; ++i) define(emu, {{"label", "Step " + std::to_string(i)}, {"name", "step_" + std::to_string(100 + i)}});
    define(emu, {{"label", "Other"}, {"name", "other"}});

    auto first = emu.hs("GET", defs).json();
    CHECK(first["total"] == 13);
    REQUIRE(first["results"].size() == 10);
    CHECK(first["results"][0]["name"] == "other");
    CHECK(first["results"][0]["properties"] == json::array());
    auto next = first["paging"]["next"]["after"].get<std::string>();
    auto second = emu.hs("GET", defs + "?after=" + next).json();
    CHECK(second["results"].size() == 3);
    CHECK(!second.contains("paging"));

    auto with_props = emu.hs("GET", defs + "?limit=500&includeProperties=true").json();
    CHECK(with_props["results"].size() == 13);  // capped at 100, not refused
    CHECK(!with_props["results"][0]["properties"].empty());
    auto search = emu.hs("GET", defs + "?searchString=STEP_10").json();
    CHECK(search["total"] == 10);
    auto desc = emu.hs("GET", defs + "?sortOrder=DESC&limit=1").json();
    CHECK(desc["results"][0]["name"] == "step_111");
}

TEST_CASE("event definitions: at most 500 per account", "[emulator][events]")
{
    emulator_fixture emu;
    emu.config({{"rate_limit", {{"enabled", false}}}});
    for (int i = 0; i < 500; ++i) {
        auto r = emu.hs("POST", defs, json{{"label", "E"}, {"name", "e" + std::to_string(i)}, {"includeDefaultProperties", false}});
        if (r.status != 201) FAIL("definition " << i << ": " << r.body);
    }
    auto over = emu.hs("POST", defs, json{{"label", "E"}, {"name", "one_too_many"}});
    CHECK(over.status == 400);
    CHECK(over.json()["message"].get<std::string>().find("500") != std::string::npos);
    REQUIRE(emu.hs("DELETE", defs + "/e0").status == 204);
    CHECK(emu.hs("POST", defs, json{{"label", "E"}, {"name", "one_too_many"}}).status == 201);
}

TEST_CASE("events: send answers 204 with no body and records the occurrence", "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    auto r = emu.hs("POST", "/events/v3/send",
                    json{{"eventName", fq_prefix + "order_placed"},
                         {"objectId", c[0]},
                         {"occurredAt", "2026-01-20T21:14:16.512Z"},
                         {"properties", {{"order_id", "A-1"}, {"amount", 12.5}, {"channel", "web"}, {"hs_city", "Cambridge"}}}});
    INFO(r.body);
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    auto events = recorded(emu);
    CHECK(events["total"] == 1);
    auto o = events["results"][0];
    CHECK(o["eventName"] == fq_prefix + "order_placed");
    CHECK(o["objectId"] == c[0]);
    CHECK(o["objectTypeId"] == "0-1");
    CHECK(o["matchedBy"] == "objectId");
    CHECK(o["occurredAt"] == "2026-01-20T21:14:16.512Z");
    CHECK(o["uuid"].is_null());
    CHECK(o["properties"] == json{{"order_id", "A-1"}, {"amount", "12.5"}, {"channel", "web"}, {"hs_city", "Cambridge"}});

    // Epoch milliseconds work too; without occurredAt the time is now.
    CHECK(emu.hs("POST", "/events/v3/send", json{{"eventName", fq_prefix + "order_placed"}, {"email", "a@x.com"},
                                                 {"occurredAt", 1768943656512LL}})
              .status == 204);
    CHECK(recorded(emu)["results"][1]["occurredAt"] == "2026-01-20T21:14:16.512Z");
}

TEST_CASE("events: records are matched by customMatchingId, then objectId, then email", "[emulator][events]")
{
    emulator_fixture emu;
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "first@x.com"}}}},
                                               {{"properties", {{"email", "second@x.com"}}}},
                                               {{"properties", {{"email", "third@x.com"}}}}}));
    define(emu, {{"label", "Login"},
                 {"name", "login"},
                 {"propertyDefinitions", {{{"name", "login_email"}, {"label", "Login email"}, {"type", "string"}}}},
                 {"customMatchingId",
                  {{"primaryObjectRule", {{"targetObjectPropertyName", "email"}, {"eventPropertyName", "login_email"}}}}}});
    const auto login = fq_prefix + "login";
    auto send = [&](json o) {
        o["eventName"] = login;
        auto r = emu.hs("POST", "/events/v3/send", o);
        INFO(r.body);
        REQUIRE(r.status == 204);
    };
    send({{"objectId", c[1]}, {"email", "third@x.com"}, {"properties", {{"login_email", "FIRST@x.com"}}}});
    send({{"objectId", c[1]}, {"email", "third@x.com"}});
    send({{"email", "Third@X.com"}});
    send({{"objectId", "999999"}, {"email", "third@x.com"}});  // a dead objectId falls through to the email
    send({{"objectId", "999999"}});                            // matches nothing: kept unmatched
    send({{"utk", "abc123"}});                                  // no visitor tracking: never matches
    auto events = recorded(emu)["results"];
    REQUIRE(events.size() == 6);
    CHECK(events[0]["objectId"] == c[0]);
    CHECK(events[0]["matchedBy"] == "customMatchingId");
    CHECK(events[1]["objectId"] == c[1]);
    CHECK(events[1]["matchedBy"] == "objectId");
    CHECK(events[2]["objectId"] == c[2]);
    CHECK(events[2]["matchedBy"] == "email");
    CHECK(events[3]["objectId"] == c[2]);
    CHECK(events[4]["objectId"].is_null());
    CHECK(events[4]["matchedBy"].is_null());
    CHECK(events[4]["sentObjectId"] == "999999");
    CHECK(events[5]["objectId"].is_null());
    CHECK(events[5]["utk"] == "abc123");

    auto none = emu.hs("POST", "/events/v3/send", json{{"eventName", login}, {"properties", json::object()}});
    CHECK(none.status == 400);
    CHECK(error_code(none) == "MISSING_IDENTIFIER");

    SECTION("customMatchingId must target a unique property and a custom event property")
    {
        for (const auto& rule : {json{{"targetObjectPropertyName", "firstname"}, {"eventPropertyName", "p"}},
                                 json{{"targetObjectPropertyName", "email"}, {"eventPropertyName", "hs_city"}},
                                 json{{"targetObjectPropertyName", "email"}, {"eventPropertyName", "nope"}}}) {
            auto r = emu.hs("POST", defs,
                            json{{"label", "M"},
                                 {"propertyDefinitions", {{{"name", "p"}, {"label", "P"}, {"type", "string"}}}},
                                 {"customMatchingId", {{"primaryObjectRule", rule}}}});
            INFO(rule.dump());
            CHECK(r.status == 400);
        }
    }
}

TEST_CASE("events: an event on a custom object resolves objectId in that object", "[emulator][events]")
{
    emulator_fixture emu;
    auto schema = emu.hs("POST", "/crm-object-schemas/v3/schemas",
                         json{{"name", "lender"},
                              {"labels", {{"singular", "Lender"}, {"plural", "Lenders"}}},
                              {"primaryDisplayProperty", "lender_name"},
                              {"properties", {{{"name", "lender_name"}, {"label", "Name"}, {"type", "string"}}}}});
    REQUIRE(schema.status == 201);
    auto d = define(emu, {{"label", "Rate quoted"}, {"primaryObject", "p12345678_lender"}});
    CHECK(d["primaryObject"] == "p12345678_lender");
    CHECK(d["primaryObjectId"] == schema.json()["objectTypeId"]);
    auto ids = emu.seed("p12345678_lender", json::array({{{"properties", {{"lender_name", "L"}}}}}));
    REQUIRE(emu.hs("POST", "/events/v3/send", json{{"eventName", fq_prefix + "rate_quoted"}, {"objectId", ids[0]}}).status ==
            204);
    auto o = recorded(emu)["results"][0];
    CHECK(o["objectId"] == ids[0]);
    CHECK(o["objectTypeId"] == schema.json()["objectTypeId"]);
}

TEST_CASE("events: refusals are 400 VALIDATION_ERROR with a code", "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    define(emu, {{"label", "Plain"}, {"name", "plain"}, {"includeDefaultProperties", false},
                 {"propertyDefinitions", {{{"name", "x"}, {"label", "X"}, {"type", "string"}}}}});
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    auto refused = [&](json body, const std::string& code) {
        auto r = emu.hs("POST", "/events/v3/send", body);
        INFO(body.dump().substr(0, 300) << " -> " << r.body.substr(0, 300));
        CHECK(r.status == 400);
        CHECK(r.json()["category"] == "VALIDATION_ERROR");
        CHECK(error_code(r) == code);
        return r;
    };
    auto unknown = refused({{"eventName", fq_prefix + "nope"}, {"objectId", c[0]}}, "UNKNOWN_EVENT");
    auto short_name = refused({{"eventName", "order_placed"}, {"objectId", c[0]}}, "UNKNOWN_EVENT");
    CHECK(short_name.json()["message"].get<std::string>().find(fq_prefix + "order_placed") != std::string::npos);
    auto undefined = refused(occurrence(c[0], {{"colour", "red"}}), "PROPERTY_DOESNT_EXIST");
    CHECK(undefined.json()["errors"][0]["context"]["propertyName"] == json::array({"colour"}));
    refused({{"eventName", fq_prefix + "plain"}, {"objectId", c[0]}, {"properties", {{"hs_city", "x"}}}},
            "PROPERTY_DOESNT_EXIST");
    refused(occurrence(c[0], {{"amount", "lots"}}), "INVALID_INTEGER");
    refused(occurrence(c[0], {{"channel", "fax"}}), "INVALID_OPTION");
    refused(occurrence(c[0], {{"order_id", std::string(257, 'x')}}), "VALUE_TOO_LONG");
    CHECK(emu.hs("POST", "/events/v3/send", occurrence(c[0], {{"order_id", std::string(256, 'x')}})).status == 204);
    // URL and referrer properties take 1,024 characters.
    CHECK(emu.hs("POST", "/events/v3/send", occurrence(c[0], {{"hs_page_url", std::string(1024, 'u')}})).status == 204);
    CHECK(emu.hs("POST", "/events/v3/send", occurrence(c[0], {{"hs_referrer", std::string(1000, 'u')}})).status == 204);
    refused(occurrence(c[0], {{"hs_page_url", std::string(1025, 'u')}}), "VALUE_TOO_LONG");
    json many = json::object();
    for (int i = 0; i < 51; ++i) many["p" + std::to_string(i)] = "x";
    refused(occurrence(c[0], many), "TOO_MANY_PROPERTIES");
    refused({{"eventName", fq_prefix + "order_placed"}, {"objectId", c[0]}, {"occurredAt", "yesterday"}}, "INVALID_INPUT");
    refused({{"eventName", fq_prefix + "order_placed"}, {"objectId", "abc"}}, "INVALID_INPUT");
    refused({{"objectId", c[0]}}, "INVALID_INPUT");
    CHECK(recorded(emu)["total"] == 3);  // only the three accepted above
}

TEST_CASE("events: batch send is all-or-nothing, at most 500 inputs", "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    json inputs = json::array();
    for (int i = 0; i < 500; ++i) inputs.push_back(occurrence(c[0], {{"order_id", "o" + std::to_string(i)}}));
    auto ok = emu.hs("POST", "/events/v3/send/batch", json{{"inputs", inputs}});
    CHECK(ok.status == 204);
    CHECK(ok.body.empty());
    CHECK(recorded(emu)["total"] == 500);

    inputs.push_back(occurrence(c[0]));
    auto over = emu.hs("POST", "/events/v3/send/batch", json{{"inputs", inputs}});
    CHECK(over.status == 400);
    CHECK(over.json()["category"] == "VALIDATION_ERROR");

    json bad = {occurrence(c[0], {{"order_id", "good"}}), occurrence(c[0], {{"order_id", "good too"}}),
                occurrence(c[0], {{"colour", "red"}})};
    auto refused = emu.hs("POST", "/events/v3/send/batch", json{{"inputs", bad}});
    INFO(refused.body);
    REQUIRE(refused.status == 400);
    auto j = refused.json();
    CHECK(j["category"] == "VALIDATION_ERROR");
    CHECK(j["context"]["inputIndex"] == json::array({"2"}));
    CHECK(j["message"].get<std::string>().rfind("inputs[2]: ", 0) == 0);
    CHECK(j["errors"][0]["code"] == "PROPERTY_DOESNT_EXIST");
    CHECK(recorded(emu)["total"] == 500);  // nothing of the refused batch

    CHECK(emu.hs("POST", "/events/v3/send/batch", json{{"inputs", json::array()}}).status == 204);
    CHECK(emu.hs("POST", "/events/v3/send/batch", json{{"nope", 1}}).status == 400);
}

TEST_CASE("events: a uuid already seen for the event type is silently ignored", "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    define(emu, {{"label", "Other"}, {"name", "other"}});
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    json batch = {occurrence(c[0], {{"order_id", "first"}}, "u-1"), occurrence(c[0], {{"order_id", "second"}}, "u-1"),
                  occurrence(c[0], {{"order_id", "third"}}, "u-2")};
    CHECK(emu.hs("POST", "/events/v3/send/batch", json{{"inputs", batch}}).status == 204);
    // A retry of the whole batch changes nothing.
    CHECK(emu.hs("POST", "/events/v3/send/batch", json{{"inputs", batch}}).status == 204);
    CHECK(emu.hs("POST", "/events/v3/send", occurrence(c[0], {{"order_id", "fourth"}}, "u-2")).status == 204);
    // Another event type has its own uuids.
    CHECK(emu.hs("POST", "/events/v3/send", json{{"eventName", fq_prefix + "other"}, {"objectId", c[0]}, {"uuid", "u-1"}})
              .status == 204);
    auto events = recorded(emu);
    CHECK(events["total"] == 3);
    CHECK(events["duplicates_ignored"] == 5);  // one in the first batch, three in its retry, one single
    auto mine = recorded(emu, "order_placed");
    REQUIRE(mine["total"] == 2);
    CHECK(mine["results"][0]["properties"]["order_id"] == "first");
    CHECK(mine["results"][0]["uuid"] == "u-1");
    CHECK(mine["results"][1]["properties"]["order_id"] == "third");
    CHECK(recorded(emu, fq_prefix + "other")["total"] == 1);
}

TEST_CASE("events: with events.reject_duplicate_uuids a taken uuid fails the request", "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    emu.config({{"events", {{"reject_duplicate_uuids", true}}}});
    CHECK(emu.hs("POST", "/events/v3/send", occurrence(c[0], {{"order_id", "first"}}, "u-1")).status == 204);
    auto single = emu.hs("POST", "/events/v3/send", occurrence(c[0], {{"order_id", "again"}}, "u-1"));
    CHECK(single.status == 400);
    CHECK(error_code(single) == "DUPLICATE_UUID");
    auto batch = emu.hs("POST", "/events/v3/send/batch",
                        json{{"inputs", {occurrence(c[0], {}, "u-2"), occurrence(c[0], {}, "u-1")}}});
    CHECK(batch.status == 400);
    CHECK(batch.json()["context"]["inputIndex"] == json::array({"1"}));
    auto within = emu.hs("POST", "/events/v3/send/batch",
                         json{{"inputs", {occurrence(c[0], {}, "u-3"), occurrence(c[0], {}, "u-3")}}});
    CHECK(within.status == 400);
    CHECK(error_code(within) == "DUPLICATE_UUID");
    auto events = recorded(emu);
    CHECK(events["total"] == 1);
    CHECK(events["duplicates_ignored"] == 0);
}

TEST_CASE("events: scopes analytics.behavioral_events.send and behavioral_events.event_definitions.read_write",
          "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    emu.add_token("pat-send", {"analytics.behavioral_events.send"});
    emu.add_token("pat-defs", {"behavioral_events.event_definitions.read_write"});
    CHECK(emu.hs("POST", "/events/v3/send", occurrence(c[0]), "pat-send").status == 204);
    auto denied = emu.hs("POST", "/events/v3/send/batch", json{{"inputs", {occurrence(c[0])}}}, "pat-defs");
    CHECK(denied.status == 403);
    CHECK(denied.json()["errors"][0]["context"]["requiredGranularScopes"] ==
          json::array({"analytics.behavioral_events.send"}));
    CHECK(emu.hs("GET", defs, std::string{}, "pat-send").status == 403);
    CHECK(emu.hs("GET", defs, std::string{}, "pat-defs").status == 200);
    CHECK(emu.hs("POST", defs, json{{"label", "New"}}, "pat-defs").status == 201);
}

TEST_CASE("events: the dated paths serve the same definitions and sends", "[emulator][events]")
{
    emulator_fixture emu;
    auto d = emu.hs("POST", "/events/2026-03/event-definitions", json{{"label", "Dated"}, {"name", "dated"}});
    REQUIRE(d.status == 201);
    CHECK(emu.hs("GET", defs + "/dated").status == 200);
    CHECK(emu.hs("GET", "/events/2026-03/event-definitions").json()["total"] == 1);
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    json o = {{"eventName", fq_prefix + "dated"}, {"objectId", c[0]}};
    CHECK(emu.hs("POST", "/events/2026-03/send", o).status == 204);
    CHECK(emu.hs("POST", "/events/2026-03/send/batch", json{{"inputs", {o}}}).status == 204);
    CHECK(emu.hs("POST", "/events/custom/2026-03/send", o).status == 204);
    CHECK(recorded(emu)["total"] == 3);
}

TEST_CASE("events: reset forgets definitions, retired names and occurrences", "[emulator][events]")
{
    emulator_fixture emu;
    define_order_placed(emu);
    REQUIRE(emu.hs("DELETE", defs + "/order_placed").status == 204);
    define(emu, {{"label", "Kept"}, {"name", "kept"}});
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    REQUIRE(emu.hs("POST", "/events/v3/send", json{{"eventName", fq_prefix + "kept"}, {"objectId", c[0]}}).status == 204);
    emu.admin("POST", "/reset");
    CHECK(recorded(emu)["total"] == 0);
    CHECK(emu.hs("GET", defs).json()["total"] == 0);
    define_order_placed(emu);  // the retired name is free again
}
