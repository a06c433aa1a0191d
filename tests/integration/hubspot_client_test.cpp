// The HubSpot client against the emulator over real HTTP: retries, rate limits, partial failures, lost answers.
#include "hubspot/account_api.hpp"
#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"
#include "hubspot/objects_api.hpp"
#include "tests/support/emulator_fixture.hpp"
#include "tests/support/run_sync.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace hubsync;
using namespace hubsync::test;
using nlohmann::json;

namespace {
// A client on its own io_context; `run` drives coroutines to completion on two threads.
struct client_harness {
    net::io_context ioc;
    std::unique_ptr<hubspot::client> client;

    client_harness(const emulator_fixture& emu, const std::string& token, hubspot::client_settings s = {})
    {
        s.base_url = "http://127.0.0.1:" + std::to_string(emu.port());
        s.retry.base_delay = std::chrono::milliseconds(10);
        s.retry.max_delay = std::chrono::milliseconds(200);
        s.retry.locked_delay = std::chrono::milliseconds(50);
        client = std::make_unique<hubspot::client>(ioc, s, std::make_shared<hubspot::static_token>(token), nullptr,
                                                   "test");
    }

    template <class T>
    T run(net::awaitable<T> op)
    {
        return run_on(ioc, std::move(op));
    }

    hubspot::objects_api objects() { return hubspot::objects_api(*client, hubspot::api_paths("v3")); }
};

std::vector<hubspot::batch_input>
contacts(int from, int n, const std::string& prefix = "c")
{
    std::vector<hubspot::batch_input> out;
    for (int i = from; i < from + n; ++i) {
        hubspot::batch_input in;
        in.trace_id = "row-" + std::to_string(i);
        in.id = prefix + std::to_string(i) + "@example.com";
        in.id_property = "email";
        in.properties = {{"firstname", "F" + std::to_string(i)}};
        out.push_back(in);
    }
    return out;
}

int
requests_to(const emulator_fixture& emu, const std::string& route)
{
    auto r = emu.requests();
    return r["by_route"].value(route, 0);
}
}  // namespace

TEST_CASE("client: a batch upsert creates and then updates", "[emulator][client]")
{
    emulator_fixture emu;
    client_harness h(emu, emulator_token);
    auto api = h.objects();
    auto first = h.run(api.batch_upsert("contacts", contacts(0, 3)));
    CHECK(first.status == 200);
    REQUIRE(first.results.size() == 3);
    for (const auto& r : first.results) CHECK(r.created == true);
    auto second = h.run(api.batch_upsert("contacts", contacts(0, 3)));
    for (const auto& r : second.results) CHECK(r.created == false);
    CHECK(emu.state("contacts")["total"] == 3);
}

TEST_CASE("client: a 207 maps each failed input back to its trace id", "[emulator][client]")
{
    emulator_fixture emu;
    client_harness h(emu, emulator_token);
    auto inputs = contacts(0, 3);
    inputs[1].properties["lifecyclestage"] = "not-a-stage";
    inputs[2].properties["no_such_property"] = "x";
    auto result = h.run(h.objects().batch_upsert("contacts", inputs));
    CHECK(result.status == 207);
    CHECK(result.results.size() == 1);
    REQUIRE(result.errors.size() == 2);
    std::map<std::string, std::string> codes;
    for (const auto& e : result.errors) codes[e.trace_id.value_or("?")] = e.code;
    CHECK(codes["row-1"] == "INVALID_OPTION");
    CHECK(codes["row-2"] == "PROPERTY_DOESNT_EXIST");
}

TEST_CASE("client: a 409 conflict names the existing record", "[emulator][client]")
{
    emulator_fixture emu;
    auto ids = emu.seed("contacts", json::array({{{"properties", {{"email", "taken@example.com"}}}}}));
    client_harness h(emu, emulator_token);
    hubspot::batch_input in;
    in.properties = {{"email", "taken@example.com"}};
    try {
        h.run(h.objects().batch_create("contacts", {in}));
        FAIL("a duplicate create succeeded");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 409);
        CHECK(e.info().category == "CONFLICT");
        CHECK(e.info().existing_id == ids.at(0));
    }
}

TEST_CASE("client: a token without the scope gets a clear MISSING_SCOPES error", "[emulator][client]")
{
    emulator_fixture emu;
    emu.add_token("pat-contacts-only", {"crm.objects.contacts.read", "crm.objects.contacts.write"});
    client_harness h(emu, "pat-contacts-only");
    try {
        h.run(h.objects().batch_upsert("deals", {}));
        FAIL("a deals write without the deals scope succeeded");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 403);
        CHECK(e.missing_scopes());
        CHECK(std::find(e.info().required_scopes.begin(), e.info().required_scopes.end(), "crm.objects.deals.write") !=
              e.info().required_scopes.end());
    }
    hubspot::account_api account(*h.client, hubspot::api_paths("v3"));
    auto info = h.run(account.private_app_token_info("pat-contacts-only"));
    CHECK(info.hub_id == static_cast<std::int64_t>(emulator_portal_id));
    CHECK(info.scopes == std::vector<std::string>{"crm.objects.contacts.read", "crm.objects.contacts.write"});
}

TEST_CASE("client: 5xx storms are retried with back-off until they pass or attempts run out", "[emulator][client]")
{
    emulator_fixture emu;
    SECTION("a storm shorter than the attempts is invisible to the caller")
    {
        emu.config({{"faults", json::array({{{"status", 503}, {"count", 3}}, })}});
        client_harness h(emu, emulator_token);
        auto r = h.run(h.objects().batch_upsert("contacts", contacts(0, 2)));
        CHECK(r.results.size() == 2);
        CHECK(h.client->stats().retries == 3);
    }
    SECTION("423 and 477 are waited out too")
    {
        emu.config({{"faults", json::array({{{"status", 423}, {"count", 1}}, {{"status", 477}, {"count", 1}, {"retry_after", 0}}})}});
        client_harness h(emu, emulator_token);
        CHECK(h.run(h.objects().batch_upsert("contacts", contacts(0, 1))).results.size() == 1);
        CHECK(h.client->stats().retries == 2);
    }
    SECTION("a longer storm fails with HubSpot's status")
    {
        emu.config({{"faults", json::array({{{"status", 502}, {"count", 50}}})}});
        hubspot::client_settings s;
        s.retry.max_attempts = 3;
        client_harness h(emu, emulator_token, s);
        try {
            h.run(h.objects().batch_upsert("contacts", contacts(0, 1)));
            FAIL("the storm did not surface");
        } catch (const hubspot::api_error& e) {
            CHECK(e.status() == 502);
        }
        CHECK(h.client->stats().requests == 3);
    }
}

TEST_CASE("client: connection resets are retried for idempotent calls, never for a create", "[emulator][client]")
{
    emulator_fixture emu;
    SECTION("an upsert whose connection is reset is sent again")
    {
        emu.config({{"faults", json::array({{{"status", "reset"}, {"count", 2}}})}});
        client_harness h(emu, emulator_token);
        CHECK(h.run(h.objects().batch_upsert("contacts", contacts(0, 2))).results.size() == 2);
        CHECK(emu.state("contacts")["total"] == 2);
    }
    SECTION("a create whose answer is cut mid-body is not re-sent: the caller must reconcile")
    {
        emu.config({{"faults", json::array({{{"status", "reset_mid_body"}, {"count", 1}, {"process_request", true}}})}});
        client_harness h(emu, emulator_token);
        std::vector<hubspot::batch_input> inputs(1);
        inputs[0].trace_id = "t1";
        inputs[0].properties = {{"email", "once@example.com"}};
        try {
            h.run(h.objects().batch_create("contacts", inputs));
            FAIL("a lost create answer was not reported");
        } catch (const hubspot::transport_error& e) {
            CHECK(e.request_sent());
        }
        CHECK(requests_to(emu, "POST /crm/v3/objects/{objectType}/batch/create") == 1);
        CHECK(emu.state("contacts")["total"] == 1);  // it was created once, and only once
    }
}

TEST_CASE("client: 429s of every policy are waited out; DAILY stops the portal", "[emulator][client]")
{
    emulator_fixture emu;
    auto retry_after = GENERATE(false, true);
    emu.config({{"rate_limit", {{"max", 3}, {"interval_ms", 1000}, {"retry_after_seconds", retry_after ? json(1) : json(nullptr)}}}});
    SECTION("TEN_SECONDLY_ROLLING: a burst beyond the window is answered 429, waited out, and finishes")
    {
        hubspot::client_settings s;
        s.limits.window_max = 100;  // the client does not know the tier yet: 8 go out at once
        s.retry.max_attempts = 20;
        client_harness h(emu, emulator_token, s);
        auto api = h.objects();
        int done = 0;
        for (int i = 0; i < 8; ++i) {
            auto task = api.batch_upsert("contacts", contacts(i, 1));
            net::co_spawn(h.ioc, std::move(task), [&done](std::exception_ptr e, hubspot::batch_result) {
                if (!e) ++done;
            });
        }
        h.ioc.run();
        CHECK(done == 8);
        CHECK(h.client->stats().rate_limited > 0);
        CHECK(emu.state("contacts")["total"] == 8);
    }
    SECTION("SECONDLY: search beyond 5 per second is slowed down, not failed")
    {
        hubspot::client_settings s;
        s.limits.search_per_second = 50;  // force the emulator's SECONDLY 429
        s.retry.max_attempts = 20;
        client_harness h(emu, emulator_token, s);
        for (int i = 0; i < 12; ++i) h.run(h.objects().search("contacts", json::object()));
        CHECK(h.client->stats().rate_limited > 0);
    }
    SECTION("DAILY: the portal pauses and says until when")
    {
        emu.config({{"rate_limit", {{"max", 100}, {"daily", 2}}}});
        client_harness h(emu, emulator_token);
        h.run(h.objects().batch_upsert("contacts", contacts(0, 1)));
        h.run(h.objects().batch_upsert("contacts", contacts(1, 1)));
        CHECK_THROWS_AS(h.run(h.objects().batch_upsert("contacts", contacts(2, 1))), hubspot::daily_limit_reached);
        // Paused: the next call does not even reach HubSpot.
        auto before = emu.requests()["total"].get<int>();
        CHECK_THROWS_AS(h.run(h.objects().batch_upsert("contacts", contacts(3, 1))), hubspot::daily_limit_reached);
        CHECK(emu.requests()["total"].get<int>() == before);
    }
}

TEST_CASE("client: dated API paths reach the same data", "[emulator][client]")
{
    emulator_fixture emu;
    hubspot::client_settings s;
    client_harness h(emu, emulator_token, s);
    hubspot::objects_api dated(*h.client, hubspot::api_paths("2026-03"));
    h.run(dated.batch_upsert("contacts", contacts(0, 2)));
    auto read = h.run(h.objects().batch_read("contacts", std::string("email"), {"c0@example.com", "c1@example.com"}, {"firstname"}));
    CHECK(read.results.size() == 2);
    CHECK(requests_to(emu, "POST /crm/objects/2026-03/{objectType}/batch/upsert") == 1);
}
