// Lists v3: create, read by id and name, search, soft delete, memberships and their paging, the DYNAMIC refusal,
// the membership id cap, scopes, the dated family and the sunset v1 API (hubspot-api.md §4, §8.16).
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::test;
using nlohmann::json;

namespace {
json
create(const emulator_fixture& emu, const std::string& name, const std::string& processing = "MANUAL",
       const std::string& type = "0-1", const std::string& base = "/crm/v3/lists")
{
    auto r = emu.hs("POST", base, json{{"name", name}, {"objectTypeId", type}, {"processingType", processing}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    return r.json()["list"];
}

std::vector<std::string>
seed_contacts(const emulator_fixture& emu, int n)
{
    json records = json::array();
    for (int i = 0; i < n; ++i)
        records.push_back({{"properties", {{"email", "m" + std::to_string(i) + "@x.com"}}}});
    return emu.seed("contacts", records);
}

std::string
list_path(const json& list, const std::string& rest = {})
{
    return "/crm/v3/lists/" + list["listId"].get<std::string>() + rest;
}

json
ids(std::initializer_list<std::string> l)
{
    return json(std::vector<std::string>(l));
}
}  // namespace

TEST_CASE("lists: create MANUAL, SNAPSHOT and DYNAMIC lists", "[emulator][lists]")
{
    emulator_fixture emu;
    auto manual = create(emu, "Customers");
    CHECK(manual["listId"].is_string());
    CHECK(manual["name"] == "Customers");
    CHECK(manual["objectTypeId"] == "0-1");
    CHECK(manual["processingType"] == "MANUAL");
    CHECK(manual["processingStatus"] == "COMPLETE");
    CHECK(manual["size"] == 0);
    CHECK(manual["listVersion"] == 1);
    CHECK(manual.contains("createdAt"));
    CHECK(manual.contains("updatedAt"));
    CHECK(!manual.contains("deletedAt"));
    auto snapshot = create(emu, "Snap", "SNAPSHOT", "companies");
    CHECK(snapshot["objectTypeId"] == "0-2");  // object names resolve to the type id
    auto dynamic = create(emu, "Dyn", "DYNAMIC");
    CHECK(dynamic["processingType"] == "DYNAMIC");
    CHECK(manual["listId"] != snapshot["listId"]);

    SECTION("bad input is 400")
    {
        for (const auto& bad : {json{{"objectTypeId", "0-1"}, {"processingType", "MANUAL"}},
                                json{{"name", "x"}, {"objectTypeId", "0-1"}, {"processingType", "MAGIC"}},
                                json{{"name", "x"}, {"processingType", "MANUAL"}},
                                json{{"name", "x"}, {"objectTypeId", "nope"}, {"processingType", "MANUAL"}}}) {
            auto r = emu.hs("POST", "/crm/v3/lists", bad);
            INFO(bad.dump() << " -> " << r.body);
            CHECK(r.status == 400);
            CHECK(r.json()["category"] == "VALIDATION_ERROR");
        }
    }
    SECTION("filters are stored and shown with includeFilters=true")
    {
        json branch = {{"filterBranchType", "OR"}, {"filters", json::array()}, {"filterBranches", json::array()}};
        auto r = emu.hs("POST", "/crm/v3/lists/",
                        json{{"name", "Filtered"}, {"objectTypeId", "0-1"}, {"processingType", "DYNAMIC"},
                             {"filterBranch", branch}});
        REQUIRE(r.status == 200);
        auto path = list_path(r.json()["list"]);
        CHECK(!emu.hs("GET", path).json()["list"].contains("filterBranch"));
        CHECK(emu.hs("GET", path + "?includeFilters=true").json()["list"]["filterBranch"] == branch);
    }
}

TEST_CASE("lists: names are unique per portal, case-insensitively", "[emulator][lists]")
{
    emulator_fixture emu;
    auto first = create(emu, "VIP Customers");
    for (const auto& [name, type] : {std::pair{"vip customers", "0-1"}, std::pair{"VIP CUSTOMERS", "0-2"}}) {
        auto r = emu.hs("POST", "/crm/v3/lists", json{{"name", name}, {"objectTypeId", type}, {"processingType", "MANUAL"}});
        INFO(r.body);
        REQUIRE(r.status == 400);
        auto j = r.json();
        CHECK(j["category"] == "VALIDATION_ERROR");
        CHECK(j["context"]["listId"] == json::array({first["listId"]}));
        CHECK(j["message"].get<std::string>().find("already exists") != std::string::npos);
    }
    // A deleted list frees its name.
    REQUIRE(emu.hs("DELETE", list_path(first)).status == 204);
    auto again = create(emu, "vip customers");
    CHECK(again["listId"] != first["listId"]);
}

TEST_CASE("lists: get by id and by name (case-insensitive), 404 when absent", "[emulator][lists]")
{
    emulator_fixture emu;
    auto l = create(emu, "Newsletter Readers");
    auto by_id = emu.hs("GET", list_path(l));
    REQUIRE(by_id.status == 200);
    CHECK(by_id.json()["list"]["name"] == "Newsletter Readers");

    auto by_name = emu.hs("GET", "/crm/v3/lists/object-type-id/0-1/name/newsletter%20READERS");
    INFO(by_name.body);
    REQUIRE(by_name.status == 200);
    CHECK(by_name.json()["list"]["listId"] == l["listId"]);
    CHECK(emu.hs("GET", "/crm/v3/lists/object-type-id/contacts/name/Newsletter%20Readers").status == 200);

    auto absent = emu.hs("GET", "/crm/v3/lists/object-type-id/0-1/name/Nobody");
    CHECK(absent.status == 404);
    CHECK(absent.json()["category"] == "OBJECT_NOT_FOUND");
    // The name exists, but for another object type.
    CHECK(emu.hs("GET", "/crm/v3/lists/object-type-id/0-2/name/Newsletter%20Readers").status == 404);
    CHECK(emu.hs("GET", "/crm/v3/lists/object-type-id/nope/name/x").status == 400);
    CHECK(emu.hs("GET", "/crm/v3/lists/999999").status == 404);
    CHECK(emu.hs("GET", "/crm/v3/lists/abc").status == 404);
}

TEST_CASE("lists: search by name substring with count and offset, and fetch several by id", "[emulator][lists]")
{
    emulator_fixture emu;
    std::vector<json> made;
    for (int i = 0; i < 5; ++i) made.push_back(create(emu, "Region " + std::to_string(i)));
    create(emu, "Other", "DYNAMIC");

    auto r = emu.hs("POST", "/crm/v3/lists/search", json{{"query", "REGION"}, {"count", 2}, {"offset", 0}});
    REQUIRE(r.status == 200);
    auto j = r.json();
    CHECK(j["total"] == 5);
    CHECK(j["hasMore"] == true);
    CHECK(j["offset"] == 2);
    REQUIRE(j["lists"].size() == 2);
    CHECK(j["lists"][0]["name"] == "Region 0");

    auto last = emu.hs("POST", "/crm/v3/lists/search", json{{"query", "region"}, {"count", 2}, {"offset", 4}}).json();
    CHECK(last["hasMore"] == false);
    CHECK(last["lists"].size() == 1);

    auto all = emu.hs("POST", "/crm/v3/lists/search", json::object()).json();
    CHECK(all["total"] == 6);
    auto dynamic = emu.hs("POST", "/crm/v3/lists/search", json{{"processingTypes", {"DYNAMIC"}}}).json();
    REQUIRE(dynamic["lists"].size() == 1);
    CHECK(dynamic["lists"][0]["name"] == "Other");
    // count above 500 is capped, not refused.
    CHECK(emu.hs("POST", "/crm/v3/lists/search", json{{"count", 10000}}).status == 200);

    auto several = emu.hs("GET", "/crm/v3/lists?listIds=" + made[1]["listId"].get<std::string>() + "," +
                                     made[3]["listId"].get<std::string>() + ",424242");
    REQUIRE(several.status == 200);
    auto lists = several.json()["lists"];
    REQUIRE(lists.size() == 2);
    CHECK(lists[0]["name"] == "Region 1");
    CHECK(lists[1]["name"] == "Region 3");
}

TEST_CASE("lists: DELETE is a soft delete answered 204", "[emulator][lists]")
{
    emulator_fixture emu;
    auto l = create(emu, "Temp");
    auto del = emu.hs("DELETE", list_path(l));
    CHECK(del.status == 204);
    CHECK(del.body.empty());
    CHECK(emu.hs("GET", list_path(l)).status == 404);
    CHECK(emu.hs("GET", list_path(l, "/memberships")).status == 404);
    CHECK(emu.hs("PUT", list_path(l, "/memberships/add"), ids({"1"})).status == 404);
    CHECK(emu.hs("DELETE", list_path(l)).status == 404);
    CHECK(emu.hs("GET", "/crm/v3/lists/object-type-id/0-1/name/Temp").status == 404);
    CHECK(emu.hs("POST", "/crm/v3/lists/search", json::object()).json()["total"] == 0);
}

TEST_CASE("lists: add, remove and add-and-remove report added, removed and missing ids", "[emulator][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 4);
    auto company = emu.seed("companies", json::array({{{"properties", {{"name", "Acme"}}}}}));
    auto l = create(emu, "Members");

    auto add = emu.hs("PUT", list_path(l, "/memberships/add"), ids({c[0], c[1], "999999", c[0], company[0]}));
    INFO(add.body);
    REQUIRE(add.status == 200);
    auto a = add.json();
    CHECK(a["recordsIdsAdded"] == ids({c[0], c[1]}));
    CHECK(a["recordIdsRemoved"] == json::array());
    // A company id is not a contact: missing for a contact list.
    CHECK(a["recordIdsMissing"] == ids({"999999", company[0]}));
    CHECK(emu.hs("GET", list_path(l)).json()["list"]["size"] == 2);

    // Already members are ignored.
    auto again = emu.hs("PUT", list_path(l, "/memberships/add"), ids({c[0], c[2]})).json();
    CHECK(again["recordsIdsAdded"] == ids({c[2]}));
    CHECK(again["recordIdsMissing"] == json::array());

    // Non-members are ignored; unknown ids are missing.
    auto remove = emu.hs("PUT", list_path(l, "/memberships/remove"), ids({c[1], c[3], "888888"})).json();
    CHECK(remove["recordsIdsAdded"] == json::array());
    CHECK(remove["recordIdsRemoved"] == ids({c[1]}));
    CHECK(remove["recordIdsMissing"] == ids({"888888"}));
    CHECK(emu.hs("GET", list_path(l)).json()["list"]["size"] == 2);

    auto both = emu.hs("PUT", list_path(l, "/memberships/add-and-remove"),
                       json{{"recordIdsToAdd", {c[1], c[3], "777777"}}, {"recordIdsToRemove", {c[0], c[2]}}});
    REQUIRE(both.status == 200);
    auto b = both.json();
    CHECK(b["recordsIdsAdded"] == ids({c[1], c[3]}));
    CHECK(b["recordIdsRemoved"] == ids({c[0], c[2]}));
    CHECK(b["recordIdsMissing"] == ids({"777777"}));
    CHECK(emu.hs("GET", list_path(l)).json()["list"]["size"] == 2);

    // An id in both lists ends up a member (it is only added).
    auto overlap = emu.hs("PUT", list_path(l, "/memberships/add-and-remove"),
                          json{{"recordIdsToAdd", {c[0]}}, {"recordIdsToRemove", {c[0], c[1]}}})
                       .json();
    CHECK(overlap["recordsIdsAdded"] == ids({c[0]}));
    CHECK(overlap["recordIdsRemoved"] == ids({c[1]}));

    auto members = emu.hs("GET", list_path(l, "/memberships")).json();
    CHECK(members["total"] == 2);
    REQUIRE(members["results"].size() == 2);
    CHECK(members["results"][0]["recordId"] == c[0]);
    CHECK(members["results"][1]["recordId"] == c[3]);
    CHECK(members["results"][0].contains("membershipTimestamp"));
    CHECK(!members.contains("paging"));

    CHECK(emu.hs("PUT", list_path(l, "/memberships/add"), json{{"ids", "x"}}).status == 400);
    CHECK(emu.hs("PUT", list_path(l, "/memberships/add"), std::string("[1, {}]")).status == 400);
}

TEST_CASE("lists: a SNAPSHOT list takes manual changes, a DYNAMIC one refuses them with 400", "[emulator][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 2);
    auto snap = create(emu, "Snap", "SNAPSHOT");
    CHECK(emu.hs("PUT", list_path(snap, "/memberships/add"), ids({c[0]})).json()["recordsIdsAdded"] == ids({c[0]}));

    auto dyn = create(emu, "Dyn", "DYNAMIC");
    for (const auto& [method, rest, body] :
         {std::tuple{"PUT", "/memberships/add", ids({c[0]})}, std::tuple{"PUT", "/memberships/remove", ids({c[0]})},
          std::tuple{"PUT", "/memberships/add-and-remove", json{{"recordIdsToAdd", {c[0]}}}},
          std::tuple{"DELETE", "/memberships", json(nullptr)}}) {
        auto r = emu.hs(method, list_path(dyn, rest), body.is_null() ? std::string{} : body.dump());
        INFO(method << " " << rest << " -> " << r.body);
        CHECK(r.status == 400);
        CHECK(r.json()["category"] == "VALIDATION_ERROR");
        CHECK(r.json()["message"].get<std::string>().find("DYNAMIC") != std::string::npos);
    }
    auto members = emu.hs("GET", list_path(dyn, "/memberships"));
    REQUIRE(members.status == 200);
    CHECK(members.json()["total"] == 0);
}

TEST_CASE("lists: memberships page in ascending record id, 100 by default, at most 250", "[emulator][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 600);
    auto l = create(emu, "Big");
    // Added in reverse order: paging still walks record ids upwards.
    json reversed(std::vector<std::string>(c.rbegin(), c.rend()));
    auto add = emu.hs("PUT", list_path(l, "/memberships/add"), reversed);
    REQUIRE(add.status == 200);
    CHECK(add.json()["recordsIdsAdded"].size() == 600);
    CHECK(emu.hs("GET", list_path(l)).json()["list"]["size"] == 600);

    auto first = emu.hs("GET", list_path(l, "/memberships")).json();
    CHECK(first["total"] == 600);
    CHECK(first["results"].size() == 100);

    std::vector<std::string> seen;
    std::string after;
    int pages = 0;
    for (;;) {
        auto page = emu.hs("GET", list_path(l, "/memberships?limit=1000" + (after.empty() ? "" : "&after=" + after)));
        REQUIRE(page.status == 200);
        auto j = page.json();
        CHECK(j["results"].size() <= 250);
        for (const auto& m : j["results"]) seen.push_back(m["recordId"]);
        ++pages;
        if (!j.contains("paging")) break;
        after = j["paging"]["next"]["after"];
    }
    CHECK(pages == 3);
    CHECK(seen == c);  // seeded ids ascend

    auto before = emu.hs("GET", list_path(l, "/memberships?limit=2&before=" + c[10])).json();
    REQUIRE(before["results"].size() == 2);
    CHECK(before["results"][0]["recordId"] == c[8]);
    CHECK(before["results"][1]["recordId"] == c[9]);
    CHECK(before["paging"]["prev"]["before"] == c[8]);
    CHECK(emu.hs("GET", list_path(l, "/memberships?after=zz")).status == 400);

    SECTION("DELETE memberships removes every member")
    {
        auto del = emu.hs("DELETE", list_path(l, "/memberships"));
        CHECK(del.status == 204);
        CHECK(emu.hs("GET", list_path(l)).json()["list"]["size"] == 0);
        CHECK(emu.hs("GET", list_path(l, "/memberships")).json()["results"].empty());
    }
}

TEST_CASE("lists: one membership request carries at most lists.max_membership_ids ids", "[emulator][lists]")
{
    emulator_fixture emu;
    CHECK(emu.admin("GET", "/config")["lists"]["max_membership_ids"] == 100000);
    auto c = seed_contacts(emu, 4);
    auto l = create(emu, "Capped");
    emu.config({{"lists", {{"max_membership_ids", 3}}}});
    auto over = emu.hs("PUT", list_path(l, "/memberships/add"), ids({c[0], c[1], c[2], c[3]}));
    CHECK(over.status == 400);
    CHECK(over.json()["category"] == "VALIDATION_ERROR");
    CHECK(emu.hs("PUT", list_path(l, "/memberships/add-and-remove"),
                 json{{"recordIdsToAdd", {c[0], c[1]}}, {"recordIdsToRemove", {c[2], c[3]}}})
              .status == 400);
    CHECK(emu.hs("GET", list_path(l)).json()["list"]["size"] == 0);
    CHECK(emu.hs("PUT", list_path(l, "/memberships/add"), ids({c[0], c[1], c[2]})).status == 200);
    auto bad = http_request(emu.port(), "POST", "/__emulator/config", json{{"lists", {{"max_membership_ids", 0}}}}.dump());
    CHECK(bad.status == 400);
}

TEST_CASE("lists: scopes crm.lists.read and crm.lists.write", "[emulator][lists]")
{
    emulator_fixture emu;
    auto l = create(emu, "Scoped");
    emu.add_token("pat-lists-read", {"crm.lists.read"});
    emu.add_token("pat-lists-write-only", {"crm.lists.write"});
    emu.add_token("pat-contacts", {"crm.objects.contacts.read"});
    CHECK(emu.hs("GET", list_path(l), std::string{}, "pat-lists-read").status == 200);
    auto denied = emu.hs("GET", list_path(l), std::string{}, "pat-contacts");
    CHECK(denied.status == 403);
    CHECK(denied.json()["category"] == "MISSING_SCOPES");
    auto body = json{{"name", "New"}, {"objectTypeId", "0-1"}, {"processingType", "MANUAL"}};
    CHECK(emu.hs("POST", "/crm/v3/lists", body, "pat-lists-read").status == 403);
    // Writing needs read and write together.
    CHECK(emu.hs("POST", "/crm/v3/lists", body, "pat-lists-write-only").status == 403);
    CHECK(emu.hs("PUT", list_path(l, "/memberships/add"), ids({}), "pat-lists-read").status == 403);
    emu.add_token("pat-lists-rw", {"crm.lists.read", "crm.lists.write"});
    CHECK(emu.hs("POST", "/crm/v3/lists", body, "pat-lists-rw").status == 200);
}

TEST_CASE("lists: the dated family /crm/lists/2026-03 serves the same lists", "[emulator][lists]")
{
    emulator_fixture emu;
    auto c = seed_contacts(emu, 1);
    auto l = create(emu, "Dated", "MANUAL", "0-1", "/crm/lists/2026-03");
    const std::string base = "/crm/lists/2026-03/" + l["listId"].get<std::string>();
    CHECK(emu.hs("PUT", base + "/memberships/add", ids({c[0]})).status == 200);
    CHECK(emu.hs("GET", list_path(l)).json()["list"]["size"] == 1);
    CHECK(emu.hs("GET", "/crm/lists/2026-03/object-type-id/0-1/name/dated").status == 200);
    CHECK(emu.hs("GET", base + "/memberships").json()["total"] == 1);
    CHECK(emu.hs("POST", "/crm/lists/2026-03/search", json{{"query", "Dat"}}).json()["total"] == 1);
}

TEST_CASE("lists: the sunset v1 contact lists API answers 404", "[emulator][lists]")
{
    emulator_fixture emu;
    for (const auto& [method, path] : {std::pair{"GET", "/contacts/v1/lists"}, std::pair{"GET", "/contacts/v1/lists/12"},
                                       std::pair{"POST", "/contacts/v1/lists/12/add"},
                                       std::pair{"GET", "/contacts/v1/lists/all/contacts/all"},
                                       std::pair{"DELETE", "/contacts/v1/lists/12"}}) {
        auto r = emu.hs(method, path, std::string{});
        INFO(method << " " << path);
        CHECK(r.status == 404);
        CHECK(r.json()["category"] == "OBJECT_NOT_FOUND");
    }
}

TEST_CASE("lists: reset forgets every list", "[emulator][lists]")
{
    emulator_fixture emu;
    auto l = create(emu, "Gone after reset");
    emu.admin("POST", "/reset");
    CHECK(emu.hs("GET", list_path(l)).status == 404);
    auto again = create(emu, "Gone after reset");
    CHECK(again["listId"] == l["listId"]);  // ids start over
}
