// Hostile and careless input: every request gets a precise 4xx, the daemon survives, stored definitions stay.
#include "tests/support/daemon_fixture.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::test;
using nlohmann::json;

TEST_CASE("bad input never crashes the daemon nor changes stored definitions", "[pg][api][bad-input]")
{
    daemon_fixture f(env_map{{"HUBSYNC_MAX_BODY_BYTES", "65536"}});
    auto source = f.create_demo_source();
    auto model = f.create_contacts_model(source);
    auto destination = f.create_destination();
    auto snapshot = [&] {
        return f.api("GET", "/v1/sources").body + f.api("GET", "/v1/models").body + f.api("GET", "/v1/destinations").body +
               f.api("GET", "/v1/syncs").body;
    };
    auto before = snapshot();
    auto sid = std::to_string(source);

    struct bad_case {
        std::string method, target, body;
        int status;
        std::string code;
    };
    std::vector<bad_case> cases = {
        {"POST", "/v1/sources", "", 400, "invalid_request"},
        {"POST", "/v1/sources", "{\"name\":", 400, "invalid_request"},
        {"POST", "/v1/sources", "[1,2,3]", 400, "invalid_request"},
        {"POST", "/v1/sources", "\"just a string\"", 400, "invalid_request"},
        {"POST", "/v1/sources", std::string(10000, '[') + std::string(10000, ']'), 400, "invalid_request"},
        {"POST", "/v1/sources", "{\"name\":\"\\ud800\"}", 400, "invalid_request"},
        {"POST", "/v1/sources", "{\"name\":\"bad \xff byte\",\"type\":\"postgres\",\"config\":{}}", 400, "invalid_request"},
        {"POST", "/v1/sources", "{\"name\xc3\":1}", 400, "invalid_request"},
        {"GET", "/v1/sources/\xff", "", 404, "not_found"},
        {"POST", "/v1/sources", "{\"name\":5,\"type\":[],\"config\":\"x\"}", 422, "validation_failed"},
        {"POST", "/v1/models", "{\"name\":\"m\",\"source_id\":-1,\"sql\":\"SELECT 1\",\"primary_key\":\"x\"}", 422, "validation_failed"},
        {"POST", "/v1/models", "{\"name\":\"m\",\"source_id\":1e400,\"sql\":\"SELECT 1\",\"primary_key\":\"x\"}", 400, "invalid_request"},
        {"POST", "/v1/models", "{\"name\":\"m\",\"source_id\":18446744073709551615,\"sql\":\"SELECT 1\",\"primary_key\":\"x\"}", 422, "validation_failed"},
        {"PATCH", "/v1/sources/" + sid, "{\"name\":null}", 422, "validation_failed"},
        {"PATCH", "/v1/sources/" + sid, "{\"id\":99}", 422, "validation_failed"},
        {"PATCH", "/v1/models/" + std::to_string(model), "{\"primary_key\":\"nope\"}", 422, "validation_failed"},
        {"PATCH", "/v1/destinations/" + std::to_string(destination), "{\"type\":\"salesforce\"}", 422, "validation_failed"},
        {"GET", "/v1/sources/abc", "", 404, "not_found"},
        {"GET", "/v1/sources/0", "", 404, "not_found"},
        {"GET", "/v1/sources/99999999999999999999999", "", 404, "not_found"},
        {"GET", "/v1/models/424242", "", 404, "not_found"},
        {"PATCH", "/v1/syncs/424242", "{}", 404, "not_found"},
        {"DELETE", "/v1/destinations/424242", "", 404, "not_found"},
        {"POST", "/v1/models/424242/preview", "", 404, "not_found"},
        {"GET", "/v1/unknown", "", 404, "not_found"},
        {"PUT", "/v1/sources/" + sid, "{}", 405, "method_not_allowed"},
        {"GET", "/v1/sources/%zz", "", 400, "invalid_request"},
        {"POST", "/v1/sources", std::string(70000, ' '), 413, "payload_too_large"},
    };
    for (const auto& c : cases) {
        INFO(c.method << " " << c.target << " " << c.body.substr(0, 80));
        auto r = f.api(c.method, c.target, c.body);
        CHECK(r.status == c.status);
        REQUIRE_NOTHROW(r.json());
        CHECK(r.json()["error"]["code"] == c.code);
        CHECK(!r.json()["error"]["message"].get<std::string>().empty());
        CHECK(r.header("content-type") == "application/json");
    }
    CHECK(f.process().running());
    CHECK(snapshot() == before);
}
