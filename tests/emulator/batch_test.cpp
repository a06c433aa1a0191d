// Batch create/read/update/archive, trace-id semantics and limits (hubspot-api.md §2.2, §2.7, §8.6-11).
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <functional>
#include <thread>

using namespace hubsync::test;
using nlohmann::json;

namespace {
json
contact(const std::string& email, json extra = json::object())
{
    extra["email"] = email;
    return {{"properties", extra}};
}

json
with_trace(json input, const std::string& trace)
{
    input["objectWriteTraceId"] = trace;
    return input;
}

json
inputs(int n, const std::function<json(int)>& make)
{
    json a = json::array();
    for (int i = 0; i < n; ++i) a.push_back(make(i));
    return {{"inputs", a}};
}
}  // namespace

TEST_CASE("batch create without trace ids: one bad input fails the request and nothing is written",
          "[emulator][batch]")
{
    emulator_fixture emu;
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/create",
                    json{{"inputs", {contact("a@x.com"), contact("b@x.com", {{"missing", "1"}}), contact("c@x.com")}}});
    INFO(r.body);
    REQUIRE(r.status == 400);
    auto j = r.json();
    CHECK(j["category"] == "VALIDATION_ERROR");
    CHECK(embedded_property_errors(j["message"])[0]["error"] == "PROPERTY_DOESNT_EXIST");
    CHECK(j["errors"][0]["context"]["propertyName"] == json::array({"missing"}));
    CHECK(emu.state("contacts")["total"] == 0);

    auto ok = emu.hs("POST", "/crm/v3/objects/contacts/batch/create",
                     json{{"inputs", {contact("a@x.com"), contact("c@x.com")}}});
    REQUIRE(ok.status == 201);
    auto body = ok.json();
    CHECK(body["status"] == "COMPLETE");
    CHECK(body["results"].size() == 2);
    CHECK(!body.contains("errors"));
    CHECK(body.contains("startedAt"));
    CHECK(body.contains("completedAt"));
    CHECK(emu.state("contacts")["total"] == 2);
}

TEST_CASE("batch create with unique trace ids: 207, good inputs written, bad ones reported", "[emulator][batch]")
{
    emulator_fixture emu;
    auto r =
        emu.hs("POST", "/crm/v3/objects/contacts/batch/create",
               json{{"inputs",
                     {with_trace(contact("a@x.com"), "t1"), with_trace(contact("b@x.com", {{"missing", "1"}}), "t2"),
                      with_trace(contact("c@x.com"), "t3")}}});
    INFO(r.body);
    REQUIRE(r.status == 207);
    auto j = r.json();
    CHECK(j["status"] == "COMPLETE");
    CHECK(j["numErrors"] == 1);
    REQUIRE(j["results"].size() == 2);
    CHECK(j["results"][0]["objectWriteTraceId"] == "t1");
    REQUIRE(j["errors"].size() == 1);
    auto e = j["errors"][0];
    CHECK(e["status"] == "error");
    CHECK(e["category"] == "VALIDATION_ERROR");
    CHECK(e["context"]["objectWriteTraceId"] == json::array({"t2"}));
    auto list = embedded_property_errors(e["message"]);
    CHECK(list[0]["name"] == "missing");
    CHECK(list[0]["portalId"] == emulator_portal_id);
    auto st = emu.state("contacts");
    REQUIRE(st["total"] == 2);
    CHECK(st["results"][0]["properties"]["email"] == "a@x.com");
    CHECK(st["results"][1]["properties"]["email"] == "c@x.com");

    // Duplicate trace ids do not count: the request is all-or-nothing again.
    auto dup = emu.hs("POST", "/crm/v3/objects/contacts/batch/create",
                      json{{"inputs", {with_trace(contact("d@x.com"), "same"),
                                       with_trace(contact("e@x.com", {{"missing", "1"}}), "same")}}});
    CHECK(dup.status == 400);
    CHECK(emu.state("contacts")["total"] == 2);
}

TEST_CASE("batch create conflicts: 409 naming the first, or a CONFLICT item with trace ids", "[emulator][batch]")
{
    emulator_fixture emu;
    auto ids = emu.seed("contacts", json::array({{{"properties", {{"email", "taken@x.com"}}}},
                                                 {{"properties", {{"email", "also@x.com"}}}}}));
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/create",
                    json{{"inputs", {contact("new@x.com"), contact("TAKEN@x.com"), contact("also@x.com")}}});
    REQUIRE(r.status == 409);
    CHECK(r.json()["message"] == "Contact already exists. Existing ID: " + ids[0]);
    CHECK(r.json()["category"] == "CONFLICT");
    CHECK(emu.state("contacts")["total"] == 2);  // new@x.com was rolled back

    auto p = emu.hs("POST", "/crm/v3/objects/contacts/batch/create",
                    json{{"inputs", {with_trace(contact("new@x.com"), "a"), with_trace(contact("taken@x.com"), "b"),
                                     with_trace(contact("new@x.com"), "c")}}});
    REQUIRE(p.status == 207);
    auto j = p.json();
    REQUIRE(j["results"].size() == 1);
    const auto new_id = j["results"][0]["id"].get<std::string>();
    REQUIRE(j["errors"].size() == 2);
    CHECK(j["errors"][0]["category"] == "CONFLICT");
    CHECK(j["errors"][0]["message"] == "Contact already exists. Existing ID: " + ids[0]);
    CHECK(j["errors"][0]["context"]["objectWriteTraceId"] == json::array({"b"}));
    // A duplicate inside the batch conflicts with the record the earlier input created.
    CHECK(j["errors"][1]["message"] == "Contact already exists. Existing ID: " + new_id);
}

TEST_CASE("conflicts on a custom unique property name the object's singular label", "[emulator][batch]")
{
    emulator_fixture emu;
    REQUIRE(emu.hs("POST", "/crm/v3/properties/companies",
                   json{{"name", "external_id"}, {"label", "External ID"}, {"type", "string"}, {"fieldType", "text"},
                        {"groupName", "companyinformation"}, {"hasUniqueValue", true}})
                .status == 201);
    auto a = emu.hs("POST", "/crm/v3/objects/companies", json{{"properties", {{"external_id", "E1"}}}});
    REQUIRE(a.status == 201);
    auto b = emu.hs("POST", "/crm/v3/objects/companies/batch/create",
                    json{{"inputs", {{{"properties", {{"external_id", "E1"}}}}}}});
    REQUIRE(b.status == 409);
    CHECK(b.json()["message"] == "Company already exists. Existing ID: " + a.json()["id"].get<std::string>());
    // The other shape one report saw (hubspot-api.md §9 point 4), switched on for clients to be tested with both.
    emu.config({{"objects", {{"unique_conflict", 400}}}});
    CHECK(emu.admin("GET", "/config")["objects"]["unique_conflict"] == 400);
    auto c = emu.hs("POST", "/crm/v3/objects/companies/batch/create",
                    json{{"inputs", {{{"properties", {{"external_id", "E1"}}}}}}});
    REQUIRE(c.status == 400);
    CHECK(c.json()["category"] == "VALIDATION_ERROR");
    CHECK(c.json()["message"] == "propertyValue: already has that value external_id");
    // Contact email keeps the documented 409.
    REQUIRE(emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "x@y.com"}}}}).status == 201);
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "x@y.com"}}}}).status == 409);
    emu.config({{"objects", {{"unique_conflict", 409}}}});
    // Company domains are not unique.
    CHECK(emu.hs("POST", "/crm/v3/objects/companies/batch/create",
                 json{{"inputs", {{{"properties", {{"domain", "a.com"}}}}, {{"properties", {{"domain", "a.com"}}}}}}})
              .status == 201);
}

TEST_CASE("more than 100 inputs is 400 on every batch endpoint", "[emulator][batch]")
{
    emulator_fixture emu;
    auto big = inputs(101, [](int i) { return json{{"id", std::to_string(i)}, {"properties", json::object()}}; });
    for (const char* op : {"create", "read", "update", "upsert", "archive"}) {
        auto r = emu.hs("POST", std::string("/crm/v3/objects/contacts/batch/") + op, big);
        INFO(op << " " << r.body);
        REQUIRE(r.status == 400);
        CHECK(r.json()["category"] == "VALIDATION_ERROR");
        CHECK(r.json()["message"].get<std::string>().find("100") != std::string::npos);
    }
    auto hundred = inputs(100, [](int i) { return contact("u" + std::to_string(i) + "@x.com"); });
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/batch/create", hundred).status == 201);
    CHECK(emu.state("contacts")["total"] == 100);
}

TEST_CASE("batch read: found records, 207 OBJECT_NOT_FOUND listing every missing id", "[emulator][batch]")
{
    emulator_fixture emu;
    auto ids = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}, {"firstname", "A"}}}},
                                                 {{"properties", {{"email", "b@x.com"}, {"phone", "1"}}}}}));
    auto all = emu.hs("POST", "/crm/v3/objects/contacts/batch/read",
                      json{{"properties", {"phone"}}, {"inputs", {{{"id", ids[0]}}, {{"id", ids[1]}}}}});
    REQUIRE(all.status == 200);
    CHECK(all.json()["results"].size() == 2);
    CHECK(result_with_id(all.json()["results"], ids[1])["properties"]["phone"] == "1");
    CHECK(!result_with_id(all.json()["results"], ids[0])["properties"].contains("firstname"));

    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/read",
                    json{{"properties", json::array()},
                         {"inputs", {{{"id", ids[0]}}, {{"id", "999"}}, {{"id", "998"}}}}});
    REQUIRE(r.status == 207);
    auto j = r.json();
    CHECK(j["status"] == "COMPLETE");
    CHECK(j["numErrors"] == 1);
    CHECK(j["results"].size() == 1);
    auto e = j["errors"][0];
    CHECK(e["status"] == "error");
    CHECK(e["category"] == "OBJECT_NOT_FOUND");
    CHECK(e["message"] ==
          "Could not get some CONTACT objects, they may be deleted or not exist. Check that ids are valid.");
    CHECK(e["context"]["ids"] == json::array({"999", "998"}));

    auto by_email = emu.hs("POST", "/crm/v3/objects/contacts/batch/read",
                           json{{"idProperty", "email"}, {"inputs", {{{"id", "B@X.COM"}}}}});
    REQUIRE(by_email.status == 200);
    CHECK(by_email.json()["results"][0]["id"] == ids[1]);
}

TEST_CASE("batch read with propertiesWithHistory accepts at most 50 inputs", "[emulator][batch]")
{
    emulator_fixture emu;
    auto body = inputs(51, [](int i) { return json{{"id", std::to_string(i + 1)}}; });
    body["propertiesWithHistory"] = {"email"};
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/read", body);
    REQUIRE(r.status == 400);
    CHECK(r.json()["message"] ==
          "The maximum number of inputs supported in a batch request for property histories is 50. Please reduce "
          "the number of items and try again");
    body["inputs"].erase(body["inputs"].begin());
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/batch/read", body).status == 207);  // none of them exist
}

TEST_CASE("batch update: unknown ids are 207 OBJECT_NOT_FOUND, bad input without trace ids rolls back",
          "[emulator][batch]")
{
    emulator_fixture emu;
    auto ids = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}, {"firstname", "A"}}}},
                                                 {{"properties", {{"email", "b@x.com"}, {"firstname", "B"}}}}}));
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/update",
                    json{{"inputs", {{{"id", ids[0]}, {"properties", {{"firstname", "A2"}}}},
                                     {{"id", "424242"}, {"properties", {{"firstname", "X"}}}}}}});
    REQUIRE(r.status == 207);
    auto j = r.json();
    CHECK(j["results"][0]["properties"]["firstname"] == "A2");
    CHECK(j["errors"][0]["category"] == "OBJECT_NOT_FOUND");
    CHECK(j["errors"][0]["context"]["ids"] == json::array({"424242"}));

    // The first input is applied, the second is bad: the request fails and the first is undone.
    auto bad = emu.hs("POST", "/crm/v3/objects/contacts/batch/update",
                      json{{"inputs", {{{"id", ids[0]}, {"properties", {{"firstname", "A3"}}}},
                                       {{"id", ids[1]}, {"properties", {{"lifecyclestage", "nope"}}}}}}});
    REQUIRE(bad.status == 400);
    auto st = emu.state("contacts");
    CHECK(result_with_id(st["results"], ids[0])["properties"]["firstname"] == "A2");

    // With trace ids: good inputs applied, the bad and the missing one reported with their trace ids.
    auto partial =
        emu.hs("POST", "/crm/v3/objects/contacts/batch/update",
               json{{"inputs",
                     {{{"id", ids[0]}, {"properties", {{"firstname", "A4"}}}, {"objectWriteTraceId", "u1"}},
                      {{"id", ids[1]}, {"properties", {{"lifecyclestage", "nope"}}}, {"objectWriteTraceId", "u2"}},
                      {{"id", "777"}, {"properties", json::object()}, {"objectWriteTraceId", "u3"}}}}});
    REQUIRE(partial.status == 207);
    auto pj = partial.json();
    CHECK(pj["numErrors"] == 2);
    CHECK(pj["results"][0]["objectWriteTraceId"] == "u1");
    CHECK(pj["errors"][0]["context"]["objectWriteTraceId"] == json::array({"u2"}));
    CHECK(pj["errors"][1]["category"] == "OBJECT_NOT_FOUND");
    CHECK(pj["errors"][1]["context"]["ids"] == json::array({"777"}));
    CHECK(pj["errors"][1]["context"]["objectWriteTraceId"] == json::array({"u3"}));
    CHECK(result_with_id(emu.state("contacts")["results"], ids[0])["properties"]["firstname"] == "A4");

    // Update by a unique property.
    auto by_email = emu.hs(
        "POST", "/crm/v3/objects/contacts/batch/update",
        json{{"inputs", {{{"id", "B@x.com"}, {"idProperty", "email"}, {"properties", {{"firstname", "Bee"}}}}}}});
    REQUIRE(by_email.status == 200);
    CHECK(by_email.json()["results"][0]["id"] == ids[1]);
}

TEST_CASE("batch archive is 204 and hides records unless archived=true", "[emulator][batch]")
{
    emulator_fixture emu;
    auto ids =
        emu.seed("companies", json::array({{{"properties", {{"name", "A"}}}}, {{"properties", {{"name", "B"}}}}}));
    auto r =
        emu.hs("POST", "/crm/v3/objects/companies/batch/archive", json{{"inputs", {{{"id", ids[0]}}, {{"id", "5"}}}}});
    CHECK(r.status == 204);
    CHECK(r.body.empty());
    auto read =
        emu.hs("POST", "/crm/v3/objects/companies/batch/read", json{{"inputs", {{{"id", ids[0]}}, {{"id", ids[1]}}}}});
    REQUIRE(read.status == 207);
    CHECK(read.json()["errors"][0]["context"]["ids"] == json::array({ids[0]}));
    auto archived = emu.hs("POST", "/crm/v3/objects/companies/batch/read?archived=true",
                           json{{"inputs", {{{"id", ids[0]}}}}});
    REQUIRE(archived.status == 200);
    CHECK(archived.json()["results"][0]["archived"] == true);
    CHECK(archived.json()["results"][0].contains("archivedAt"));
    auto st = emu.state("companies");
    CHECK(result_with_id(st["results"], ids[0])["archived"] == true);
}

// Batch writes convert their values outside the state lock against a snapshot of the property definitions and use
// that work only if no property or schema changed meanwhile (tests/emulator/README.md, "Throughput"). A change
// that races with batches must look as if each batch ran entirely before or entirely after it.
TEST_CASE("batches racing property and schema creation see each change entirely before or after",
          "[emulator][batch][concurrency]")
{
    emulator_fixture emu;
    emu.config({{"rate_limit", {{"enabled", false}}}});
    constexpr int seeded = 20;
    json seed = json::array();
    for (int i = 0; i < seeded; ++i)
        seed.push_back({{"properties", {{"email", "seed" + std::to_string(i) + "@x.com"}, {"firstname", "S"}}}});
    emu.seed("contacts", seed);

    std::atomic<int> sent{0};
    std::atomic<bool> changed{false};
    // Each writer keeps going until the changes are made and it has sent `after` more requests.
    constexpr int after = 15;
    auto keep_going = [&](int& since) { return !changed.load() || ++since <= after; };

    // A: all-or-nothing creates that set the property being created.
    std::vector<std::pair<int, std::string>> creates;
    int created_ok = 0;
    std::thread a([&] {
        int since = 0;
        for (int n = 0; keep_going(since); ++n) {
            auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/create", inputs(50, [&](int i) {
                                return contact("a" + std::to_string(n) + "-" + std::to_string(i) + "@x.com",
                                               {{"race_prop", "x"}, {"firstname", "A"}});
                            }));
            if (r.status == 201) ++created_ok;
            creates.emplace_back(r.status, r.body);
            ++sent;
        }
    });
    // B: all-or-nothing upserts (updates) of the seeded contacts, setting the property being created.
    std::vector<std::pair<int, std::string>> upserts;
    std::string last_ok_value;
    std::thread b([&] {
        int since = 0;
        for (int n = 0; keep_going(since); ++n) {
            const auto value = "v" + std::to_string(n);
            auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/upsert", inputs(seeded, [&](int i) {
                                return json{{"idProperty", "email"},
                                            {"id", "SEED" + std::to_string(i) + "@x.com"},
                                            {"properties", {{"race_prop", value}, {"lastname", value}}}};
                            }));
            if (r.status == 200) last_ok_value = value;
            upserts.emplace_back(r.status, r.body);
            ++sent;
        }
    });
    // C: creates of a custom object that does not exist yet.
    std::vector<std::pair<int, std::string>> customs;
    int custom_ok = 0;
    std::thread c([&] {
        int since = 0;
        for (int n = 0; keep_going(since); ++n) {
            auto r = emu.hs("POST", "/crm/v3/objects/race_things/batch/create", inputs(10, [&](int i) {
                                return json{{"properties", {{"title", "t" + std::to_string(n) + "-" +
                                                                           std::to_string(i)}}}};
                            }));
            if (r.status == 201) ++custom_ok;
            customs.emplace_back(r.status, r.body);
            ++sent;
        }
    });

    while (sent.load() < 15) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    auto prop = emu.hs("POST", "/crm/v3/properties/contacts",
                       json{{"name", "race_prop"}, {"label", "Race"}, {"type", "string"}, {"fieldType", "text"},
                            {"groupName", "contactinformation"}});
    auto schema = emu.hs(
        "POST", "/crm-object-schemas/v3/schemas",
        json{{"name", "race_things"},
             {"labels", {{"singular", "Race thing"}, {"plural", "Race things"}}},
             {"properties", json::array({{{"name", "title"}, {"label", "Title"}, {"type", "string"}}})}});
    // More changes while the writers now succeed: batches prepared against an older snapshot convert again.
    for (int i = 0; i < 40; ++i) {
        const auto name = "churn_" + std::to_string(i);
        CHECK(emu.hs("POST", i % 2 ? "/crm/v3/properties/contacts" : "/crm/v3/properties/race_things",
                     json{{"name", name}, {"label", name}, {"type", "string"}, {"fieldType", "text"},
                          {"groupName", "contactinformation"}})
                  .status == 201);
    }
    changed = true;
    a.join();
    b.join();
    c.join();
    REQUIRE(prop.status == 201);
    REQUIRE(schema.status == 201);

    // Each writer's requests are sequential: refusals until the change, then only successes.
    auto check_order = [](const std::vector<std::pair<int, std::string>>& answers, int refused, int ok,
                          const std::string& refusal_mentions) {
        bool seen_ok = false;
        for (const auto& [status, body] : answers) {
            INFO(body);
            if (status == ok) {
                seen_ok = true;
                continue;
            }
            CHECK(!seen_ok);
            CHECK(status == refused);
            CHECK(body.find(refusal_mentions) != std::string::npos);
        }
        CHECK(seen_ok);
    };
    check_order(creates, 400, 201, "race_prop");
    check_order(upserts, 400, 200, "race_prop");
    check_order(customs, 400, 201, "Unable to infer object type from: race_things");

    // Refused batches wrote nothing; accepted ones wrote every input, with the new property.
    auto contacts = emu.state("contacts");
    CHECK(contacts["total"] == seeded + 50 * created_ok);
    for (const auto& rec : contacts["results"]) {
        const auto email = rec["properties"]["email"].get<std::string>();
        INFO(email);
        if (email.rfind("seed", 0) == 0) {
            CHECK(rec["properties"].value("race_prop", std::string{}) == last_ok_value);
            CHECK(rec["properties"].value("lastname", std::string{}) == last_ok_value);
        } else {
            CHECK(rec["properties"]["race_prop"] == "x");
        }
    }
    CHECK(emu.state("race_things")["total"] == 10 * custom_ok);
}

TEST_CASE("bodies that are not JSON or not UTF-8 are 400 VALIDATION_ERROR and write nothing", "[emulator][batch]")
{
    emulator_fixture emu;
    const std::string bad_utf8 = "\xff\xfe";
    const std::vector<std::pair<std::string, std::string>> calls = {
        {"/crm/v3/objects/contacts/batch/create", R"({"inputs":[{"properties":{"email":"a@x.com")"},
        {"/crm/v3/objects/contacts/batch/create",
         R"({"inputs":[{"properties":{"email":"a@x.com","firstname":")" + bad_utf8 + R"("}}]})"},
        {"/crm/v3/objects/contacts", R"({"properties":{"email":"b@x.com","firstname":")" + bad_utf8 + R"("}})"},
        {"/crm/v3/objects/contacts/batch/upsert",
         R"({"inputs":[{"idProperty":"email","id":"c)" + bad_utf8 + R"(@x.com","properties":{}}]})"},
    };
    for (const auto& [target, body] : calls) {
        auto r = emu.hs("POST", target, body);
        INFO(target << " " << r.body);
        CHECK(r.status == 400);
        const auto j = json::parse(r.body);  // the answer itself is valid JSON (and so valid UTF-8)
        CHECK(j["category"] == "VALIDATION_ERROR");
        CHECK(j["message"].get<std::string>().rfind("Invalid input JSON", 0) == 0);
    }
    CHECK(emu.state("contacts")["total"] == 0);
}
