// lists_api against the emulator over real HTTP: create, look up, membership changes, paging, refusals, versions.
#include "hubspot/api_error.hpp"
#include "hubspot/lists_api.hpp"
#include "tests/support/client_harness.hpp"

#include <catch2/catch.hpp>

using namespace hubsync;
using namespace hubsync::test;
using nlohmann::json;

namespace {
std::vector<std::string>
seed_contacts(const emulator_fixture& emu, int n)
{
    json records = json::array();
    for (int i = 0; i < n; ++i) records.push_back({{"properties", {{"email", "l" + std::to_string(i) + "@example.com"}}}});
    return emu.seed("contacts", records);
}

hubspot::lists_api
lists(client_harness& h, const std::string& version = "v3")
{
    return hubspot::lists_api(*h.client, hubspot::api_paths(version));
}
}  // namespace

TEST_CASE("lists client: create, then find by name case-insensitively and by id", "[emulator][client][lists]")
{
    emulator_fixture emu;
    client_harness h(emu);
    auto api = lists(h);
    auto created = h.run(api.create("Synced Customers", "0-1", "MANUAL"));
    CHECK(!created.list_id.empty());
    CHECK(created.name == "Synced Customers");
    CHECK(created.object_type_id == "0-1");
    CHECK(created.processing_type == "MANUAL");
    CHECK(created.size == 0);

    auto found = h.run(api.get_by_name("0-1", "synced CUSTOMERS"));
    REQUIRE(found);
    CHECK(found->list_id == created.list_id);
    CHECK(!h.run(api.get_by_name("0-1", "Nobody")));
    CHECK(!h.run(api.get_by_name("0-2", "Synced Customers")));  // the name belongs to a contact list
    CHECK(h.run(api.get(created.list_id)).name == "Synced Customers");

    try {
        h.run(api.create("SYNCED customers", "0-1"));
        FAIL("a duplicate list name was accepted");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 400);
        CHECK(e.info().category == "VALIDATION_ERROR");
    }
    CHECK(requests_to(emu, "POST /crm/v3/lists") == 2);
}

TEST_CASE("lists client: add and remove report added, removed and missing ids", "[emulator][client][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 4);
    client_harness h(emu);
    auto api = lists(h);
    auto l = h.run(api.create("Members", "0-1"));

    auto first = h.run(api.add_and_remove(l.list_id, {c[0], c[1], "424242"}, {}));
    CHECK(first.added == std::vector<std::string>{c[0], c[1]});
    CHECK(first.removed.empty());
    CHECK(first.missing == std::vector<std::string>{"424242"});

    auto second = h.run(api.add_and_remove(l.list_id, {c[1], c[2]}, {c[0], c[3], "535353"}));
    CHECK(second.added == std::vector<std::string>{c[2]});      // c[1] was already in
    CHECK(second.removed == std::vector<std::string>{c[0]});    // c[3] never was
    CHECK(second.missing == std::vector<std::string>{"535353"});
    CHECK(h.run(api.get(l.list_id)).size == 2);
    CHECK(h.run(api.memberships(l.list_id)) == std::vector<std::string>{c[1], c[2]});

    // A repeat (a retry) changes nothing and reports nothing.
    auto again = h.run(api.add_and_remove(l.list_id, {c[1], c[2]}, {c[0], c[3], "535353"}));
    CHECK(again.added.empty());
    CHECK(again.removed.empty());
    CHECK(h.run(api.get(l.list_id)).size == 2);

    h.run(api.remove_all(l.list_id));
    CHECK(h.run(api.get(l.list_id)).size == 0);
    CHECK(h.run(api.memberships(l.list_id)).empty());
}

TEST_CASE("lists client: callers chunk by max_membership_ids_per_request, memberships page past 250",
          "[emulator][client][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 600);
    client_harness h(emu);
    auto api = lists(h);
    REQUIRE(api.max_membership_ids_per_request() == hubspot::default_max_membership_ids_per_request);
    CHECK(api.max_membership_ids_per_request() == 250);
    auto l = h.run(api.create("Big", "0-1"));

    std::vector<std::string> too_many(c.begin(), c.begin() + 251);
    CHECK_THROWS_AS(h.run(api.add_and_remove(l.list_id, too_many, {})), std::invalid_argument);
    CHECK(requests_to(emu, "PUT /crm/v3/lists/{listId}/memberships/add-and-remove") == 0);

    // Newest first, so the list's order (ascending id) differs from the order the ids were added in.
    std::vector<std::string> ids(c.rbegin(), c.rend());
    const auto step = api.max_membership_ids_per_request();
    std::size_t added = 0;
    for (std::size_t i = 0; i < ids.size(); i += step) {
        std::vector<std::string> chunk(ids.begin() + static_cast<std::ptrdiff_t>(i),
                                       ids.begin() + static_cast<std::ptrdiff_t>(std::min(i + step, ids.size())));
        added += h.run(api.add_and_remove(l.list_id, chunk, {})).added.size();
    }
    CHECK(added == 600);
    CHECK(requests_to(emu, "PUT /crm/v3/lists/{listId}/memberships/add-and-remove") == 3);

    auto members = h.run(api.memberships(l.list_id));
    CHECK(members == c);  // seeded ids ascend
    CHECK(requests_to(emu, "GET /crm/v3/lists/{listId}/memberships") == 3);  // 250 + 250 + 100
}

TEST_CASE("lists client: a DYNAMIC list refuses membership changes with an api_error", "[emulator][client][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 1);
    client_harness h(emu);
    auto api = lists(h);
    auto l = h.run(api.create("Filter driven", "0-1", "DYNAMIC"));
    CHECK(l.processing_type == "DYNAMIC");
    try {
        h.run(api.add_and_remove(l.list_id, {c[0]}, {}));
        FAIL("a DYNAMIC list took a manual change");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 400);
        CHECK(e.info().category == "VALIDATION_ERROR");
        CHECK(e.info().message.find("DYNAMIC") != std::string::npos);
    }
    CHECK_THROWS_AS(h.run(api.remove_all(l.list_id)), hubspot::api_error);
    CHECK(h.run(api.memberships(l.list_id)).empty());
}

TEST_CASE("lists client: a deleted list is gone, and deleting it again is not an error", "[emulator][client][lists]")
{
    emulator_fixture emu;
    client_harness h(emu);
    auto api = lists(h);
    auto l = h.run(api.create("Short lived", "contacts"));
    h.run(api.remove(l.list_id));
    try {
        h.run(api.get(l.list_id));
        FAIL("a deleted list was found");
    } catch (const hubspot::api_error& e) {
        CHECK(e.status() == 404);
    }
    CHECK(!h.run(api.get_by_name("0-1", "Short lived")));
    h.run(api.remove(l.list_id));
    CHECK(requests_to(emu, "DELETE /crm/v3/lists/{listId}") == 2);
}

TEST_CASE("lists client: the dated API version uses /crm/lists/YYYY-MM", "[emulator][client][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 2);
    client_harness h(emu);
    auto dated = lists(h, "2026-03");
    auto l = h.run(dated.create("Dated", "0-1"));
    CHECK(h.run(dated.add_and_remove(l.list_id, {c[0], c[1]}, {})).added.size() == 2);
    CHECK(h.run(dated.get_by_name("0-1", "dated")));
    CHECK(h.run(dated.memberships(l.list_id)) == c);
    CHECK(h.run(lists(h).get(l.list_id)).size == 2);  // the same list through the v3 paths
    CHECK(requests_to(emu, "POST /crm/lists/2026-03") == 1);
    CHECK(requests_to(emu, "PUT /crm/lists/2026-03/{listId}/memberships/add-and-remove") == 1);
    CHECK(requests_to(emu, "GET /crm/lists/2026-03/object-type-id/{objectTypeId}/name/{listName}") == 1);
    CHECK(requests_to(emu, "GET /crm/lists/2026-03/{listId}/memberships") == 1);
}
