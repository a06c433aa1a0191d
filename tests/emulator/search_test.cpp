// CRM search (hubspot-api.md §2.4, §8.12).
#include "tests/support/emulator_fixture.hpp"
#include "tests/emulator/test_helpers.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <thread>

using namespace hubsync::test;
using nlohmann::json;

namespace {
json
filter(const std::string& prop, const std::string& op, json value = nullptr)
{
    json f{{"propertyName", prop}, {"operator", op}};
    if (!value.is_null()) f["value"] = value;
    return f;
}

std::set<std::string>
names_found(const emulator_fixture& emu, const std::string& type, json groups, const std::string& prop = "dealname")
{
    auto r = emu.hs("POST", "/crm/v3/objects/" + type + "/search",
                    json{{"filterGroups", groups}, {"properties", {prop}}, {"limit", 100}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    const auto body = r.json();
    std::set<std::string> out;
    for (const auto& rec : body["results"]) out.insert(rec["properties"].value(prop, std::string{"<none>"}));
    CHECK(body["total"] == out.size());
    return out;
}

json
group(std::initializer_list<json> filters)
{
    return {{"filters", json(filters)}};
}

void
seed_deals(const emulator_fixture& emu)
{
    emu.seed(
        "deals",
        json::array({
            {{"properties",
              {{"dealname", "alpha"}, {"amount", "100"}, {"dealstage", "closedwon"}, {"closedate", "2024-01-10"}}}},
            {{"properties", {{"dealname", "beta"}, {"amount", "250.5"}, {"dealstage", "closedlost"}}}},
            {{"properties",
              {{"dealname", "gamma ray"},
               {"amount", "1000"},
               {"dealstage", "closedwon"},
               {"closedate", "2024-06-01"}}}},
            {{"properties", {{"dealname", "Delta"}}}},
        }));
}
}  // namespace

TEST_CASE("search operators: comparison, ranges, sets, presence and tokens", "[emulator][search]")
{
    emulator_fixture emu;
    emu.config({{"search", {{"per_second", 1000}}}});  // many searches in a row; the bucket has its own test
    seed_deals(emu);
    using S = std::set<std::string>;
    CHECK(names_found(emu, "deals", {group({filter("dealname", "EQ", "ALPHA")})}) == S{"alpha"});
    CHECK(names_found(emu, "deals", {group({filter("dealstage", "NEQ", "closedwon")})}) == S{"beta", "Delta"});
    CHECK(names_found(emu, "deals", {group({filter("amount", "LT", "250.5")})}) == S{"alpha"});
    CHECK(names_found(emu, "deals", {group({filter("amount", "LTE", "250.5")})}) == S{"alpha", "beta"});
    CHECK(names_found(emu, "deals", {group({filter("amount", "GT", 250.5)})}) == S{"gamma ray"});
    CHECK(names_found(emu, "deals", {group({filter("amount", "GTE", "100")})}) == S{"alpha", "beta", "gamma ray"});
    auto between = filter("amount", "BETWEEN", "100");
    between["highValue"] = "300";
    CHECK(names_found(emu, "deals", {group({between})}) == S{"alpha", "beta"});
    auto dates = filter("closedate", "BETWEEN", "2024-01-01");
    dates["highValue"] = "1706745600000";  // 2024-02-01
    CHECK(names_found(emu, "deals", {group({dates})}) == S{"alpha"});
    auto in = filter("dealname", "IN");
    in["values"] = {"alpha", "delta"};
    CHECK(names_found(emu, "deals", {group({in})}) == S{"alpha", "Delta"});
    // IN values must be lower-case: an upper-case value matches nothing.
    auto upper = filter("dealname", "IN");
    upper["values"] = {"ALPHA"};
    CHECK(names_found(emu, "deals", {group({upper})}).empty());
    auto not_in = filter("dealname", "NOT_IN");
    not_in["values"] = {"alpha", "beta"};
    CHECK(names_found(emu, "deals", {group({not_in})}) == S{"gamma ray", "Delta"});
    CHECK(names_found(emu, "deals", {group({filter("closedate", "HAS_PROPERTY")})}) == S{"alpha", "gamma ray"});
    CHECK(names_found(emu, "deals", {group({filter("amount", "NOT_HAS_PROPERTY")})}) == S{"Delta"});
    CHECK(names_found(emu, "deals", {group({filter("dealname", "CONTAINS_TOKEN", "ray")})}) == S{"gamma ray"});
    CHECK(names_found(emu, "deals", {group({filter("dealname", "CONTAINS_TOKEN", "*ta")})}) == S{"beta", "Delta"});
    CHECK(names_found(emu, "deals", {group({filter("dealname", "NOT_CONTAINS_TOKEN", "*a")})}).empty());
    // AND inside a group, OR across groups.
    CHECK(names_found(emu, "deals", {group({filter("dealstage", "EQ", "closedwon"), filter("amount", "GT", "500")})}) ==
          S{"gamma ray"});
    CHECK(names_found(emu, "deals",
                      {group({filter("dealname", "EQ", "alpha")}), group({filter("dealname", "EQ", "beta")})}) ==
          S{"alpha", "beta"});

    emu.seed("contacts", json::array({{{"properties", {{"email", "ann@example.com"}}}},
                                      {{"properties", {{"email", "bob@other.org"}}}}}));
    CHECK(names_found(emu, "contacts", {group({filter("email", "CONTAINS_TOKEN", "*@example.com")})}, "email") ==
          S{"ann@example.com"});
}

TEST_CASE("search sorts, pages with after, returns the requested properties", "[emulator][search]")
{
    emulator_fixture emu;
    emu.config({{"search", {{"per_second", 1000}}}});  // many searches in a row; the bucket has its own test
    json records = json::array();
    for (int i = 0; i < 25; ++i)
        records.push_back({{"properties", {{"dealname", "d" + std::to_string(i)}, {"amount", std::to_string(i * 10)},
                                           {"dealstage", "closedwon"}, {"description", "x"}}}});
    emu.seed("deals", records);
    json body{{"sorts", {{{"propertyName", "amount"}, {"direction", "DESCENDING"}}}}, {"properties", {"amount"}}};
    auto first = emu.hs("POST", "/crm/v3/objects/deals/search", body).json();
    CHECK(first["total"] == 25);
    REQUIRE(first["results"].size() == 10);  // default limit
    CHECK(first["results"][0]["properties"]["amount"] == "240");
    CHECK(first["results"][0]["properties"].contains("hs_object_id"));
    CHECK(!first["results"][0]["properties"].contains("dealname"));
    CHECK(first["paging"]["next"]["after"] == "10");
    body["after"] = "20";
    auto last = emu.hs("POST", "/crm/v3/objects/deals/search", body).json();
    CHECK(last["results"].size() == 5);
    CHECK(!last.contains("paging"));
    CHECK(last["results"][4]["properties"]["amount"] == "0");
    // "-prop" string sorts, as some clients send them.
    auto asc = emu.hs("POST", "/crm/v3/objects/deals/search", json{{"sorts", {"-amount"}}, {"limit", 1}}).json();
    CHECK(asc["results"][0]["properties"]["amount"] == "240");
    // Default properties of deals when none are named.
    auto dflt = emu.hs("POST", "/crm/v3/objects/deals/search", json{{"limit", 1}}).json();
    CHECK(dflt["results"][0]["properties"].contains("dealname"));
    CHECK(!dflt["results"][0]["properties"].contains("description"));
}

TEST_CASE("search limits: groups, filters, page size and the 10,000 cap", "[emulator][search]")
{
    emulator_fixture emu;
    emu.config({{"search", {{"per_second", 1000}}}});  // many searches in a row; the bucket has its own test
    auto groups = [](int n, int per) {
        json gs = json::array();
        for (int g = 0; g < n; ++g) {
            json fs = json::array();
            for (int f = 0; f < per; ++f) fs.push_back(filter("dealname", "HAS_PROPERTY"));
            gs.push_back({{"filters", fs}});
        }
        return gs;
    };
    auto search = [&](json body) { return emu.hs("POST", "/crm/v3/objects/deals/search", body); };
    CHECK(search({{"filterGroups", groups(5, 3)}}).status == 200);
    CHECK(search({{"filterGroups", groups(6, 1)}}).status == 400);
    CHECK(search({{"filterGroups", groups(1, 6)}}).status == 200);
    CHECK(search({{"filterGroups", groups(1, 7)}}).status == 400);
    auto nineteen = groups(3, 6);
    nineteen.push_back({{"filters", {filter("dealname", "HAS_PROPERTY")}}});
    auto r19 = search({{"filterGroups", nineteen}});
    CHECK(r19.status == 400);
    CHECK(r19.json()["category"] == "VALIDATION_ERROR");
    CHECK(search({{"limit", 200}}).status == 200);
    CHECK(search({{"limit", 201}}).status == 400);
    CHECK(search({{"after", "9990"}}).status == 200);
    CHECK(search({{"after", "10000"}}).status == 400);
    CHECK(search({{"filterGroups", {group({filter("nosuchprop", "EQ", "1")})}}}).status == 400);
    CHECK(search({{"filterGroups", {group({filter("dealname", "LIKE", "1")})}}}).status == 400);
}

TEST_CASE("search lags behind writes by the configured index lag", "[emulator][search]")
{
    emulator_fixture emu;
    auto seeded =
        emu.seed("contacts", json::array({{{"properties", {{"email", "seeded@x.com"}, {"firstname", "S0"}}}}}));
    emu.config({{"search", {{"lag_ms", 500}, {"per_second", 1000}}}});
    // A record indexed before the lag was switched on stays visible, in its old version, while an update lags.
    REQUIRE(
        emu.hs("PATCH", "/crm/v3/objects/contacts/" + seeded[0], json{{"properties", {{"firstname", "S1"}}}}).status ==
        200);
    const json seeded_query{{"filterGroups", {group({filter("email", "EQ", "seeded@x.com")})}},
                            {"properties", {"firstname"}}};
    auto stale = emu.hs("POST", "/crm/v3/objects/contacts/search", seeded_query).json();
    REQUIRE(stale["total"] == 1);
    CHECK(stale["results"][0]["properties"]["firstname"] == "S0");
    auto created = emu.hs("POST", "/crm/v3/objects/contacts",
                          json{{"properties", {{"email", "lag@x.com"}, {"firstname", "Old"}}}});
    REQUIRE(created.status == 201);
    const json body{{"filterGroups", {group({filter("email", "EQ", "lag@x.com")})}}, {"properties", {"firstname"}}};
    auto now = emu.hs("POST", "/crm/v3/objects/contacts/search", body).json();
    CHECK(now["total"] == 0);  // not indexed yet
    // Direct reads see it at once.
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts/" + created.json()["id"].get<std::string>()).status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(650));
    auto later = emu.hs("POST", "/crm/v3/objects/contacts/search", body).json();
    REQUIRE(later["total"] == 1);
    CHECK(later["results"][0]["properties"]["firstname"] == "Old");

    // An update is seen through the old version until the lag has passed.
    emu.hs("PATCH", "/crm/v3/objects/contacts/" + created.json()["id"].get<std::string>(),
           json{{"properties", {{"firstname", "New"}}}});
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/search", body).json()["results"][0]["properties"]["firstname"] ==
          "Old");
    std::this_thread::sleep_for(std::chrono::milliseconds(650));
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/search", body).json()["results"][0]["properties"]["firstname"] ==
          "New");
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/search", seeded_query)
              .json()["results"][0]["properties"]["firstname"] == "S1");
}

TEST_CASE("search has no rate-limit headers and its own per-second bucket (SECONDLY 429)", "[emulator][search]")
{
    emulator_fixture emu;
    emu.config({{"search", {{"per_second", 2}}}});
    auto a = emu.hs("POST", "/crm/v3/objects/contacts/search", json::object());
    auto b = emu.hs("POST", "/crm/v3/objects/contacts/search", json::object());
    auto c = emu.hs("POST", "/crm/v3/objects/contacts/search", json::object());
    CHECK(a.status == 200);
    CHECK(a.header("x-hubspot-ratelimit-max").empty());
    CHECK(a.header("x-hubspot-ratelimit-remaining").empty());
    CHECK(a.header("x-hubspot-ratelimit-daily").empty());
    CHECK(!a.header("x-hubspot-correlation-id").empty());
    CHECK(b.status == 200);
    REQUIRE(c.status == 429);
    auto j = c.json();
    CHECK(j["status"] == "error");
    CHECK(j["message"] == "You have reached your secondly limit.");
    CHECK(j["errorType"] == "RATE_LIMIT");
    CHECK(j["policyName"] == "SECONDLY");
    CHECK(j["correlationId"] == c.header("x-hubspot-correlation-id"));
    CHECK(c.header("x-hubspot-ratelimit-max").empty());
    CHECK(c.header("retry-after").empty());
    // Other endpoints are not affected by the search bucket.
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
    std::this_thread::sleep_for(std::chrono::milliseconds(1100));
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/search", json::object()).status == 200);
}
