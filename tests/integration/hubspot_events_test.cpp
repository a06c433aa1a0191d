// events_api against the emulator over real HTTP: definitions, batch sends, uuid dedupe both ways, refusals, lost
// answers and the dated API version.
#include "hubspot/api_error.hpp"
#include "hubspot/events_api.hpp"
#include "tests/support/client_harness.hpp"

#include <catch2/catch.hpp>

using namespace hubsync;
using namespace hubsync::test;
using nlohmann::json;

namespace {
const std::string fq_prefix = "pe" + std::to_string(emulator_portal_id) + "_";

hubspot::events_api
events(client_harness& h, const std::string& version = "v3")
{
    return hubspot::events_api(*h.client, hubspot::api_paths(version));
}

hubspot::event_definition_input
order_placed()
{
    hubspot::event_definition_input in;
    in.label = "Order placed";
    in.name = "order_placed";
    in.description = "A web shop order";
    in.properties = {{"order_id", "Order", "string", {}, ""},
                     {"amount", "Amount", "number", {}, ""},
                     {"channel", "Channel", "enumeration", {{"Web", "web"}, {"Shop", "shop"}}, ""}};
    return in;
}

hubspot::event_occurrence
order(const std::string& contact_id, const std::string& order_id, const std::string& uuid = {})
{
    hubspot::event_occurrence o;
    o.event_name = fq_prefix + "order_placed";
    o.object_id = contact_id;
    o.properties = {{"order_id", order_id}, {"amount", "10"}, {"channel", "web"}};
    o.uuid = uuid;
    return o;
}

json
recorded(const emulator_fixture& emu)
{
    return emu.admin("GET", "/events");
}

std::vector<std::string>
order_ids(const json& events)
{
    std::vector<std::string> out;
    for (const auto& e : events["results"]) out.push_back(e["properties"]["order_id"]);
    return out;
}

std::string
contact(const emulator_fixture& emu)
{
    return emu.seed("contacts", json::array({{{"properties", {{"email", "buyer@example.com"}}}}})).at(0);
}
}  // namespace

TEST_CASE("events client: create a definition and list every definition with its properties",
          "[emulator][client][events]")
{
    emulator_fixture emu;
    client_harness h(emu);
    auto api = events(h);
    auto d = h.run(api.create_definition(order_placed()));
    CHECK(d.name == "order_placed");
    CHECK(d.fully_qualified_name == fq_prefix + "order_placed");
    CHECK(d.label == "Order placed");
    CHECK(d.primary_object == "CONTACT");
    CHECK(!d.object_type_id.empty());

    hubspot::event_definition_input derived;
    derived.label = "Renewal due";
    derived.primary_object = "COMPANY";
    derived.include_default_properties = false;
    derived.properties = {{"plan", "Plan", "string", {}, ""}};
    auto r = h.run(api.create_definition(derived));
    CHECK(r.name == "renewal_due");  // derived from the label
    CHECK(r.properties.size() == 1);

    // More than one page (100 per page).
    emu.config({{"rate_limit", {{"enabled", false}}}});
    for (int i = 0; i < 110; ++i) {
        auto task = api.create_definition({"Step " + std::to_string(i), "step_" + std::to_string(i), "", "CONTACT", false, {}, {}});
        h.run(std::move(task));
    }
    auto all = h.run(api.list_definitions());
    REQUIRE(all.size() == 112);
    CHECK(requests_to(emu, "GET /events/v3/event-definitions") == 2);
    const hubspot::event_definition* listed = nullptr;
    for (const auto& x : all)
        if (x.name == "order_placed") listed = &x;
    REQUIRE(listed);
    CHECK(listed->fully_qualified_name == d.fully_qualified_name);
    CHECK(listed->object_type_id == d.object_type_id);
    std::map<std::string, std::string> types;
    for (const auto& p : listed->properties) types[p.name] = p.type;
    CHECK(types["order_id"] == "string");
    CHECK(types["amount"] == "number");
    CHECK(types["channel"] == "enumeration");
    CHECK(types.count("hs_city") == 1);  // default properties are listed too

    try {
        h.run(api.create_definition(order_placed()));
        FAIL("a taken event name was accepted");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 409);
    }
}

TEST_CASE("events client: a batch send records every occurrence", "[emulator][client][events]")
{
    emulator_fixture emu;
    auto c = contact(emu);
    client_harness h(emu);
    auto api = events(h);
    h.run(api.create_definition(order_placed()));
    auto a = order(c, "A-1", "uuid-a");
    a.occurred_at = "2026-01-20T21:14:16.512Z";
    auto b = order(c, "A-2", "uuid-b");
    b.object_id.reset();
    b.email = "BUYER@example.com";
    h.run(api.send_batch({a, b}));
    h.run(api.send(order(c, "A-3")));
    h.run(api.send_batch({}));  // nothing to send: no request
    CHECK(requests_to(emu, "POST /events/v3/send/batch") == 1);
    CHECK(requests_to(emu, "POST /events/v3/send") == 1);

    auto ev = recorded(emu);
    REQUIRE(ev["total"] == 3);
    CHECK(order_ids(ev) == std::vector<std::string>{"A-1", "A-2", "A-3"});
    CHECK(ev["results"][0]["occurredAt"] == "2026-01-20T21:14:16.512Z");
    CHECK(ev["results"][0]["uuid"] == "uuid-a");
    CHECK(ev["results"][1]["objectId"] == c);
    CHECK(ev["results"][1]["matchedBy"] == "email");
    CHECK(ev["results"][2]["properties"]["amount"] == "10");

    std::vector<hubspot::event_occurrence> too_many(hubspot::max_event_batch_inputs + 1, order(c, "x"));
    CHECK_THROWS_AS(h.run(api.send_batch(too_many)), std::invalid_argument);
}

TEST_CASE("events client: uuids make re-sends harmless whether HubSpot drops or refuses duplicates",
          "[emulator][client][events]")
{
    emulator_fixture emu;
    auto c = contact(emu);
    const bool reject = GENERATE(false, true);
    emu.config({{"events", {{"reject_duplicate_uuids", reject}}}});
    client_harness h(emu);
    auto api = events(h);
    h.run(api.create_definition(order_placed()));
    h.run(api.send_batch({order(c, "1", "u1"), order(c, "2", "u2")}));
    // A later batch repeats two occurrences and brings a new one.
    h.run(api.send_batch({order(c, "1", "u1"), order(c, "3", "u3"), order(c, "2", "u2")}));
    h.run(api.send(order(c, "2", "u2")));
    auto ev = recorded(emu);
    INFO("reject_duplicate_uuids=" << reject);
    CHECK(order_ids(ev) == std::vector<std::string>{"1", "2", "3"});
    // Refused: the second batch was re-sent one occurrence at a time.
    CHECK(requests_to(emu, "POST /events/v3/send") == (reject ? 4 : 1));
}

TEST_CASE("events client: a send whose answer is lost is re-sent only when every occurrence has a uuid",
          "[emulator][client][events]")
{
    emulator_fixture emu;
    auto c = contact(emu);
    client_harness h(emu);
    auto api = events(h);
    h.run(api.create_definition(order_placed()));
    json cut = {{"faults", json::array({{{"status", "reset_mid_body"}, {"count", 1}, {"path_prefix", "/events/v3/send"},
                                         {"process_request", true}}})}};
    SECTION("with uuids: re-sent, recorded once")
    {
        emu.config(cut);
        h.run(api.send_batch({order(c, "1", "u1"), order(c, "2", "u2")}));
        CHECK(requests_to(emu, "POST /events/v3/send/batch") == 2);
        CHECK(order_ids(recorded(emu)) == std::vector<std::string>{"1", "2"});
        CHECK(recorded(emu)["duplicates_ignored"] == 2);
    }
    SECTION("without a uuid: not re-sent, the caller learns the answer was lost")
    {
        emu.config(cut);
        try {
            h.run(api.send_batch({order(c, "1", "u1"), order(c, "2")}));
            FAIL("a lost answer was not reported");
        } catch (const hubspot::transport_error& e) {
            CHECK(e.request_sent());
        }
        CHECK(requests_to(emu, "POST /events/v3/send/batch") == 1);
        CHECK(recorded(emu)["total"] == 2);
    }
}

TEST_CASE("events client: an unknown event or property is an api_error and nothing is recorded",
          "[emulator][client][events]")
{
    emulator_fixture emu;
    auto c = contact(emu);
    client_harness h(emu);
    auto api = events(h);
    h.run(api.create_definition(order_placed()));
    auto unknown = order(c, "1", "u1");
    unknown.event_name = fq_prefix + "never_defined";
    try {
        h.run(api.send_batch({order(c, "0", "u0"), unknown}));
        FAIL("an unknown event was accepted");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 400);
        CHECK(e.info().category == "VALIDATION_ERROR");
        REQUIRE(!e.info().inputs.empty());
        CHECK(e.info().inputs[0].code == "UNKNOWN_EVENT");
        CHECK(e.info().message.find("inputs[1]") != std::string::npos);
    }
    auto undefined = order(c, "2", "u2");
    undefined.properties["colour"] = "red";
    try {
        h.run(api.send(undefined));
        FAIL("an undefined property was accepted");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 400);
        REQUIRE(!e.info().inputs.empty());
        CHECK(e.info().inputs[0].code == "PROPERTY_DOESNT_EXIST");
        CHECK(e.info().inputs[0].properties == std::vector<std::string>{"colour"});
    }
    CHECK(recorded(emu)["total"] == 0);
}

TEST_CASE("events client: the dated API version uses /events/YYYY-MM", "[emulator][client][events]")
{
    emulator_fixture emu;
    auto c = contact(emu);
    client_harness h(emu);
    auto dated = events(h, "2026-03");
    h.run(dated.create_definition(order_placed()));
    h.run(dated.send_batch({order(c, "1", "u1")}));
    h.run(dated.send(order(c, "2", "u2")));
    CHECK(h.run(dated.list_definitions()).size() == 1);
    CHECK(order_ids(recorded(emu)) == std::vector<std::string>{"1", "2"});
    CHECK(requests_to(emu, "POST /events/2026-03/event-definitions") == 1);
    CHECK(requests_to(emu, "GET /events/2026-03/event-definitions") == 1);
    CHECK(requests_to(emu, "POST /events/2026-03/send/batch") == 1);
    CHECK(requests_to(emu, "POST /events/2026-03/send") == 1);
}
