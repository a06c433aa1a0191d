#include "api/sync_validation.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using namespace hubsync::api;
using hubsync::core::errc;
using hubsync::core::error;
using hubsync::core::error_detail;

const model_shape model{{"id", "email", "first_name", "last_name", "company_domain", "signed_up_at", "utk"}, "id"};

json
object_sync()
{
    return json::parse(R"({
        "name": "Contacts from users",
        "model_id": 1,
        "destination_id": 2,
        "type": "object",
        "config": {
            "object": "contacts",
            "mode": "upsert",
            "match": {"column": "email", "property": "email"},
            "mappings": [
                {"column": "first_name", "property": "firstname"},
                {"column": "last_name", "property": "lastname"}
            ]
        }
    })");
}

json
event_sync()
{
    return json::parse(R"({
        "name": "Sign-ups",
        "model_id": 3,
        "destination_id": 4,
        "type": "event",
        "config": {
            "event_name": "pe123456_signed_up",
            "contact": {"column": "email", "by": "email"}
        }
    })");
}

json
list_sync()
{
    return json::parse(R"({
        "name": "Trial users",
        "model_id": 5,
        "destination_id": 6,
        "type": "list",
        "config": {"match": {"column": "email", "by": "email"}}
    })");
}

// The details of the unprocessable error validate_sync throws for `body`.
std::vector<error_detail>
problems(const json& body)
{
    try {
        validate_sync(body, model);
    } catch (const error& e) {
        CHECK(e.code() == errc::unprocessable);
        return e.details();
    }
    FAIL("validate_sync accepted: " << body.dump());
    return {};
}

std::string
describe(const std::vector<error_detail>& details)
{
    std::string out;
    for (const auto& d : details) out += "  " + d.path + ": " + d.message + "\n";
    return out;
}

// The one message at `path`; fails when there is none or more than one.
std::string
message_at(const std::vector<error_detail>& details, const std::string& path)
{
    INFO("details:\n" << describe(details));
    std::vector<std::string> found;
    for (const auto& d : details)
        if (d.path == path) found.push_back(d.message);
    REQUIRE(found.size() == 1);
    return found[0];
}

}  // namespace

//----------------------------------------------------------------------------------------------------------------------
// Valid definitions, normalised

TEST_CASE("a valid object sync is returned with defaults filled in", "[api][sync_validation]")
{
    const auto f = validate_sync(object_sync(), model);
    CHECK(f.name == "Contacts from users");
    CHECK(f.model_id == 1);
    CHECK(f.destination_id == 2);
    CHECK(f.type == "object");
    CHECK(f.enabled);
    CHECK(f.schedule == json{{"type", "manual"}});
    CHECK(f.config == json::parse(R"({
        "object": "contacts",
        "mode": "upsert",
        "match": {"column": "email", "property": "email"},
        "mappings": [
            {"column": "first_name", "property": "firstname"},
            {"column": "last_name", "property": "lastname"}
        ],
        "associations": []
    })"));
}

TEST_CASE("object sync associations default their type to \"default\"", "[api][sync_validation]")
{
    auto body = object_sync();
    body["config"]["associations"] = json::parse(R"([
        {"to_object": "companies", "match": {"column": "company_domain", "property": "domain"}},
        {"to_object": "companies", "type": 279, "match": {"column": "company_domain", "property": "domain"}},
        {"to_object": "0-2", "type": "Primary", "match": {"column": "company_domain", "property": "domain"}}
    ])");
    const auto f = validate_sync(body, model);
    CHECK(f.config["associations"] == json::parse(R"([
        {"to_object": "companies", "type": "default", "match": {"column": "company_domain", "property": "domain"}},
        {"to_object": "companies", "type": 279, "match": {"column": "company_domain", "property": "domain"}},
        {"to_object": "0-2", "type": "Primary", "match": {"column": "company_domain", "property": "domain"}}
    ])"));
}

TEST_CASE("enabled and a schedule given in the body are kept", "[api][sync_validation]")
{
    auto body = object_sync();
    body["enabled"] = false;
    body["schedule"] = {{"type", "interval"}, {"every_seconds", 3600}};
    auto f = validate_sync(body, model);
    CHECK_FALSE(f.enabled);
    CHECK(f.schedule == json{{"type", "interval"}, {"every_seconds", 3600}});

    body["schedule"] = {{"type", "cron"}, {"expression", "*/15 9-17 * * MON-FRI"}};
    f = validate_sync(body, model);
    CHECK(f.schedule == json{{"type", "cron"}, {"expression", "*/15 9-17 * * MON-FRI"}});

    body["schedule"] = {{"type", "interval"}, {"every_seconds", 60}};
    CHECK(validate_sync(body, model).schedule["every_seconds"] == 60);
}

TEST_CASE("a valid event sync is normalised", "[api][sync_validation]")
{
    const auto f = validate_sync(event_sync(), model);
    CHECK(f.type == "event");
    CHECK(f.enabled);
    CHECK(f.schedule == json{{"type", "manual"}});
    CHECK(f.config == json::parse(R"({
        "event_name": "pe123456_signed_up",
        "contact": {"column": "email", "by": "email"},
        "occurred_at_column": null,
        "mappings": []
    })"));

    auto body = event_sync();
    body["config"]["occurred_at_column"] = "signed_up_at";
    body["config"]["contact"] = {{"column", "utk"}, {"by", "utk"}};
    body["config"]["mappings"] = json::parse(R"([{"column": "first_name", "property": "plan"}])");
    const auto g = validate_sync(body, model);
    CHECK(g.config["occurred_at_column"] == "signed_up_at");
    CHECK(g.config["contact"] == json{{"column", "utk"}, {"by", "utk"}});
    CHECK(g.config["mappings"] == json::parse(R"([{"column": "first_name", "property": "plan"}])"));
}

TEST_CASE("a valid list sync is normalised", "[api][sync_validation]")
{
    const auto f = validate_sync(list_sync(), model);
    CHECK(f.type == "list");
    CHECK(f.enabled);
    CHECK(f.schedule == json{{"type", "manual"}});
    CHECK(f.config == json::parse(R"({"list_name": null, "match": {"column": "email", "by": "email"}})"));

    auto body = list_sync();
    body["config"]["list_name"] = "Trials";
    body["config"]["match"]["by"] = "contact_id";
    body["config"]["match"]["column"] = "id";
    CHECK(validate_sync(body, model).config ==
          json::parse(R"({"list_name": "Trials", "match": {"column": "id", "by": "contact_id"}})"));
}

//----------------------------------------------------------------------------------------------------------------------
// Problems, each at its exact path

TEST_CASE("an unknown column is reported at its mapping with a suggestion", "[api][sync_validation]")
{
    auto body = object_sync();
    body["config"]["mappings"][1]["column"] = "lastname";
    const auto d = problems(body);
    CHECK(d.size() == 1);
    CHECK(message_at(d, "config.mappings[1].column") == "the model has no column 'lastname'; did you mean 'last_name'?");

    auto far = object_sync();
    far["config"]["match"]["column"] = "totally_different";
    CHECK(message_at(problems(far), "config.match.column") == "the model has no column 'totally_different'");
}

TEST_CASE("hs_object_id or id can be the match property only in update mode", "[api][sync_validation]")
{
    for (const std::string mode : {"upsert", "insert"}) {
        for (const std::string prop : {"hs_object_id", "id"}) {
            auto body = object_sync();
            body["config"]["mode"] = mode;
            body["config"]["match"] = {{"column", "id"}, {"property", prop}};
            INFO(mode << " " << prop);
            CHECK(message_at(problems(body), "config.match.property") ==
                  "'" + prop + "' is set by HubSpot: matching on it is only possible in update mode; use a unique "
                               "property to " + mode);
        }
    }
    auto update = object_sync();
    update["config"]["mode"] = "update";
    update["config"]["match"] = {{"column", "id"}, {"property", "hs_object_id"}};
    const auto f = validate_sync(update, model);
    CHECK(f.config["match"] == json{{"column", "id"}, {"property", "hs_object_id"}});
    CHECK(f.config["mode"] == "update");
}

TEST_CASE("a property written twice is reported at the second mapping", "[api][sync_validation]")
{
    auto body = object_sync();
    body["config"]["mappings"][1]["property"] = "firstname";
    const auto d = problems(body);
    CHECK(d.size() == 1);
    CHECK(message_at(d, "config.mappings[1].property") == "property 'firstname' is already written by another mapping");

    // The match property counts as written.
    auto again = object_sync();
    again["config"]["mappings"][0]["property"] = "email";
    CHECK(message_at(problems(again), "config.mappings[0].property") ==
          "property 'email' is already written by another mapping");
}

TEST_CASE("read-only HubSpot properties cannot be mapped", "[api][sync_validation]")
{
    for (const std::string prop : {"hs_object_id", "id", "createdate", "hs_lastmodifieddate"}) {
        auto body = object_sync();
        body["config"]["mappings"][0]["property"] = prop;
        INFO(prop);
        CHECK(message_at(problems(body), "config.mappings[0].property") ==
              "'" + prop + "' is read-only in HubSpot and cannot be mapped");
    }
}

TEST_CASE("unknown fields are reported at every level with a suggestion", "[api][sync_validation]")
{
    auto body = object_sync();
    body["nmae"] = "typo";
    body["config"]["mapping"] = json::array();
    body["config"]["mappings"][0]["colum"] = "x";
    body["config"]["match"]["propery"] = "x";
    const auto d = problems(body);
    CHECK(message_at(d, "nmae") == "unknown field; did you mean 'name'?");
    CHECK(message_at(d, "config.mapping") == "unknown field; did you mean 'mappings'?");
    CHECK(message_at(d, "config.mappings[0].colum") == "unknown field; did you mean 'column'?");
    CHECK(message_at(d, "config.match.propery") == "unknown field; did you mean 'property'?");
    CHECK(d.size() == 4);

    auto event = event_sync();
    event["config"]["contact"]["bye"] = "email";
    CHECK(message_at(problems(event), "config.contact.bye") == "unknown field; did you mean 'by'?");

    auto list = list_sync();
    list["config"]["name"] = "x";
    CHECK(message_at(problems(list), "config.name").rfind("unknown field", 0) == 0);
}

TEST_CASE("missing required fields are all reported at once", "[api][sync_validation]")
{
    const auto d = problems(json::object());
    for (const char* path : {"name", "model_id", "destination_id", "type", "config"}) CHECK(message_at(d, path) == "is required");
    CHECK(d.size() == 5);

    auto cfg = object_sync();
    cfg["config"] = json::object();
    const auto c = problems(cfg);
    CHECK(message_at(c, "config.object") == "is required");
    CHECK(message_at(c, "config.mode") == "is required");
    CHECK(message_at(c, "config.match") == "is required");
}

TEST_CASE("interval schedules must be at least a minute", "[api][sync_validation]")
{
    auto body = object_sync();
    body["schedule"] = {{"type", "interval"}, {"every_seconds", 59}};
    CHECK(message_at(problems(body), "schedule.every_seconds") == "must be between 60 and 2678400");

    body["schedule"] = {{"type", "interval"}, {"every_seconds", 31 * 24 * 3600 + 1}};
    CHECK(message_at(problems(body), "schedule.every_seconds") == "must be between 60 and 2678400");

    body["schedule"] = {{"type", "interval"}};
    CHECK(message_at(problems(body), "schedule.every_seconds") == "is required");

    body["schedule"] = {{"type", "interval"}, {"every_seconds", "3600"}};
    CHECK(message_at(problems(body), "schedule.every_seconds") == "must be an integer, not a string");
}

TEST_CASE("a bad cron expression is reported at schedule.expression with the parser's message", "[api][sync_validation]")
{
    auto body = object_sync();
    body["schedule"] = {{"type", "cron"}, {"expression", "61 * * * *"}};
    const auto message = message_at(problems(body), "schedule.expression");
    CHECK(message.find("minute") != std::string::npos);
    CHECK(message.find("61") != std::string::npos);

    body["schedule"] = {{"type", "cron"}, {"expression", "* * *"}};
    CHECK_FALSE(message_at(problems(body), "schedule.expression").empty());

    body["schedule"] = {{"type", "cron"}};
    CHECK(message_at(problems(body), "schedule.expression") == "is required");
}

TEST_CASE("a schedule has a known type and only its own fields", "[api][sync_validation]")
{
    auto body = object_sync();
    body["schedule"] = {{"type", "weekly"}};
    CHECK(message_at(problems(body), "schedule.type") == "must be one of: manual, interval, cron");

    body["schedule"] = {{"type", "manual"}, {"every_seconds", 60}};
    CHECK(message_at(problems(body), "schedule.every_seconds").rfind("unknown field", 0) == 0);

    body["schedule"] = {{"type", "interval"}, {"every_seconds", 60}, {"expression", "* * * * *"}};
    CHECK(message_at(problems(body), "schedule.expression").rfind("unknown field", 0) == 0);

    body["schedule"] = "hourly";
    CHECK(message_at(problems(body), "schedule") == "must be an object, not a string");
}

TEST_CASE("an event sync identifies contacts by email, object_id or utk", "[api][sync_validation]")
{
    auto body = event_sync();
    body["config"]["contact"]["by"] = "mail";
    CHECK(message_at(problems(body), "config.contact.by") == "must be one of: email, object_id, utk");

    auto missing = event_sync();
    missing["config"].erase("contact");
    CHECK(message_at(problems(missing), "config.contact") == "is required");

    auto bad_name = event_sync();
    bad_name["config"]["event_name"] = "signed up!";
    CHECK(message_at(problems(bad_name), "config.event_name") ==
          "must be the event's internal name, e.g. pe123456_signed_up");

    auto bad_occurred = event_sync();
    bad_occurred["config"]["occurred_at_column"] = "signed_up";
    CHECK(message_at(problems(bad_occurred), "config.occurred_at_column") ==
          "the model has no column 'signed_up'; did you mean 'signed_up_at'?");
}

TEST_CASE("a list sync matches by email or contact_id", "[api][sync_validation]")
{
    auto body = list_sync();
    body["config"]["match"]["by"] = "object_id";
    CHECK(message_at(problems(body), "config.match.by") == "must be one of: email, contact_id");

    auto column = list_sync();
    column["config"]["match"]["column"] = "emial";
    CHECK(message_at(problems(column), "config.match.column") ==
          "the model has no column 'emial'; did you mean 'email'?");
}

TEST_CASE("wrong types are reported with what was sent", "[api][sync_validation]")
{
    auto body = object_sync();
    body["name"] = 5;
    body["model_id"] = "1";
    body["destination_id"] = 0;
    body["type"] = "contact";
    body["enabled"] = "yes";
    const auto d = problems(body);
    CHECK(message_at(d, "name") == "must be a string, not an integer");
    CHECK(message_at(d, "model_id") == "must be an integer, not a string");
    CHECK(message_at(d, "destination_id") == "must be between 1 and 9223372036854775807");
    CHECK(message_at(d, "type") == "must be one of: object, event, list");
    CHECK(message_at(d, "enabled") == "must be a boolean, not a string");

    auto cfg = object_sync();
    cfg["config"] = json::array();
    CHECK(message_at(problems(cfg), "config") == "must be an object, not an array");

    auto maps = object_sync();
    maps["config"]["mappings"] = {{"column", "email"}};
    CHECK(message_at(problems(maps), "config.mappings") == "must be an array, not an object");

    auto entry = object_sync();
    entry["config"]["mappings"][1] = "last_name";
    CHECK(message_at(problems(entry), "config.mappings[1]") == "must be an object {\"column\", \"property\"}");

    auto prop = object_sync();
    prop["config"]["mappings"][0]["property"] = "first name";
    CHECK(message_at(problems(prop), "config.mappings[0].property") ==
          "is not a HubSpot property name (letters, digits, '_', '-', '.')");

    auto object = object_sync();
    object["config"]["object"] = "contacts!";
    CHECK(message_at(problems(object), "config.object").rfind("is not an object name", 0) == 0);

    auto mode = object_sync();
    mode["config"]["mode"] = "merge";
    CHECK(message_at(problems(mode), "config.mode") == "must be one of: upsert, update, insert");
}

TEST_CASE("association problems are reported at their index", "[api][sync_validation]")
{
    auto body = object_sync();
    body["config"]["associations"] = json::parse(R"([
        {"to_object": "companies", "match": {"column": "company_domain", "property": "domain"}},
        {"to_object": "companies", "type": 0, "match": {"column": "company_domain", "property": "domain"}},
        {"to_object": "bad name!", "match": {"column": "company_domain", "property": "domain"}},
        {"to_object": "companies", "match": {"column": "company", "property": "domain"}},
        "companies",
        {"to_object": "companies"}
    ])");
    const auto d = problems(body);
    CHECK(message_at(d, "config.associations[1].type") ==
          "must be \"default\", a label name or a positive association type id");
    CHECK(message_at(d, "config.associations[2].to_object") == "is not an object name");
    CHECK(message_at(d, "config.associations[3].match.column").rfind("the model has no column 'company'", 0) == 0);
    CHECK(message_at(d, "config.associations[4]") == "must be an object {\"to_object\", \"type\", \"match\"}");
    CHECK(message_at(d, "config.associations[5].match") == "is required");
    CHECK(d.size() == 5);
}

TEST_CASE("validate_sync_references reads the two ids", "[api][sync_validation]")
{
    const auto refs = validate_sync_references(object_sync());
    CHECK(refs.model_id == 1);
    CHECK(refs.destination_id == 2);
    try {
        validate_sync_references(json{{"model_id", -1}});
        FAIL("expected an error");
    } catch (const error& e) {
        CHECK(e.code() == errc::unprocessable);
        CHECK(message_at(e.details(), "model_id") == "must be between 1 and 9223372036854775807");
        CHECK(message_at(e.details(), "destination_id") == "is required");
    }
}
