#include "hubspot/api_error.hpp"
#include "hubspot/batch_answer_scan.hpp"
#include "hubspot/failure.hpp"
#include "hubspot/oauth.hpp"
#include "hubspot/objects_api.hpp"
#include "hubspot/paths.hpp"
#include "hubspot/transport.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::hubspot;

TEST_CASE("every HubSpot error shape is parsed", "[hubspot][errors]")
{
    SECTION("validation error with an embedded property problem")
    {
        auto e = parse_error(400, R"({"status":"error","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"Property \\\"testproperty\\\" does not exist\",\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"testproperty\"}]","correlationId":"8a3f","errors":[{"message":"Property \"testproperty\" does not exist","code":"PROPERTY_DOESNT_EXIST","context":{"propertyName":["testproperty"]}}],"category":"VALIDATION_ERROR"})");
        CHECK(e.category == "VALIDATION_ERROR");
        CHECK(e.correlation_id == "8a3f");
        REQUIRE(e.inputs.size() == 1);
        CHECK(e.inputs[0].code == "PROPERTY_DOESNT_EXIST");
        CHECK(e.inputs[0].message == "Property \"testproperty\" does not exist");
        CHECK(std::find(e.inputs[0].properties.begin(), e.inputs[0].properties.end(), "testproperty") != e.inputs[0].properties.end());
    }
    SECTION("409 conflict names the existing record")
    {
        auto e = parse_error(409, R"({"status":"error","message":"Contact already exists. Existing ID: 37765128953","correlationId":"2dea","category":"CONFLICT"})");
        CHECK(e.category == "CONFLICT");
        CHECK(e.existing_id == "37765128953");
    }
    SECTION("missing scopes")
    {
        auto e = parse_error(403, R"({"status":"error","message":"This app hasn't been granted all required scopes","errors":[{"message":"One or more of the following scopes are required.","context":{"requiredGranularScopes":["crm.objects.deals.read","crm.objects.deals.write"]}}],"category":"MISSING_SCOPES"})");
        CHECK(e.required_scopes == std::vector<std::string>{"crm.objects.deals.read", "crm.objects.deals.write"});
        CHECK(api_error(e).missing_scopes());
    }
    SECTION("429 bodies carry errorType and policyName instead of category")
    {
        auto e = parse_error(429, R"({"status":"error","message":"You have reached your ten_secondly_rolling limit.","errorType":"RATE_LIMIT","correlationId":"20f9","policyName":"TEN_SECONDLY_ROLLING","groupName":"publicapi:x"})");
        CHECK(e.category == "RATE_LIMIT");
        CHECK(e.policy_name == "TEN_SECONDLY_ROLLING");
    }
    SECTION("OAuth token errors")
    {
        auto e = parse_error(400, R"({"error":"invalid_grant","error_description":"refresh token is invalid, expired or revoked","status":"BAD_REFRESH_TOKEN","message":"refresh token is invalid, expired or revoked"})");
        CHECK(e.oauth_error == "invalid_grant");
        CHECK(e.oauth_status == "BAD_REFRESH_TOKEN");
    }
    SECTION("207 batch errors map back to their inputs by trace id, or list missing ids")
    {
        auto batch = nlohmann::json::parse(R"({"status":"COMPLETE","results":[{"id":"1"}],"numErrors":2,"errors":[
            {"status":"error","category":"VALIDATION_ERROR","message":"Property values were not valid: [{\"isValid\":false,\"message\":\"x was not one of the allowed options\",\"error\":\"INVALID_OPTION\",\"name\":\"lifecyclestage\"}]","context":{"objectWriteTraceId":["row-7"]}},
            {"status":"error","category":"OBJECT_NOT_FOUND","message":"Could not get some CONTACT objects","context":{"ids":["999","1000"]}}]})");
        auto errors = parse_batch_errors(batch);
        REQUIRE(errors.size() == 2);
        CHECK(errors[0].trace_id == "row-7");
        CHECK(errors[0].code == "INVALID_OPTION");
        CHECK(errors[0].properties == std::vector<std::string>{"lifecyclestage"});
        CHECK(errors[1].category == "OBJECT_NOT_FOUND");
        CHECK(errors[1].ids == std::vector<std::string>{"999", "1000"});
    }
    SECTION("a body that is not JSON")
    {
        auto e = parse_error(502, "<html>Bad gateway</html>");
        CHECK(e.message == "<html>Bad gateway</html>");
        CHECK(parse_error(503, "").message == "HTTP 503 with an empty body");
    }
}

TEST_CASE("a batch answer keeps only the record properties asked for", "[hubspot][objects]")
{
    // "properties" also appears outside results[] (and a property may be named like a record field): only records'
    // properties are filtered.
    const std::string body = R"({"status":"COMPLETE","results":[
        {"id":"11","new":true,"properties":{"email":"a@x.io","firstname":"A","properties":"p","id":"x"}},
        {"id":"12","new":false,"properties":{"firstname":"B","email":"b@x.io"}}],
        "numErrors":1,"errors":[{"status":"error","category":"VALIDATION_ERROR","message":"bad",
        "context":{"objectWriteTraceId":["3"],"properties":["email"]}}]})";
    auto all = parse_batch(207, body);
    REQUIRE(all.results.size() == 2);
    CHECK(all.results[0].properties.size() == 4);

    auto some = parse_batch(207, body, std::vector<std::string>{"email"});
    REQUIRE(some.results.size() == 2);
    CHECK(some.results[0].id == "11");
    CHECK(some.results[0].created == true);
    CHECK(some.results[0].properties == std::map<std::string, std::string>{{"email", "a@x.io"}});
    CHECK(some.results[1].properties == std::map<std::string, std::string>{{"email", "b@x.io"}});
    CHECK(some.results[1].created == false);
    REQUIRE(some.errors.size() == 1);
    CHECK(some.errors[0].trace_id == "3");

    auto none = parse_batch(200, body, std::vector<std::string>{});
    REQUIRE(none.results.size() == 2);
    CHECK(none.results[1].id == "12");
    CHECK(none.results[1].properties.empty());
}

TEST_CASE("the batch answer scanner reads what the JSON parser reads, or declines", "[hubspot][objects]")
{
    const std::vector<std::string> keep{"email", "domain"};
    // The general parser's records, filtered: what every answer must come out as.
    auto reference = [&](const std::string& body) {
        auto all = parse_batch(200, body);
        for (auto& r : all.results)
            for (auto it = r.properties.begin(); it != r.properties.end();)
                it = std::find(keep.begin(), keep.end(), it->first) == keep.end() ? r.properties.erase(it) : ++it;
        return all.results;
    };
    auto same = [](const std::vector<record>& a, const std::vector<record>& b) {
        if (a.size() != b.size()) return false;
        for (std::size_t i = 0; i < a.size(); ++i)
            if (a[i].id != b[i].id || a[i].properties != b[i].properties || a[i].created != b[i].created) return false;
        return true;
    };
    struct sample {
        std::string body;
        bool scanned;  // the fast path takes it
    };
    const std::vector<sample> samples = {
        {R"({"status":"COMPLETE","results":[{"id":"1","properties":{"email":"a@x.io","n":"1"},"new":true,
             "createdAt":"2026-01-01T00:00:00Z","archived":false,"propertiesWithHistory":{"x":[{"value":"v"}]}}],
             "startedAt":"t","completedAt":"t"})", true},
        {R"({"results":[{"id":"2","properties":{"email":"ü@ß.de","other":"q\"uote\\d \u00e9","domain":null}},
             {"id":"3","properties":{}} , {"id":"4"}], "n": -1.5e3, "o": [true, false, null, {"a": []}]})", true},
        {R"( { "results" : [ ] } )", true},
        {R"({"results":[{"id":"5","properties":{"email":"esc\u0040aped@x.io"}}]})", false},
        {R"({"results":[{"id":6,"properties":{"email":"num@x.io"}}]})", false},
        {R"({"results":[{"id":"7","properties":{"email":"a@x.io"}}],"numErrors":1,"errors":[{"status":"error",
             "category":"VALIDATION_ERROR","message":"m","context":{"objectWriteTraceId":["1"]}}]})", false},
        {R"({"results":[{"id":"8","properties":{"email":"a@x.io"}}])", false},
        {R"({"results":[{"id":"9","properties":{"email":"a@x.io"}}]} trailing)", false},
        {R"({"results":[{"id":"10"}],"results":[{"id":"11"}]})", false},
        {R"({"results":[{"id":"12","id":"13"}]})", false},
        {R"({"results":[{"id":"14","properties":{"email":"a@x.io","email":"b@x.io"}}]})", false},
        {R"({"results":[{"id":"15","properties":{"email":"a@x.io","email":null}}]})", false},
        {R"({"results":[{"id":"16","properties":{"email":"a@x.io"},"properties":{"domain":"x.io"}}]})", false},
        {R"({"results":[{"id":"17","n":1.2.3}]})", false},
        {R"({"results":[{"id":"18","n":-}]})", false},
        {R"({"results":[{"id":"19","n":01}]})", false},
        {R"({"results":[{"id":"20","s":"bad \q escape"}]})", false},
        {R"({"results":[{"id":"21","s":"\u12"}]})", false},
        {R"({"results":[{"id":"22","n":-0.5e+10,"m":0,"s":"ok \u00e9 \/ \n"}]})", true},
        {"", false},
    };
    for (const auto& s : samples) {
        INFO(s.body);
        std::vector<record> scanned;
        CHECK(scan_batch_results(s.body, keep, scanned) == s.scanned);
        if (s.scanned) CHECK(same(scanned, reference(s.body)));
        CHECK(same(parse_batch(200, s.body, keep).results, reference(s.body)));
    }
    CHECK(parse_batch(200, samples[3].body, keep).results.at(0).properties.at("email") == "esc@aped@x.io");
    CHECK(parse_batch(207, samples[5].body, keep).errors.size() == 1);
}

TEST_CASE("batch bodies are written as nlohmann would dump them", "[hubspot][objects]")
{
    const std::vector<std::string> values = {"plain", "", "quote \" and \\ backslash", "tab\tnew\nline\x01",
                                             "ünïcödé ✓", "bad \xff utf-8", "del \x7f", "{\"json\":1}"};
    std::vector<batch_input> inputs;
    for (std::size_t i = 0; i < values.size(); ++i) {
        batch_input in;
        in.trace_id = std::to_string(i);
        in.properties = {{"firstname", values[i]}, {"zeta \"key\"", values[(i + 1) % values.size()]},
                         {"cleared", nullptr}, {"n", 3}};
        if (i % 2) {
            in.id = values[i];
            in.id_property = "email";
        }
        inputs.push_back(std::move(in));
    }
    nlohmann::json tree = nlohmann::json::array();
    for (const auto& in : inputs) {
        nlohmann::json j = {{"properties", in.properties}, {"objectWriteTraceId", in.trace_id}};
        if (in.id) j["id"] = *in.id;
        if (in.id_property) j["idProperty"] = *in.id_property;
        tree.push_back(j);
    }
    auto body = batch_inputs_body(inputs);
    // Same document, and the same bytes except for member order (ours: properties first).
    CHECK(nlohmann::json::parse(body) ==
          nlohmann::json::parse(nlohmann::json({{"inputs", tree}}).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        auto props = inputs[i].properties.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
        CHECK(body.find("{\"properties\":" + props + ",\"objectWriteTraceId\":\"" + std::to_string(i) + "\"") !=
              std::string::npos);
    }
}

TEST_CASE("failed HubSpot calls are described for the person who acts on them", "[hubspot][errors]")
{
    using k = failure::kind;
    auto describe = [](auto err) { return describe_failure(std::make_exception_ptr(err), "reading the schema"); };
    auto f = describe(api_error(parse_error(401, R"({"status":"error","message":"bad token","category":"INVALID_AUTHENTICATION"})")));
    CHECK(f.what == k::rejected_credentials);
    CHECK(f.message == "HubSpot rejected the destination's credentials while reading the schema: bad token");
    f = describe(api_error(parse_error(403, R"({"status":"error","message":"nope","category":"MISSING_SCOPES",
        "errors":[{"message":"m","context":{"requiredGranularScopes":["crm.schemas.contacts.read"]}}]})")));
    CHECK(f.what == k::missing_scope);
    CHECK(f.message.find("lacks the scope crm.schemas.contacts.read needed for reading the schema") != std::string::npos);
    CHECK(describe(api_error(parse_error(503, "{}"))).what == k::unavailable);
    CHECK(describe(api_error(parse_error(429, "{}"))).what == k::unavailable);
    f = describe(api_error(parse_error(400, R"({"message":"bad input","category":"VALIDATION_ERROR"})")));
    CHECK(f.what == k::refused);
    CHECK(f.message == "HubSpot refused reading the schema (400): bad input");
    CHECK(describe(transport_error("timeout", "read", true)).what == k::unavailable);
    CHECK(describe(daily_limit_reached("2026-11-28T00:00:00Z")).what == k::unavailable);
    CHECK(describe(reauthorization_required()).what == k::reauthorization_required);
    f = describe(std::runtime_error("the state database is unavailable"));
    CHECK(f.what == k::not_hubspot);
    CHECK(f.message == "the state database is unavailable");
}

TEST_CASE("API version paths", "[hubspot][paths]")
{
    api_paths v3("v3");
    CHECK(v3.object_batch("contacts", "upsert") == "/crm/v3/objects/contacts/batch/upsert");
    CHECK(v3.association_batch("contacts", "companies", "create") == "/crm/v4/associations/contacts/companies/batch/create");
    CHECK(v3.schemas() == "/crm-object-schemas/v3/schemas");
    api_paths dated("2026-03");
    CHECK(dated.object_batch("2-123", "create") == "/crm/objects/2026-03/2-123/batch/create");
    CHECK(dated.properties("deals") == "/crm/properties/2026-03/deals");
    CHECK(dated.association_labels("contacts", "companies") == "/crm/associations/2026-03/contacts/companies/labels");
    CHECK(dated.lists() == "/crm/lists/2026-03");
    CHECK(v3.lists() == "/crm/v3/lists");
    CHECK(v3.event_send() == "/events/v3/send");
    CHECK(dated.event_send() == "/events/2026-03/send");
    CHECK(dated.event_send_batch() == "/events/2026-03/send/batch");
    CHECK(dated.event_definitions() == "/events/2026-03/event-definitions");
    CHECK(api_paths::valid_version("2026-03"));
    CHECK_FALSE(api_paths::valid_version("v4"));
    CHECK_FALSE(api_paths::valid_version("2026-3"));
    CHECK(encode_segment("p123_my cars") == "p123_my%20cars");
}

TEST_CASE("base URLs", "[hubspot][transport]")
{
    auto d = parse_base_url("https://api.hubapi.com");
    CHECK(d.tls);
    CHECK(d.host == "api.hubapi.com");
    CHECK(d.port == "443");
    auto e = parse_base_url("http://127.0.0.1:8090/prefix/");
    CHECK_FALSE(e.tls);
    CHECK(e.port == "8090");
    CHECK(e.path == "/prefix");
    CHECK_THROWS_AS(parse_base_url("ftp://x"), std::invalid_argument);
    CHECK_THROWS_AS(parse_base_url("http://"), std::invalid_argument);
    CHECK_THROWS_AS(parse_base_url("http://h:abc"), std::invalid_argument);
}
