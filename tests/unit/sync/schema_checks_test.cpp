// Syncs against a portal schema: pure checks, no HubSpot.
#include "store/syncs.hpp"
#include "sync/schema_checks.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace hubsync;
using nlohmann::json;

namespace {
// The checks read the typed configuration, parsed from the JSON the API stores.
sync::schema_findings
check(const store::sync_fields& f, const hubspot::portal_schema& schema, const std::map<std::string, std::string>& types = {})
{
    return sync::check_against_schema(sync::parse_sync_config(f.type, f.config), schema, types);
}

hubspot::property_info
prop(std::string name, bool unique = false, bool read_only = false, bool calculated = false)
{
    hubspot::property_info p;
    p.name = std::move(name);
    p.type = "string";
    p.unique = unique;
    p.read_only = read_only;
    p.calculated = calculated;
    return p;
}

hubspot::portal_schema
portal()
{
    hubspot::portal_schema s;
    hubspot::object_info contacts;
    contacts.name = "contacts";
    contacts.object_type_id = "0-1";
    contacts.singular = "Contact";
    contacts.properties = {prop("email"), prop("firstname"), prop("createdate", false, true),
                           prop("num_notes", false, false, true), prop("external_id", true)};
    auto birthday = prop("birthday");
    birthday.type = "date";
    contacts.properties.push_back(birthday);
    hubspot::object_info companies;
    companies.name = "companies";
    companies.object_type_id = "0-2";
    companies.properties = {prop("name"), prop("domain")};
    hubspot::object_info lenders;
    lenders.name = "lender";
    lenders.object_type_id = "2-100";
    lenders.fully_qualified_name = "p42_lender";
    lenders.custom = true;
    lenders.properties = {prop("code", true)};
    s.objects = {contacts, companies, lenders};
    s.associations.push_back({"0-1", "0-2", {{"HUBSPOT_DEFINED", 279, std::nullopt}, {"HUBSPOT_DEFINED", 1, "Primary"},
                                             {"USER_DEFINED", 77, "Billing contact"}}, ""});
    hubspot::event_info signup{"signed_up", "pe42_signed_up", "Signed up", "CONTACT", {{"plan", "string", "Plan"}}};
    s.events = {signup};
    return s;
}

store::sync_fields
object_sync(json config)
{
    store::sync_fields f;
    f.type = "object";
    f.config = std::move(config);
    return f;
}

std::set<std::string>
paths(const std::vector<core::error_detail>& ds)
{
    std::set<std::string> out;
    for (const auto& d : ds) out.insert(d.path);
    return out;
}
}  // namespace

TEST_CASE("schema checks: objects resolve by name, singular, type id and fully qualified name", "[schema]")
{
    auto s = portal();
    CHECK(s.object("contacts")->object_type_id == "0-1");
    CHECK(s.object("contact")->object_type_id == "0-1");
    CHECK(s.object("Contacts")->object_type_id == "0-1");
    CHECK(s.object("0-2")->name == "companies");
    CHECK(s.object("p42_lender")->name == "lender");
    CHECK(s.object("2-100")->name == "lender");
    CHECK(s.object("widgets") == nullptr);
    CHECK(s.event("signed_up") == s.event("pe42_signed_up"));
}

TEST_CASE("schema checks: a good object sync has no findings", "[schema]")
{
    auto f = check(
        object_sync({{"object", "contacts"},
                     {"mode", "upsert"},
                     {"match", {{"column", "email"}, {"property", "email"}}},
                     {"mappings", json::array({{{"column", "f"}, {"property", "firstname"}}})},
                     {"associations", json::array({{{"to_object", "companies"}, {"type", "billing contact"},
                                                    {"match", {{"column", "c"}, {"property", "name"}}}},
                                                   {{"to_object", "companies"}, {"type", 1},
                                                    {"match", {{"column", "c"}, {"property", "domain"}}}}})}}),
        portal());
    CHECK(f.problems.empty());
    CHECK(f.warnings.empty());
    CHECK_FALSE(f.unknown_names);
}

TEST_CASE("schema checks: unknown, read-only and calculated properties are problems at their paths", "[schema]")
{
    auto f = check(
        object_sync({{"object", "contacts"},
                     {"mode", "upsert"},
                     {"match", {{"column", "email"}, {"property", "emial"}}},
                     {"mappings", json::array({{{"column", "a"}, {"property", "createdate"}},
                                               {{"column", "b"}, {"property", "num_notes"}},
                                               {{"column", "c"}, {"property", "firstname"}}})}}),
        portal());
    CHECK(paths(f.problems) ==
          std::set<std::string>{"config.match.property", "config.mappings[0].property", "config.mappings[1].property"});
    CHECK(f.unknown_names);
    CHECK(f.problems[0].message.find("did you mean 'email'") != std::string::npos);
}

TEST_CASE("schema checks: read-only alone does not ask for a refresh", "[schema]")
{
    auto f = check(
        object_sync({{"object", "contacts"},
                     {"mode", "upsert"},
                     {"match", {{"column", "email"}, {"property", "email"}}},
                     {"mappings", json::array({{{"column", "a"}, {"property", "createdate"}}})}}),
        portal());
    CHECK(f.problems.size() == 1);
    CHECK_FALSE(f.unknown_names);
}

TEST_CASE("schema checks: matching a non-contact object by a non-unique property warns", "[schema]")
{
    auto sync = object_sync({{"object", "companies"},
                             {"mode", "upsert"},
                             {"match", {{"column", "d"}, {"property", "domain"}}},
                             {"mappings", json::array()}});
    auto f = check(sync, portal());
    CHECK(f.problems.empty());
    REQUIRE(f.warnings.size() == 1);
    CHECK(f.warnings[0].path == "config.match.property");
    sync.config["object"] = "p42_lender";
    sync.config["match"]["property"] = "code";
    CHECK(check(sync, portal()).warnings.empty());
    sync.config["object"] = "contacts";
    sync.config["match"]["property"] = "email";
    CHECK(check(sync, portal()).warnings.empty());
    sync.config["match"]["property"] = "firstname";  // no contact property can be unique: no warning (the seed)
    CHECK(check(sync, portal()).warnings.empty());
}

TEST_CASE("schema checks: association objects, types and labels", "[schema]")
{
    auto sync = object_sync({{"object", "contacts"},
                             {"mode", "upsert"},
                             {"match", {{"column", "email"}, {"property", "email"}}},
                             {"mappings", json::array()},
                             {"associations", json::array({{{"to_object", "companys"}, {"type", "default"},
                                                            {"match", {{"column", "c"}, {"property", "name"}}}},
                                                           {{"to_object", "companies"}, {"type", "Biling contact"},
                                                            {"match", {{"column", "c"}, {"property", "name"}}}},
                                                           {{"to_object", "companies"}, {"type", 999},
                                                            {"match", {{"column", "c"}, {"property", "name"}}}},
                                                           {{"to_object", "lender"}, {"type", "default"},
                                                            {"match", {{"column", "c"}, {"property", "code"}}}}})}});
    auto f = check(sync, portal());
    CHECK(paths(f.problems) == std::set<std::string>{"config.associations[0].to_object", "config.associations[1].type",
                                                     "config.associations[2].type", "config.associations[3].to_object"});
    for (const auto& p : f.problems)
        if (p.path == "config.associations[1].type") CHECK(p.message.find("did you mean 'Billing contact'") != std::string::npos);
}

TEST_CASE("schema checks: event syncs", "[schema]")
{
    store::sync_fields sync;
    sync.type = "event";
    sync.config = {{"event_name", "pe42_signed_up"}, {"contact", {{"column", "e"}, {"by", "email"}}}, {"mappings", json::array({{{"column", "p"}, {"property", "plan"}}})}};
    CHECK(check(sync, portal()).problems.empty());
    sync.config["mappings"][0]["property"] = "plann";
    CHECK(paths(check(sync, portal()).problems) == std::set<std::string>{"config.mappings[0].property"});
    sync.config["event_name"] = "pe42_logged_in";
    auto f = check(sync, portal());
    CHECK(paths(f.problems) == std::set<std::string>{"config.event_name"});
    CHECK(f.unknown_names);

    auto unreadable = portal();
    unreadable.events.clear();
    unreadable.events_problem = "HubSpot answered 403";
    auto g = check(sync, unreadable);
    CHECK(paths(g.problems) == std::set<std::string>{"config.event_name"});
    CHECK_FALSE(g.unknown_names);
}

TEST_CASE("schema checks: a column whose type cannot feed its property is refused", "[schema]")
{
    auto sync = object_sync({{"object", "contacts"},
                             {"mode", "upsert"},
                             {"match", {{"column", "email"}, {"property", "email"}}},
                             {"mappings", json::array({{{"column", "active"}, {"property", "birthday"}},
                                                       {{"column", "born"}, {"property", "birthday"}},
                                                       {{"column", "note"}, {"property", "birthday"}}})}});
    std::map<std::string, std::string> types{
        {"email", "text"}, {"active", "boolean"}, {"born", "date"}, {"note", "text"}};
    auto f = check(sync, portal(), types);
    REQUIRE(paths(f.problems) == std::set<std::string>{"config.mappings[0].property"});
    CHECK(f.problems[0].message.find("boolean") != std::string::npos);
    CHECK_FALSE(f.unknown_names);
}
