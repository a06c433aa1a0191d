// The associations v4 client against the emulator over real HTTP: labels, label replacement, default associations,
// paged reads, archives, 207 errors mapped to inputs, and the dated API version.
#include "hubspot/api_error.hpp"
#include "hubspot/associations_api.hpp"
#include "hubspot/client.hpp"
#include "tests/support/emulator_fixture.hpp"
#include "tests/support/run_sync.hpp"

#include <catch2/catch.hpp>

#include <algorithm>

using namespace hubsync;
using namespace hubsync::test;
using nlohmann::json;
using hubspot::association_input;
using hubspot::association_type;

namespace {
// A client on its own io_context for one API version.
struct associations_harness {
    net::io_context ioc;
    std::unique_ptr<hubspot::client> client;
    hubspot::associations_api api;

    associations_harness(const emulator_fixture& emu, const std::string& version = "v3")
        : client(make_client(ioc, emu, version)), api(*client, hubspot::api_paths(version))
    {
    }

    template <class T>
    T run(net::awaitable<T> op)
    {
        return run_on(ioc, std::move(op));
    }

    static std::unique_ptr<hubspot::client> make_client(net::io_context& ioc, const emulator_fixture& emu,
                                                        const std::string& version)
    {
        hubspot::client_settings s;
        s.base_url = "http://127.0.0.1:" + std::to_string(emu.port());
        s.api_version = version;
        s.retry.base_delay = std::chrono::milliseconds(10);
        s.retry.max_delay = std::chrono::milliseconds(200);
        return std::make_unique<hubspot::client>(ioc, s, std::make_shared<hubspot::static_token>(emulator_token),
                                                 nullptr, "test");
    }
};

const association_type primary{"HUBSPOT_DEFINED", 1, "Primary"};
const association_type unlabeled_contact_company{"HUBSPOT_DEFINED", 279, std::nullopt};
const association_type unlabeled_company_contact{"HUBSPOT_DEFINED", 280, std::nullopt};

association_input
assoc_pair(std::string from, std::string to, std::vector<association_type> types = {}, std::string trace = {})
{
    return {std::move(from), std::move(to), std::move(types), std::move(trace)};
}

std::vector<std::string>
seed_named(const emulator_fixture& emu, const std::string& type, int n)
{
    json records = json::array();
    for (int i = 0; i < n; ++i)
        records.push_back({{"properties", type == "contacts" ? json{{"email", "c" + std::to_string(i) + "@x.com"}}
                                                             : json{{"name", "N" + std::to_string(i)}}}});
    return emu.seed(type, records);
}

bool
has(const std::vector<association_type>& types, const association_type& t)
{
    return std::find(types.begin(), types.end(), t) != types.end();
}

// The one USER_DEFINED type among `types` (create_label's answer does not say which direction is which).
association_type
user_defined(const std::vector<association_type>& types)
{
    for (const auto& t : types)
        if (t.category == "USER_DEFINED") return t;
    FAIL("no USER_DEFINED type");
    return {};
}
}  // namespace

TEST_CASE("associations client: labels lists every type with its category, and create_label adds both directions",
          "[emulator][client][associations]")
{
    emulator_fixture emu;
    associations_harness h(emu);
    auto before = h.run(h.api.labels("contacts", "companies"));
    CHECK(has(before, primary));
    CHECK(has(before, unlabeled_contact_company));

    auto created = h.run(h.api.create_label("contacts", "companies", "Billing contact", "Billed company", "billing"));
    REQUIRE(created.size() == 2);
    const association_type billing{"USER_DEFINED", 1, "Billing contact"};
    const association_type billed{"USER_DEFINED", 2, "Billed company"};
    CHECK(has(created, billing));
    CHECK(has(created, billed));
    auto forward = h.run(h.api.labels("contacts", "companies"));
    CHECK(has(forward, billing));
    CHECK(has(forward, primary));  // same number, other category
    CHECK(has(h.run(h.api.labels("companies", "contacts")), billed));

    try {
        h.run(h.api.create_label("contacts", "companies", "Again", std::nullopt, "billing"));
        FAIL("a taken label name was accepted");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 400);
        CHECK(e.info().category == "VALIDATION_ERROR");
    }
}

TEST_CASE("associations client: batch_create sets the labels, read back from both sides", "[emulator][client][associations]")
{
    emulator_fixture emu;
    associations_harness h(emu);
    auto contacts = seed_named(emu, "contacts", 1);
    auto companies = seed_named(emu, "companies", 2);
    REQUIRE(h.run(h.api.create_label("contacts", "companies", "Billing contact", std::nullopt, "billing")).size() == 2);
    const auto billing = user_defined(h.run(h.api.labels("contacts", "companies")));

    auto r = h.run(h.api.batch_create(
        "contacts", "companies",
        {assoc_pair(contacts[0], companies[0], {primary, billing}), assoc_pair(contacts[0], companies[1], {})}));
    CHECK(r.status == 201);
    CHECK(r.errors.empty());
    REQUIRE(r.results.size() == 2);
    CHECK(r.results[0].from_id == contacts[0]);
    CHECK(r.results[0].to_id == companies[0]);
    CHECK(r.results[0].labels == std::vector<std::string>{"Primary", "Billing contact"});
    CHECK(r.results[1].labels.empty());

    auto read = h.run(h.api.batch_read("contacts", "companies", {contacts[0]}));
    CHECK(read.errors.empty());
    const auto& to = read.by_from.at(contacts[0]);
    REQUIRE(to.size() == 2);
    CHECK(to[0].to_id == companies[0]);
    CHECK(to[0].types.size() == 3);
    CHECK(has(to[0].types, billing));
    CHECK(to[1].types == std::vector<association_type>{unlabeled_contact_company});

    auto back = h.run(h.api.batch_read("company", "contact", {companies[0], companies[1]}));
    CHECK(has(back.by_from.at(companies[0]).at(0).types, association_type{"HUBSPOT_DEFINED", 2, "Primary"}));
    CHECK(back.by_from.at(companies[1]).at(0).types == std::vector<association_type>{unlabeled_company_contact});

    // Replacement: only the unlabeled type is left, and sending it again changes nothing.
    for (int i = 0; i < 2; ++i)
        CHECK(h.run(h.api.batch_create("contacts", "companies", {assoc_pair(contacts[0], companies[0])})).status == 201);
    auto replaced = h.run(h.api.batch_read("contacts", "companies", {contacts[0]}));
    CHECK(replaced.by_from.at(contacts[0]).at(0).types == std::vector<association_type>{unlabeled_contact_company});
}

TEST_CASE("associations client: batch_associate_default reports the unlabeled type, seen inversely",
          "[emulator][client][associations]")
{
    emulator_fixture emu;
    associations_harness h(emu);
    auto contacts = seed_named(emu, "contacts", 1);
    auto companies = seed_named(emu, "companies", 1);
    auto r = h.run(h.api.batch_associate_default("contacts", "companies", {assoc_pair(contacts[0], companies[0])}));
    CHECK(r.status == 200);
    REQUIRE(r.results.size() == 1);
    CHECK(r.results[0].from_id == contacts[0]);
    CHECK(r.results[0].to_id == companies[0]);
    REQUIRE(r.results[0].type);
    CHECK(r.results[0].type->category == "HUBSPOT_DEFINED");
    CHECK(r.results[0].type->type_id == 279);
    auto back = h.run(h.api.batch_read("companies", "contacts", {companies[0]}));
    CHECK(back.by_from.at(companies[0]).at(0).types == std::vector<association_type>{unlabeled_company_contact});
}

TEST_CASE("associations client: batch_read follows paging, and records without associations are empty",
          "[emulator][client][associations]")
{
    emulator_fixture emu;
    associations_harness h(emu);
    auto contacts = seed_named(emu, "contacts", 2);
    auto companies = seed_named(emu, "companies", 1203);
    std::vector<association_input> inputs;
    for (const auto& c : companies) inputs.push_back(assoc_pair(contacts[0], c));
    REQUIRE(h.run(h.api.batch_create("contacts", "companies", inputs)).status == 201);

    auto read = h.run(h.api.batch_read("contacts", "companies", {contacts[0], contacts[1], "987654", contacts[0]}));
    CHECK(read.errors.empty());
    REQUIRE(read.by_from.at(contacts[0]).size() == 1203);
    CHECK(read.by_from.at(contacts[0]).back().to_id == companies.back());
    CHECK(read.by_from.at(contacts[1]).empty());
    CHECK(read.by_from.at("987654").empty());
    CHECK(emu.requests()["by_route"]["POST /crm/v4/associations/{fromObjectType}/{toObjectType}/batch/read"] == 3);
}

TEST_CASE("associations client: 207 errors map back to the inputs they are about", "[emulator][client][associations]")
{
    emulator_fixture emu;
    associations_harness h(emu);
    auto contacts = seed_named(emu, "contacts", 2);
    auto companies = seed_named(emu, "companies", 2);
    std::vector<association_input> inputs{
        assoc_pair(contacts[0], companies[0], {}, "row-0"), assoc_pair(contacts[0], "424242", {}, "row-1"),
        assoc_pair(contacts[1], companies[1], {}, "row-2"), assoc_pair("717171", companies[1], {}, "row-3")};
    for (const bool default_only : {false, true}) {
        auto r = default_only ? h.run(h.api.batch_associate_default("contacts", "companies", inputs))
                              : h.run(h.api.batch_create("contacts", "companies", inputs));
        INFO(default_only);
        CHECK(r.status == 207);
        CHECK(r.results.size() == 2);
        REQUIRE(r.errors.size() == 2);
        std::map<std::string, std::string> missing_by_trace;
        for (const auto& e : r.errors) {
            CHECK(e.error.category == "OBJECT_NOT_FOUND");
            REQUIRE(e.inputs.size() == 1);
            REQUIRE(e.error.ids.size() == 1);
            missing_by_trace[inputs[e.inputs[0]].trace] = e.error.ids[0];
        }
        CHECK(missing_by_trace == std::map<std::string, std::string>{{"row-1", "424242"}, {"row-3", "717171"}});
    }

    // A type of another pair fails the whole request.
    try {
        h.run(h.api.batch_create("contacts", "companies",
                                 {assoc_pair(contacts[0], companies[0], {association_type{"HUBSPOT_DEFINED", 4, {}}})}));
        FAIL("an unknown type was accepted");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 400);
        CHECK(e.info().category == "VALIDATION_ERROR");
    }
}

TEST_CASE("associations client: batch_archive removes pairs, batch_archive_labels single types",
          "[emulator][client][associations]")
{
    emulator_fixture emu;
    associations_harness h(emu);
    auto contacts = seed_named(emu, "contacts", 1);
    auto companies = seed_named(emu, "companies", 3);
    REQUIRE(h.run(h.api.batch_create("contacts", "companies",
                                     {assoc_pair(contacts[0], companies[0], {primary}), assoc_pair(contacts[0], companies[1]),
                                      assoc_pair(contacts[0], companies[2])}))
                .status == 201);

    auto labels = h.run(h.api.batch_archive_labels("contacts", "companies", {assoc_pair(contacts[0], companies[0], {primary})}));
    CHECK(labels.status == 204);
    auto archived = h.run(h.api.batch_archive("contacts", "companies",
                                              {assoc_pair(contacts[0], companies[1]), assoc_pair(contacts[0], companies[2])}));
    CHECK(archived.status == 204);
    auto read = h.run(h.api.batch_read("contacts", "companies", {contacts[0]}));
    const auto& left = read.by_from.at(contacts[0]);
    REQUIRE(left.size() == 1);
    CHECK(left[0].to_id == companies[0]);
    CHECK(left[0].types == std::vector<association_type>{unlabeled_contact_company});

    CHECK(h.run(h.api.batch_archive_labels("companies", "contacts",
                                           {assoc_pair(companies[0], contacts[0], {unlabeled_company_contact})}))
              .status == 204);
    CHECK(h.run(h.api.batch_read("contacts", "companies", {contacts[0]})).by_from.at(contacts[0]).empty());
}

TEST_CASE("associations client: the dated API version uses /crm/associations/2026-03", "[emulator][client][associations]")
{
    emulator_fixture emu;
    associations_harness h(emu, "2026-03");
    auto contacts = seed_named(emu, "contacts", 1);
    auto companies = seed_named(emu, "companies", 1);
    REQUIRE(h.run(h.api.create_label("0-1", "0-2", "Dated", std::nullopt, "dated")).size() == 2);
    const auto label = user_defined(h.run(h.api.labels("contacts", "companies")));
    CHECK(label.label == "Dated");
    CHECK(h.run(h.api.batch_create("contacts", "companies", {assoc_pair(contacts[0], companies[0], {label})})).status ==
          201);
    CHECK(h.run(h.api.batch_associate_default("contacts", "companies", {assoc_pair(contacts[0], companies[0])})).status ==
          200);
    auto read = h.run(h.api.batch_read("contacts", "companies", {contacts[0]}));
    CHECK(has(read.by_from.at(contacts[0]).at(0).types, label));
    CHECK(h.run(h.api.batch_archive("contacts", "companies", {assoc_pair(contacts[0], companies[0])})).status == 204);

    auto routes = emu.requests()["by_route"];
    const std::string base = "/crm/associations/2026-03/{fromObjectType}/{toObjectType}";
    CHECK(routes.value("POST " + base + "/labels", 0) == 1);
    CHECK(routes.value("GET " + base + "/labels", 0) == 1);
    CHECK(routes.value("POST " + base + "/batch/create", 0) == 1);
    CHECK(routes.value("POST " + base + "/batch/associate/default", 0) == 1);
    CHECK(routes.value("POST " + base + "/batch/read", 0) == 1);
    CHECK(routes.value("POST " + base + "/batch/archive", 0) == 1);
    for (const auto& [route, n] : routes.items()) CHECK(route.find("/crm/v4/") == std::string::npos);
}
