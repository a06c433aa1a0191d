// Associations v4: batch create with label replacement, default associations, both directions, read paging,
// archive, labels, limits, aliases and the dated family, custom objects and scopes (hubspot-api.md §3, §8.15).
#include "tests/support/emulator_fixture.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <utility>

using namespace hubsync::test;
using nlohmann::json;

namespace {
const std::string v4 = "/crm/v4/associations/";

json
type(const std::string& category, int id)
{
    return {{"associationCategory", category}, {"associationTypeId", id}};
}

json
pair_input(const std::string& from, const std::string& to, json types = json::array())
{
    return {{"from", {{"id", from}}}, {"to", {{"id", to}}}, {"types", std::move(types)}};
}

json
inputs(json list)
{
    return {{"inputs", std::move(list)}};
}

using type_ids = std::set<std::pair<std::string, int>>;  // (category, typeId)

// The types between two records as the control API stores them.
type_ids
stored(const emulator_fixture& emu, const std::string& from, const std::string& to, const std::string& from_id,
       const std::string& to_id)
{
    type_ids out;
    const auto state = emu.admin("GET", "/associations/" + from + "/" + to);
    for (const auto& p : state["results"])
        if (p["fromId"] == from_id && p["toId"] == to_id)
            for (const auto& t : p["types"]) out.insert({t["category"].get<std::string>(), t["typeId"].get<int>()});
    return out;
}

const type_ids contact_company_unlabeled{{"HUBSPOT_DEFINED", 279}};
const type_ids company_contact_unlabeled{{"HUBSPOT_DEFINED", 280}};

// A contact and two companies; ids in that order.
struct people {
    std::string contact, company_a, company_b;
};

people
seed_people(const emulator_fixture& emu)
{
    auto c = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}}}));
    auto co = emu.seed("companies", json::array({{{"properties", {{"name", "A"}}}}, {{"properties", {{"name", "B"}}}}}));
    return {c.at(0), co.at(0), co.at(1)};
}

json
find_label(const json& results, const std::string& category, int id)
{
    for (const auto& r : results)
        if (r["category"] == category && r["typeId"] == id) return r;
    return nullptr;
}

json
lender_schema()
{
    return {{"name", "lender"},
            {"labels", {{"singular", "Lender"}, {"plural", "Lenders"}}},
            {"primaryDisplayProperty", "lender_name"},
            {"requiredProperties", {"lender_name"}},
            {"associatedObjects", {"0-1"}},
            {"properties", {{{"name", "lender_name"}, {"label", "Name"}, {"type", "string"}, {"fieldType", "text"}}}}};
}
}  // namespace

TEST_CASE("associations: batch create is 201 and always adds the unlabeled type, seen inversely from the other side",
          "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    auto r = emu.hs("POST", v4 + "contacts/companies/batch/create", inputs({pair_input(ids.contact, ids.company_a)}));
    INFO(r.body);
    REQUIRE(r.status == 201);
    auto j = r.json();
    CHECK(j["status"] == "COMPLETE");
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["fromObjectTypeId"] == "0-1");
    CHECK(j["results"][0]["toObjectTypeId"] == "0-2");
    CHECK(j["results"][0]["fromObjectId"] == std::stoull(ids.contact));
    CHECK(j["results"][0]["toObjectId"] == std::stoull(ids.company_a));
    CHECK(j["results"][0]["labels"] == json::array());
    CHECK(!j.contains("errors"));
    CHECK(j.contains("startedAt"));
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_a) == contact_company_unlabeled);
    CHECK(stored(emu, "companies", "contacts", ids.company_a, ids.contact) == company_contact_unlabeled);

    auto back = emu.hs("POST", v4 + "companies/contacts/batch/read", json{{"inputs", {{{"id", ids.company_a}}}}});
    REQUIRE(back.status == 200);
    auto to = back.json()["results"][0]["to"];
    REQUIRE(to.size() == 1);
    CHECK(to[0]["toObjectId"] == std::stoull(ids.contact));
    CHECK(to[0]["associationTypes"] ==
          json::array({{{"category", "HUBSPOT_DEFINED"}, {"typeId", 280}, {"label", nullptr}}}));
}

TEST_CASE("associations: batch create replaces the labelled set between the pair", "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    auto label = emu.hs("POST", v4 + "contacts/companies/labels",
                        json{{"label", "Billing contact"}, {"inverseLabel", "Billed company"}, {"name", "billing"}});
    REQUIRE(label.status == 200);
    const int billing = label.json()["results"][0]["typeId"];
    const int billed = label.json()["results"][1]["typeId"];
    auto create = [&](json types) {
        auto r = emu.hs("POST", v4 + "contacts/companies/batch/create",
                        inputs({pair_input(ids.contact, ids.company_a, std::move(types))}));
        INFO(r.body);
        REQUIRE(r.status == 201);
        return r.json()["results"][0]["labels"];
    };
    auto forward = [&] { return stored(emu, "contacts", "companies", ids.contact, ids.company_a); };
    auto backward = [&] { return stored(emu, "companies", "contacts", ids.company_a, ids.contact); };

    CHECK(create({type("HUBSPOT_DEFINED", 1)}) == json::array({"Primary"}));
    CHECK(forward() == type_ids{{"HUBSPOT_DEFINED", 1}, {"HUBSPOT_DEFINED", 279}});
    CHECK(backward() == type_ids{{"HUBSPOT_DEFINED", 2}, {"HUBSPOT_DEFINED", 280}});

    // Only the new label: Primary goes.
    CHECK(create({type("USER_DEFINED", billing)}) == json::array({"Billing contact"}));
    CHECK(forward() == type_ids{{"HUBSPOT_DEFINED", 279}, {"USER_DEFINED", billing}});
    CHECK(backward() == type_ids{{"HUBSPOT_DEFINED", 280}, {"USER_DEFINED", billed}});

    // Both labels to append.
    create({type("USER_DEFINED", billing), type("HUBSPOT_DEFINED", 1)});
    CHECK(forward() == type_ids{{"HUBSPOT_DEFINED", 1}, {"HUBSPOT_DEFINED", 279}, {"USER_DEFINED", billing}});

    // The unlabeled type alone clears the labels; the association stays.
    CHECK(create({type("HUBSPOT_DEFINED", 279)}) == json::array());
    CHECK(forward() == contact_company_unlabeled);
    CHECK(backward() == company_contact_unlabeled);
}

TEST_CASE("associations: a contact has one primary company, whichever side sets it", "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    REQUIRE(emu.hs("POST", v4 + "contact/company/batch/create",
                   inputs({pair_input(ids.contact, ids.company_a, {type("HUBSPOT_DEFINED", 1)})}))
                .status == 201);
    REQUIRE(emu.hs("POST", v4 + "contact/company/batch/create",
                   inputs({pair_input(ids.contact, ids.company_b, {type("HUBSPOT_DEFINED", 1)})}))
                .status == 201);
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_a) == contact_company_unlabeled);
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_b) ==
          type_ids{{"HUBSPOT_DEFINED", 1}, {"HUBSPOT_DEFINED", 279}});

    // Company A claims the contact back through the inverse type.
    REQUIRE(emu.hs("POST", v4 + "company/contact/batch/create",
                   inputs({pair_input(ids.company_a, ids.contact, {type("HUBSPOT_DEFINED", 2)})}))
                .status == 201);
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_a) ==
          type_ids{{"HUBSPOT_DEFINED", 1}, {"HUBSPOT_DEFINED", 279}});
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_b) == contact_company_unlabeled);
}

TEST_CASE("associations: associate/default is 200 with associationSpec, adds 279, keeps labels, shows 280 back",
          "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    auto r = emu.hs("POST", v4 + "contacts/companies/batch/associate/default",
                    json{{"inputs", {{{"from", {{"id", ids.contact}}}, {"to", {{"id", ids.company_a}}}}}}});
    INFO(r.body);
    REQUIRE(r.status == 200);
    auto result = r.json()["results"][0];
    CHECK(result["from"]["id"] == ids.contact);
    CHECK(result["to"]["id"] == ids.company_a);
    CHECK(result["associationSpec"] == json{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 279}});
    CHECK(stored(emu, "companies", "contacts", ids.company_a, ids.contact) == company_contact_unlabeled);

    REQUIRE(emu.hs("POST", v4 + "contacts/companies/batch/create",
                   inputs({pair_input(ids.contact, ids.company_a, {type("HUBSPOT_DEFINED", 1)})}))
                .status == 201);
    REQUIRE(emu.hs("POST", v4 + "contacts/companies/batch/associate/default",
                   json{{"inputs", {{{"from", {{"id", ids.contact}}}, {"to", {{"id", ids.company_a}}}}}}})
                .status == 200);
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_a) ==
          type_ids{{"HUBSPOT_DEFINED", 1}, {"HUBSPOT_DEFINED", 279}});

    // Deals and contacts have a single unlabeled type each way.
    auto deal = emu.seed("deals", json::array({{{"properties", {{"dealname", "D"}, {"dealstage", "closedwon"}}}}}));
    auto d = emu.hs("POST", v4 + "deals/contacts/batch/associate/default",
                    json{{"inputs", {{{"from", {{"id", deal[0]}}}, {"to", {{"id", ids.contact}}}}}}});
    REQUIRE(d.status == 200);
    CHECK(d.json()["results"][0]["associationSpec"]["associationTypeId"] == 3);
    CHECK(stored(emu, "contacts", "deals", ids.contact, deal[0]) == type_ids{{"HUBSPOT_DEFINED", 4}});
}

TEST_CASE("associations: batch read pages 500 to-records at a time and reports ids without associations",
          "[emulator][associations]")
{
    emulator_fixture emu;
    auto contact = emu.seed("contacts", json::array({{{"properties", {{"email", "a@x.com"}}}},
                                                     {{"properties", {{"email", "b@x.com"}}}}}));
    json companies = json::array();
    for (int i = 0; i < 501; ++i) companies.push_back({{"properties", {{"name", "C" + std::to_string(i)}}}});
    auto company_ids = emu.seed("companies", companies);
    json list = json::array();
    for (const auto& id : company_ids) list.push_back(pair_input(contact[0], id));
    REQUIRE(emu.hs("POST", v4 + "contacts/companies/batch/create", inputs(list)).status == 201);

    auto first = emu.hs("POST", v4 + "contacts/companies/batch/read",
                        json{{"inputs", {{{"id", contact[0]}}, {{"id", contact[1]}}, {{"id", "999999"}}}}});
    INFO(first.body.substr(0, 500));
    REQUIRE(first.status == 207);
    auto j = first.json();
    REQUIRE(j["results"].size() == 1);
    auto page = j["results"][0];
    CHECK(page["from"]["id"] == contact[0]);
    REQUIRE(page["to"].size() == 500);
    CHECK(page["to"][0]["toObjectId"] == std::stoull(company_ids[0]));
    const auto after = page["paging"]["next"]["after"].get<std::string>();
    CHECK(after == company_ids[499]);

    // No associations and no such record look the same (COMMUNITY-observed).
    REQUIRE(j["numErrors"] == 2);
    for (std::size_t i = 0; i < 2; ++i) {
        auto e = j["errors"][i];
        CHECK(e["status"] == "error");
        CHECK(e["category"] == "OBJECT_NOT_FOUND");
        CHECK(e["subCategory"] == "crm.associations.NO_ASSOCIATIONS_FOUND");
        CHECK(e["context"]["fromObjectType"] == json::array({"contact"}));
        CHECK(e["context"]["toObjectType"] == json::array({"company"}));
    }
    CHECK(j["errors"][0]["context"]["fromObjectId"] == json::array({contact[1]}));
    CHECK(j["errors"][0]["message"] == "No company is associated with contact " + contact[1] + ".");
    CHECK(j["errors"][1]["context"]["fromObjectId"] == json::array({"999999"}));

    auto second = emu.hs("POST", v4 + "contacts/companies/batch/read",
                         json{{"inputs", {{{"id", contact[0]}, {"after", after}}}}});
    REQUIRE(second.status == 200);
    auto rest = second.json()["results"][0];
    REQUIRE(rest["to"].size() == 1);
    CHECK(rest["to"][0]["toObjectId"] == std::stoull(company_ids[500]));
    CHECK(!rest.contains("paging"));

    // Archived records are not shown, and an archived from-record has no associations.
    REQUIRE(emu.hs("DELETE", "/crm/v3/objects/companies/" + company_ids[500]).status == 204);
    auto after_archive = emu.hs("POST", v4 + "contacts/companies/batch/read",
                                json{{"inputs", {{{"id", contact[0]}, {"after", after}}}}});
    CHECK(after_archive.json()["results"][0]["to"].empty());
    REQUIRE(emu.hs("DELETE", "/crm/v3/objects/contacts/" + contact[0]).status == 204);
    CHECK(emu.hs("POST", v4 + "contacts/companies/batch/read", json{{"inputs", {{{"id", contact[0]}}}}}).status ==
          207);
}

TEST_CASE("associations: archive removes whole pairs, labels/archive single types, and the unlabeled one all",
          "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    auto full = json::array({type("HUBSPOT_DEFINED", 1)});
    REQUIRE(emu.hs("POST", v4 + "contacts/companies/batch/create",
                   inputs({pair_input(ids.contact, ids.company_a, full), pair_input(ids.contact, ids.company_b, full)}))
                .status == 201);

    auto labels = emu.hs("POST", v4 + "contacts/companies/batch/labels/archive",
                         inputs({pair_input(ids.contact, ids.company_b, {type("HUBSPOT_DEFINED", 1)})}));
    CHECK(labels.status == 204);
    CHECK(labels.body.empty());
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_b) == contact_company_unlabeled);

    // From the other side, with the inverse unlabeled type: the association goes with every label.
    CHECK(emu.hs("POST", v4 + "companies/contacts/batch/labels/archive",
                 inputs({pair_input(ids.company_a, ids.contact, {type("HUBSPOT_DEFINED", 280)})}))
              .status == 204);
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_a).empty());
    CHECK(stored(emu, "companies", "contacts", ids.company_a, ids.contact).empty());

    REQUIRE(emu.hs("POST", v4 + "contacts/companies/batch/create",
                   inputs({pair_input(ids.contact, ids.company_a, full)}))
                .status == 201);
    auto all = emu.hs("POST", v4 + "contacts/companies/batch/archive",
                      json{{"inputs", {{{"from", {{"id", ids.contact}}},
                                        {"to", {{{"id", ids.company_a}}, {{"id", ids.company_b}}, {{"id", "424242"}}}}}}}});
    CHECK(all.status == 204);
    CHECK(emu.admin("GET", "/associations/contacts/companies")["total"] == 0);
    CHECK(emu.admin("GET", "/associations/companies/contacts")["total"] == 0);
}

TEST_CASE("associations: more than 2000 write inputs or 1000 read inputs is 400", "[emulator][associations]")
{
    emulator_fixture emu;
    auto many = [](int n, bool read) {
        json list = json::array();
        for (int i = 0; i < n; ++i)
            list.push_back(read ? json{{"id", std::to_string(i + 1)}} : pair_input(std::to_string(i + 1), "1"));
        return json{{"inputs", list}};
    };
    for (const char* op : {"create", "associate/default", "labels/archive"}) {
        auto r = emu.hs("POST", v4 + "contacts/companies/batch/" + op, many(2001, false));
        INFO(op << " " << r.body.substr(0, 300));
        REQUIRE(r.status == 400);
        CHECK(r.json()["category"] == "VALIDATION_ERROR");
        CHECK(r.json()["message"].get<std::string>().find("2000") != std::string::npos);
    }
    auto read = emu.hs("POST", v4 + "contacts/companies/batch/read", many(1001, true));
    REQUIRE(read.status == 400);
    CHECK(read.json()["message"].get<std::string>().find("1000") != std::string::npos);

    // At the limits the requests are served (here every record is missing).
    auto create = emu.hs("POST", v4 + "contacts/companies/batch/create", many(2000, false));
    CHECK(create.status == 207);
    CHECK(create.json()["numErrors"] == 2000);
    CHECK(emu.hs("POST", v4 + "contacts/companies/batch/read", many(1000, true)).status == 207);
}

TEST_CASE("associations: unknown or archived records are 207 OBJECT_NOT_FOUND per input, the rest is written",
          "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    REQUIRE(emu.hs("DELETE", "/crm/v3/objects/companies/" + ids.company_b).status == 204);
    auto r = emu.hs("POST", v4 + "contacts/companies/batch/create",
                    inputs({pair_input("777", ids.company_a), pair_input(ids.contact, ids.company_a),
                            pair_input(ids.contact, ids.company_b), pair_input(ids.contact, "not-a-number")}));
    INFO(r.body);
    REQUIRE(r.status == 207);
    auto j = r.json();
    CHECK(j["status"] == "COMPLETE");
    REQUIRE(j["results"].size() == 1);
    CHECK(j["results"][0]["toObjectId"] == std::stoull(ids.company_a));
    REQUIRE(j["numErrors"] == 3);
    auto e = j["errors"];
    CHECK(e[0]["category"] == "OBJECT_NOT_FOUND");
    CHECK(e[0]["context"]["fromObjectId"] == json::array({"777"}));
    CHECK(e[0]["context"]["toObjectId"] == json::array({ids.company_a}));
    CHECK(e[0]["context"]["ids"] == json::array({"777"}));
    CHECK(e[0]["message"] == "Could not associate: CONTACT 777 may be deleted or not exist.");
    CHECK(e[1]["context"]["ids"] == json::array({ids.company_b}));  // archived
    CHECK(e[2]["context"]["toObjectId"] == json::array({"not-a-number"}));
    CHECK(emu.admin("GET", "/associations/contacts/companies")["total"] == 1);

    auto d = emu.hs("POST", v4 + "contacts/companies/batch/associate/default",
                    json{{"inputs", {{{"from", {{"id", ids.contact}}}, {"to", {{"id", "555"}}}}}}});
    REQUIRE(d.status == 207);
    CHECK(d.json()["results"].empty());
    CHECK(d.json()["errors"][0]["context"]["ids"] == json::array({"555"}));

    // A record cannot be associated with itself.
    auto self = emu.hs("POST", v4 + "contacts/contacts/batch/create", inputs({pair_input(ids.contact, ids.contact)}));
    REQUIRE(self.status == 207);
    CHECK(self.json()["errors"][0]["category"] == "VALIDATION_ERROR");
}

TEST_CASE("associations: an unknown type id is 400 VALIDATION_ERROR and nothing is written", "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    const json bad_types[] = {
        json::array({type("HUBSPOT_DEFINED", 99999)}),
        json::array({type("USER_DEFINED", 279)}),     // right id, wrong category
        json::array({type("HUBSPOT_DEFINED", 4)}),    // contact→deal, not contact→company
        json::array({type("HUBSPOT_DEFINED", 280)}),  // the inverse direction's type
        json::array({{{"associationCategory", "HUBSPOT_DEFINED"}, {"associationTypeId", 4294967575LL}}}),  // 279 + 2^32
        json::array({{{"associationTypeId", 279}}}),  // no category
    };
    for (const auto& bad : bad_types) {
        auto r = emu.hs("POST", v4 + "contacts/companies/batch/create",
                        inputs({pair_input(ids.contact, ids.company_a), pair_input(ids.contact, ids.company_b, bad)}));
        INFO(bad.dump() << " " << r.body);
        REQUIRE(r.status == 400);
        CHECK(r.json()["category"] == "VALIDATION_ERROR");
        CHECK(r.json()["message"].get<std::string>().rfind("Invalid association type", 0) == 0);
        CHECK(emu.hs("POST", v4 + "contacts/companies/batch/labels/archive",
                     inputs({pair_input(ids.contact, ids.company_b, bad)}))
                  .status == 400);
    }
    CHECK(emu.admin("GET", "/associations/contacts/companies")["total"] == 0);
    CHECK(emu.hs("POST", v4 + "nonsense/companies/batch/create", inputs({})).status == 400);
}

TEST_CASE("associations: labels list HubSpot's types and the portal's, and are created, renamed and deleted",
          "[emulator][associations]")
{
    emulator_fixture emu;
    auto list = [&](const std::string& path) {
        auto r = emu.hs("GET", path);
        INFO(path << " " << r.body);
        REQUIRE(r.status == 200);
        return r.json()["results"];
    };
    auto initial = list(v4 + "contacts/companies/labels");
    CHECK(initial == json::array({{{"category", "HUBSPOT_DEFINED"}, {"typeId", 1}, {"label", "Primary"}},
                                  {{"category", "HUBSPOT_DEFINED"}, {"typeId", 279}, {"label", nullptr}}}));

    // Paired label: one type per direction. USER_DEFINED ids are per portal and may equal HubSpot-defined ones.
    auto created = emu.hs("POST", v4 + "contacts/companies/labels",
                          json{{"label", "Manager"}, {"inverseLabel", "Employee"}, {"name", "manager_employee"}});
    INFO(created.body);
    REQUIRE(created.status == 200);
    auto pair = created.json()["results"];
    REQUIRE(pair.size() == 2);
    CHECK(pair[0] == json{{"category", "USER_DEFINED"}, {"typeId", 1}, {"label", "Manager"}});
    CHECK(pair[1] == json{{"category", "USER_DEFINED"}, {"typeId", 2}, {"label", "Employee"}});
    auto forward = list(v4 + "contacts/companies/labels");
    CHECK(forward.size() == 3);
    CHECK(find_label(forward, "USER_DEFINED", 1)["label"] == "Manager");
    CHECK(find_label(forward, "HUBSPOT_DEFINED", 1)["label"] == "Primary");
    auto backward = list(v4 + "companies/contacts/labels");
    CHECK(find_label(backward, "USER_DEFINED", 2)["label"] == "Employee");
    CHECK(find_label(backward, "HUBSPOT_DEFINED", 280)["label"] == nullptr);
    CHECK(find_label(backward, "HUBSPOT_DEFINED", 2)["label"] == "Primary");

    // Unpaired: the same label both ways; between records of one type a single type.
    auto unpaired = emu.hs("POST", v4 + "contacts/companies/labels", json{{"label", "Advisor"}, {"name", "advisor"}});
    REQUIRE(unpaired.json()["results"].size() == 2);
    CHECK(unpaired.json()["results"][1]["label"] == "Advisor");
    auto colleague = emu.hs("POST", v4 + "contacts/contacts/labels", json{{"label", "Colleague"}, {"name", "colleague"}});
    REQUIRE(colleague.json()["results"].size() == 1);
    CHECK(find_label(list(v4 + "contacts/contacts/labels"), "HUBSPOT_DEFINED", 449)["label"] == nullptr);

    // Rename: the label and, when given, its inverse.
    CHECK(emu.hs("PUT", v4 + "contacts/companies/labels",
                 json{{"associationTypeId", 1}, {"label", "Boss"}, {"inverseLabel", "Staff"}})
              .status == 204);
    CHECK(find_label(list(v4 + "contacts/companies/labels"), "USER_DEFINED", 1)["label"] == "Boss");
    CHECK(find_label(list(v4 + "companies/contacts/labels"), "USER_DEFINED", 2)["label"] == "Staff");
    CHECK(emu.hs("PUT", v4 + "contacts/companies/labels", json{{"associationTypeId", 279}, {"label", "x"}}).status ==
          404);

    // Delete: the label leaves every pair, the association stays.
    auto ids = seed_people(emu);
    REQUIRE(emu.hs("POST", v4 + "contacts/companies/batch/create",
                   inputs({pair_input(ids.contact, ids.company_a, {type("USER_DEFINED", 1)})}))
                .status == 201);
    CHECK(emu.hs("DELETE", v4 + "contacts/companies/labels/1").status == 204);
    CHECK(find_label(list(v4 + "contacts/companies/labels"), "USER_DEFINED", 1).is_null());
    CHECK(find_label(list(v4 + "companies/contacts/labels"), "USER_DEFINED", 2).is_null());
    CHECK(stored(emu, "contacts", "companies", ids.contact, ids.company_a) == contact_company_unlabeled);
    CHECK(stored(emu, "companies", "contacts", ids.company_a, ids.contact) == company_contact_unlabeled);
    CHECK(emu.hs("DELETE", v4 + "contacts/companies/labels/1").status == 404);
    CHECK(emu.hs("DELETE", v4 + "contacts/companies/labels/abc").status == 400);
}

TEST_CASE("associations: label names are checked and at most 10 labels exist per object pair",
          "[emulator][associations]")
{
    emulator_fixture emu;
    for (const char* name : {"has-hyphen", "9lives", ""}) {
        auto r = emu.hs("POST", v4 + "contacts/deals/labels", json{{"label", "L"}, {"name", name}});
        INFO(name);
        CHECK(r.status == 400);
    }
    CHECK(emu.hs("POST", v4 + "contacts/deals/labels", json{{"name", "no_label"}}).status == 400);
    for (int i = 0; i < 10; ++i)
        REQUIRE(emu.hs("POST", v4 + "contacts/deals/labels",
                       json{{"label", "L" + std::to_string(i)}, {"name", "l" + std::to_string(i)}})
                    .status == 200);
    auto eleventh = emu.hs("POST", v4 + "contacts/deals/labels", json{{"label", "L10"}, {"name", "l10"}});
    CHECK(eleventh.status == 400);
    CHECK(eleventh.json()["category"] == "VALIDATION_ERROR");
    CHECK(emu.hs("POST", v4 + "deals/contacts/labels", json{{"label", "L"}, {"name", "other"}}).status == 400);
    CHECK(emu.hs("POST", v4 + "contacts/companies/labels", json{{"label", "L0"}, {"name", "l0"}}).status == 200);
}

TEST_CASE("associations: alias, dated and every object type spelling reach the same state", "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    for (const std::string base : {"/crm/v4/associations/", "/crm/associations/v4/", "/crm/associations/2026-03/"}) {
        auto r = emu.hs("GET", base + "0-1/company/labels");
        INFO(base);
        REQUIRE(r.status == 200);
        CHECK(find_label(r.json()["results"], "HUBSPOT_DEFINED", 279)["label"] == nullptr);
    }
    const std::string dated = "/crm/associations/2026-03/";
    REQUIRE(emu.hs("POST", dated + "contact/0-2/batch/create", inputs({pair_input(ids.contact, ids.company_a)}))
                .status == 201);
    auto read = emu.hs("POST", dated + "companies/contacts/batch/read", json{{"inputs", {{{"id", ids.company_a}}}}});
    REQUIRE(read.status == 200);
    CHECK(read.json()["results"][0]["to"][0]["toObjectId"] == std::stoull(ids.contact));
    CHECK(emu.hs("POST", dated + "0-1/companies/batch/associate/default",
                 json{{"inputs", {{{"from", {{"id", ids.contact}}}, {"to", {{"id", ids.company_b}}}}}}})
              .status == 200);
    CHECK(emu.hs("POST", dated + "contacts/companies/batch/archive",
                 json{{"inputs", {{{"from", {{"id", ids.contact}}}, {"to", {{{"id", ids.company_b}}}}}}}})
              .status == 204);
    auto label = emu.hs("POST", dated + "contacts/companies/labels", json{{"label", "Dated"}, {"name", "dated"}});
    REQUIRE(label.status == 200);
    CHECK(emu.hs("DELETE", "/crm/associations/v4/contacts/companies/labels/" +
                               std::to_string(label.json()["results"][0]["typeId"].get<int>()))
              .status == 204);
    auto state = emu.admin("GET", "/associations/contact/0-2");
    CHECK(state["fromObjectTypeId"] == "0-1");
    REQUIRE(state["total"] == 1);
    CHECK(state["results"][0]["toId"] == ids.company_a);

    auto counts = emu.requests()["by_route"];
    CHECK(counts.value("POST /crm/associations/2026-03/{fromObjectType}/{toObjectType}/batch/create", 0) == 1);
    CHECK(counts.value("DELETE /crm/associations/v4/{fromObjectType}/{toObjectType}/labels/{associationTypeId}", 0) ==
          1);
}

TEST_CASE("associations: custom objects get per-portal USER_DEFINED types on first use", "[emulator][associations]")
{
    emulator_fixture emu;
    auto schema = emu.hs("POST", "/crm-object-schemas/v3/schemas", lender_schema());
    REQUIRE(schema.status == 201);
    const auto lender_type = schema.json()["objectTypeId"].get<std::string>();
    auto lender = emu.seed("lender", json::array({{{"properties", {{"lender_name", "Acme"}}}}}));
    auto ids = seed_people(emu);

    auto to_contacts = emu.hs("GET", v4 + lender_type + "/contacts/labels");
    REQUIRE(to_contacts.status == 200);
    auto forward = to_contacts.json()["results"];
    REQUIRE(forward.size() == 1);
    CHECK(forward[0]["category"] == "USER_DEFINED");
    CHECK(forward[0]["label"] == nullptr);
    auto backward = emu.hs("GET", v4 + "contacts/p12345678_lender/labels").json()["results"];
    REQUIRE(backward.size() == 1);
    CHECK(backward[0]["typeId"] != forward[0]["typeId"]);

    auto d = emu.hs("POST", v4 + "lender/contact/batch/associate/default",
                    json{{"inputs", {{{"from", {{"id", lender[0]}}}, {"to", {{"id", ids.contact}}}}}}});
    INFO(d.body);
    REQUIRE(d.status == 200);
    CHECK(d.json()["results"][0]["associationSpec"] ==
          json{{"associationCategory", "USER_DEFINED"}, {"associationTypeId", forward[0]["typeId"]}});
    auto read = emu.hs("POST", v4 + "contacts/" + lender_type + "/batch/read", json{{"inputs", {{{"id", ids.contact}}}}});
    REQUIRE(read.status == 200);
    CHECK(read.json()["results"][0]["to"][0]["associationTypes"][0] == backward[0]);

    // A label on the custom pair takes the next ids of the portal's counter.
    auto label = emu.hs("POST", v4 + "p12345678_lender/companies/labels",
                        json{{"label", "Lender of"}, {"inverseLabel", "Borrower"}, {"name", "lends"}});
    REQUIRE(label.status == 200);
    auto lc = emu.hs("GET", v4 + "lender/company/labels").json()["results"];
    CHECK(lc.size() == 2);
    REQUIRE(emu.hs("POST", v4 + "lender/company/batch/create",
                   inputs({pair_input(lender[0], ids.company_a,
                                      {type("USER_DEFINED", label.json()["results"][0]["typeId"].get<int>())})}))
                .status == 201);
    CHECK(emu.admin("GET", "/associations/companies/" + lender_type)["results"][0]["types"].size() == 2);
}

TEST_CASE("associations: the token needs the scopes of both object types", "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    emu.add_token("contacts-only", {"crm.objects.contacts.read", "crm.objects.contacts.write"});
    emu.add_token("readers", {"crm.objects.contacts.read", "crm.objects.companies.read"});

    auto r = emu.hs("POST", v4 + "contacts/companies/batch/create", inputs({pair_input(ids.contact, ids.company_a)}),
                    "contacts-only");
    REQUIRE(r.status == 403);
    CHECK(r.json()["category"] == "MISSING_SCOPES");
    auto scopes = r.json()["errors"][0]["context"]["requiredGranularScopes"];
    CHECK(std::find(scopes.begin(), scopes.end(), "crm.objects.companies.write") != scopes.end());
    CHECK(emu.hs("GET", v4 + "contacts/companies/labels", std::string{}, "contacts-only").status == 403);

    CHECK(emu.hs("GET", v4 + "contacts/companies/labels", std::string{}, "readers").status == 200);
    CHECK(emu.hs("POST", v4 + "contacts/companies/batch/read", json{{"inputs", {{{"id", ids.contact}}}}}, "readers")
              .status == 207);
    CHECK(emu.hs("POST", v4 + "contacts/companies/batch/create", inputs({pair_input(ids.contact, ids.company_a)}),
                 "readers")
              .status == 403);
    CHECK(emu.hs("POST", v4 + "contacts/companies/labels", json{{"label", "L"}, {"name", "l"}}, "readers").status ==
          403);
    CHECK(emu.admin("GET", "/associations/contacts/companies")["total"] == 0);
}

TEST_CASE("associations: reset clears associations and user-defined labels", "[emulator][associations]")
{
    emulator_fixture emu;
    auto ids = seed_people(emu);
    REQUIRE(emu.hs("POST", v4 + "contacts/companies/labels", json{{"label", "L"}, {"name", "l"}}).status == 200);
    REQUIRE(emu.hs("POST", v4 + "contacts/companies/batch/create", inputs({pair_input(ids.contact, ids.company_a)}))
                .status == 201);
    emu.admin("POST", "/reset", json::object());
    CHECK(emu.admin("GET", "/associations/contacts/companies")["total"] == 0);
    CHECK(emu.hs("GET", v4 + "contacts/companies/labels").json()["results"].size() == 2);
    // The portal's type counter starts again.
    auto again = emu.hs("POST", v4 + "contacts/companies/labels", json{{"label", "L"}, {"name", "l"}});
    CHECK(again.json()["results"][0]["typeId"] == 1);
}
