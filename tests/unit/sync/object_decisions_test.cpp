// The object job's decisions without I/O: which call a row needs, and what an answer means for each input.
#include "sync/object_decisions.hpp"
#include "sync/record_search.hpp"

#include <catch2/catch.hpp>

using namespace hubsync;
using namespace hubsync::sync;
using kind = input_verdict::kind;

namespace {
planned_row
row(change k, std::optional<std::string> id = std::nullopt, bool pending = false)
{
    planned_row r;
    r.kind = k;
    r.pk = "p1";
    r.hubspot_id = std::move(id);
    r.pending = pending;
    return r;
}

std::vector<sent_input>
inputs(std::initializer_list<std::pair<const char*, const char*>> address_and_match)
{
    std::vector<sent_input> out;
    for (const auto& [a, m] : address_and_match) out.push_back({std::to_string(out.size()), a, m});
    return out;
}

hubspot::record
result(std::string id, std::optional<std::string> trace, std::string value = {}, std::string property = "email")
{
    hubspot::record r;
    r.id = std::move(id);
    r.trace_id = std::move(trace);
    if (!value.empty()) r.properties[property] = value;
    return r;
}
}  // namespace

TEST_CASE("choose_write: each mode and match kind", "[sync][decisions]")
{
    match_shape unique{write_mode::upsert, false, true};
    CHECK(choose_write(unique, row(change::added), false) == write_op::upsert_by_property);
    CHECK(choose_write(unique, row(change::changed, "7"), false) == write_op::update_by_id);
    CHECK(choose_write(unique, row(change::added), true) == write_op::baseline);
    CHECK(choose_write(unique, row(change::removed), false) == write_op::forget);
    CHECK(choose_write({write_mode::update, false, true}, row(change::added), false) == write_op::update_by_property);
    CHECK(choose_write({write_mode::update, true, false}, row(change::added), false) == write_op::update_by_id);
    // Not unique: search first, in every mode that may create.
    CHECK(choose_write({write_mode::upsert, false, false}, row(change::added), false) == write_op::search);
    CHECK(choose_write({write_mode::insert, false, false}, row(change::added), false) == write_op::search);
    CHECK(choose_write({write_mode::insert, false, true}, row(change::added), false) == write_op::create);
    // Insert mode never sends a change, but a create whose answer was lost is looked for again.
    CHECK(choose_write({write_mode::insert, false, true}, row(change::changed, "7"), false) == write_op::keep_inserted);
    CHECK(choose_write({write_mode::insert, false, false}, row(change::changed, std::nullopt, true), false) ==
          write_op::search);
}

TEST_CASE("read_batch_answer: results by trace id, address or match value; the rest unconfirmed", "[sync][decisions]")
{
    SECTION("upsert: results out of order and lower-cased, matched by address")
    {
        hubspot::batch_result a;
        a.status = 200;
        a.results = {result("11", std::nullopt, "b@x.com"), result("10", std::nullopt, "a@x.com")};
        auto v = read_batch_answer(write_op::upsert_by_property, inputs({{"A@x.com", "A@x.com"}, {"b@x.com", "b@x.com"}}),
                                   a, "email");
        CHECK(v[0].what == kind::written);
        CHECK(v[0].id == "10");
        CHECK(v[1].id == "11");
    }
    SECTION("create: by echoed trace id")
    {
        hubspot::batch_result a;
        a.status = 201;
        a.results = {result("21", std::string("1")), result("20", std::string("0"))};
        auto v = read_batch_answer(write_op::create, inputs({{"", "acme"}, {"", "acme"}}), a, "name");
        CHECK(v[0].id == "20");
        CHECK(v[1].id == "21");
    }
    SECTION("a 207 with an error naming no input, and a result set that misses an input: never written")
    {
        hubspot::batch_result a;
        a.status = 207;
        a.results = {result("10", std::nullopt, "a@x.com")};
        hubspot::input_error e;
        e.category = "VALIDATION_ERROR";
        e.message = "something about some input";
        a.errors.push_back(e);
        auto v = read_batch_answer(write_op::upsert_by_property,
                                   inputs({{"a@x.com", "a@x.com"}, {"b@x.com", "b@x.com"}, {"c@x.com", "c@x.com"}}), a,
                                   "email");
        CHECK(v[0].what == kind::written);
        CHECK(v[1].what == kind::unconfirmed);
        CHECK(v[2].what == kind::unconfirmed);
    }
    SECTION("one result per input and no error: all written, ids known where they could be paired")
    {
        hubspot::batch_result a;
        a.status = 200;
        a.results = {result("10", std::nullopt), result("12", std::nullopt), result("11", std::nullopt, "b@x.com")};
        auto v = read_batch_answer(write_op::upsert_by_property,
                                   inputs({{"a@x.com", "a@x.com"}, {"b@x.com", "b@x.com"}, {"c@x.com", "c@x.com"}}), a,
                                   "email");
        CHECK(v[0].what == kind::written);
        CHECK(!v[0].id);
        CHECK(v[1].id == "11");
        CHECK(v[2].what == kind::written);
        // One left over of each: they can only belong together.
        a.results = {result("10", std::nullopt), result("11", std::nullopt, "b@x.com")};
        v = read_batch_answer(write_op::upsert_by_property, inputs({{"a@x.com", "a@x.com"}, {"b@x.com", "b@x.com"}}), a,
                              "email");
        CHECK(v[0].id == "10");
    }
    SECTION("creates: an unpaired result confirms only when it is the one left over")
    {
        hubspot::batch_result a;
        a.status = 201;
        a.results = {result("30", std::nullopt), result("31", std::nullopt)};
        auto v = read_batch_answer(write_op::create, inputs({{"", "acme"}, {"", "globex"}}), a, "name");
        CHECK(v[0].what == kind::unconfirmed);
        CHECK(v[1].what == kind::unconfirmed);
        a.results = {result("30", std::nullopt, "Acme", "name"), result("31", std::nullopt)};
        v = read_batch_answer(write_op::create, inputs({{"", "acme"}, {"", "globex"}}), a, "name");
        CHECK(v[0].id == "30");
        CHECK(v[1].id == "31");
    }
    SECTION("update by id pairs a result with another id by its match value, never by a numeric address")
    {
        hubspot::batch_result a;
        a.status = 200;
        a.results = {result("500", std::nullopt, "7"), result("7", std::nullopt, "x@y.com")};
        auto v = read_batch_answer(write_op::update_by_id, inputs({{"7", "x@y.com"}, {"6", "7"}}), a, "email");
        CHECK(v[0].id == "7");
        CHECK(v[1].id == "500");
    }
    SECTION("a 200 that covers no input confirms nothing")
    {
        hubspot::batch_result a;
        a.status = 200;
        auto v = read_batch_answer(write_op::update_by_id, inputs({{"5", ""}}), a, "");
        CHECK(v[0].what == kind::unconfirmed);
    }
    SECTION("207 errors: by trace id, and not found by context ids")
    {
        hubspot::batch_result a;
        a.status = 207;
        hubspot::input_error bad;
        bad.trace_id = "0";
        bad.category = "VALIDATION_ERROR";
        bad.message = "x was not one of the allowed options";
        hubspot::input_error missing;
        missing.category = "OBJECT_NOT_FOUND";
        missing.ids = {"6"};
        hubspot::input_error conflict;
        conflict.trace_id = "2";
        conflict.category = "CONFLICT";
        conflict.message = "Company already exists. Existing ID: 99";
        a.errors = {bad, missing, conflict};
        a.results = {result("7", std::nullopt)};
        auto v = read_batch_answer(write_op::update_by_id, inputs({{"5", ""}, {"6", ""}, {"8", ""}, {"7", ""}}), a, "");
        CHECK(v[0].what == kind::refused);
        CHECK(v[1].what == kind::not_found);
        CHECK(v[2].what == kind::conflict);
        CHECK(v[2].existing_id == "99");
        CHECK(v[3].what == kind::written);
    }
}

TEST_CASE("conflicts in both of HubSpot's shapes", "[sync][decisions]")
{
    auto a = as_conflict(409, "CONFLICT", "Contact already exists. Existing ID: 37765128953");
    REQUIRE(a);
    CHECK(a->existing_id == "37765128953");
    auto b = as_conflict(400, "VALIDATION_ERROR", "propertyValue: already has that value hs_external_order_id");
    REQUIRE(b);
    CHECK(!b->existing_id);
    CHECK(b->property == "hs_external_order_id");
    CHECK(!as_conflict(400, "VALIDATION_ERROR", "x was not one of the allowed options"));
}

TEST_CASE("plan_refusal: what a whole-request refusal means", "[sync][decisions]")
{
    hubspot::error_info gone;
    gone.http_status = 400;
    gone.category = "VALIDATION_ERROR";
    hubspot::input_error detail;
    detail.code = "PROPERTY_DOESNT_EXIST";
    detail.properties = {"favourite_colour"};
    gone.inputs.push_back(detail);
    SECTION("a mapped property deleted in HubSpot fails the run once, naming it, whatever the batch size")
    {
        for (std::size_t n : {1u, 100u}) {
            auto p = plan_refusal(write_op::upsert_by_property, n, gone);
            CHECK(p.what == refusal_plan::kind::fail_run);
            CHECK(p.message.find("'favourite_colour'") != std::string::npos);
        }
    }
    SECTION("a 5xx: a create may have been applied, an update is only unavailable")
    {
        hubspot::error_info e;
        e.http_status = 502;
        CHECK(plan_refusal(write_op::create, 100, e).what == refusal_plan::kind::unconfirmed);
        CHECK(plan_refusal(write_op::upsert_by_property, 100, e).what == refusal_plan::kind::unavailable);
    }
    SECTION("an unexplained 400 is narrowed down to the row it is about")
    {
        hubspot::error_info e;
        e.http_status = 400;
        e.category = "VALIDATION_ERROR";
        e.message = "Duplicate IDs found in batch input";
        CHECK(plan_refusal(write_op::upsert_by_property, 100, e).what == refusal_plan::kind::narrow);
        auto one = plan_refusal(write_op::upsert_by_property, 1, e);
        CHECK(one.what == refusal_plan::kind::per_row);
        CHECK(one.verdict.what == kind::refused);
    }
    SECTION("a conflict on one create keeps the existing id, in either shape")
    {
        hubspot::error_info e;
        e.http_status = 409;
        e.category = "CONFLICT";
        e.message = "Company already exists. Existing ID: 12";
        e.existing_id = "12";
        auto p = plan_refusal(write_op::create, 1, e);
        CHECK(p.verdict.what == kind::conflict);
        CHECK(p.verdict.existing_id == "12");
        hubspot::error_info f;
        f.http_status = 400;
        f.category = "VALIDATION_ERROR";
        f.message = "propertyValue: already has that value ext_id";
        CHECK(plan_refusal(write_op::create, 1, f).verdict.what == kind::conflict);
    }
    SECTION("the token's problems fail the run")
    {
        hubspot::error_info e;
        e.http_status = 403;
        e.category = "MISSING_SCOPES";
        CHECK(plan_refusal(write_op::create, 1, e).what == refusal_plan::kind::fail_run);
    }
}

TEST_CASE("search bodies: lower-case IN values, under 3,000 characters, duplicates once", "[sync][search]")
{
    std::vector<std::string> names;
    for (int i = 0; i < 100; ++i) names.push_back("Acme Holdings International Number " + std::to_string(i));
    names.push_back("ACME HOLDINGS INTERNATIONAL NUMBER 1");  // the same as one above, once lower-cased
    auto plan = plan_search("name", names, true);
    REQUIRE(plan.groups.size() > 1);
    std::size_t total = 0;
    for (const auto& g : plan.groups) {
        total += g.size();
        CHECK(search_body("name", g, std::string("9999")).dump().size() < max_search_body);
        for (const auto& v : g) CHECK(v == hubsync::sync::match_key(v));
    }
    CHECK(total == 100);
    // Numbers keep their text; a value that fits no body is reported, not dropped.
    auto numbers = plan_search("amount", {"10", "10", "20"}, false);
    REQUIRE(numbers.groups.size() == 1);
    CHECK(numbers.groups[0] == std::vector<std::string>{"10", "20"});
    auto huge = plan_search("name", {std::string(4000, 'x'), "ok"}, true);
    CHECK(huge.too_long.size() == 1);
    CHECK(huge.groups.size() == 1);
}
