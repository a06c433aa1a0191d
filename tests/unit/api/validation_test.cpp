#include "api/validation.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using namespace hubsync::api;
using hubsync::core::errc;
using hubsync::core::error;
using hubsync::core::error_detail;

// The core::error `f` throws; fails the test when it throws nothing or something else.
template <class F>
error
caught(F f)
{
    try {
        f();
    } catch (const error& e) {
        return e;
    }
    FAIL("expected a core::error");
    return error(errc::invalid_request, "unreachable");
}

std::string
nested(int depth, const std::string& open, const std::string& close, const std::string& inner = "1")
{
    std::string s;
    for (int i = 0; i < depth; ++i) s += open;
    s += inner;
    for (int i = 0; i < depth; ++i) s += close;
    return s;
}

bool
contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

//----------------------------------------------------------------------------------------------------------------------
// parse_body

TEST_CASE("parse_body rejects an empty or blank body", "[api][validation]")
{
    for (const std::string body : {"", " ", "\r\n\t "}) {
        auto e = caught([&] { parse_body(body); });
        CHECK(e.code() == errc::invalid_request);
        CHECK(std::string(e.what()) == "the request body is empty; send a JSON object");
    }
}

TEST_CASE("parse_body reports malformed JSON with the byte offset", "[api][validation]")
{
    auto e = caught([] { parse_body(R"({"a": })"); });
    CHECK(e.code() == errc::invalid_request);
    CHECK(std::string(e.what()) == "the request body is not valid JSON (at byte 7)");

    auto truncated = caught([] { parse_body(R"({"name": "x")"); });
    CHECK(truncated.code() == errc::invalid_request);
    CHECK(contains(truncated.what(), "not valid JSON (at byte "));

    auto trailing = caught([] { parse_body(R"({"a":1} x)"); });
    CHECK(trailing.code() == errc::invalid_request);
    CHECK(std::string(trailing.what()) == "the request body is not valid JSON (at byte 9)");
}

TEST_CASE("parse_body rejects a number too large for a double as invalid_request", "[api][validation]")
{
    auto e = caught([] { parse_body(R"({"a": 1e400})"); });
    CHECK(e.code() == errc::invalid_request);
    CHECK(std::string(e.what()) == "the request body is not usable JSON: a number is out of range");
}

TEST_CASE("parse_body requires a JSON object at the top level", "[api][validation]")
{
    CHECK(std::string(caught([] { parse_body("[1,2]"); }).what()) ==
          "the request body must be a JSON object, not an array");
    CHECK(std::string(caught([] { parse_body("\"x\""); }).what()) ==
          "the request body must be a JSON object, not a string");
    CHECK(std::string(caught([] { parse_body("42"); }).what()) ==
          "the request body must be a JSON object, not an integer");
    CHECK(std::string(caught([] { parse_body("1.5"); }).what()) ==
          "the request body must be a JSON object, not a number");
    CHECK(std::string(caught([] { parse_body("null"); }).what()) == "the request body must be a JSON object, not null");
    CHECK(std::string(caught([] { parse_body("true"); }).what()) ==
          "the request body must be a JSON object, not a boolean");
    CHECK(caught([] { parse_body("[]"); }).code() == errc::invalid_request);
}

TEST_CASE("parse_body refuses deep nesting with an error, not a crash", "[api][validation]")
{
    const auto deep_arrays = "{\"a\":" + nested(100, "[", "]") + "}";
    auto e = caught([&] { parse_body(deep_arrays); });
    CHECK(e.code() == errc::invalid_request);
    CHECK(std::string(e.what()) == "the request body nests deeper than 64 levels");

    const auto deep_objects = nested(100, "{\"a\":", "}");
    CHECK(caught([&] { parse_body(deep_objects); }).code() == errc::invalid_request);

    // Very deep and unterminated: still the depth error, long before the parser would recurse.
    const std::string bomb(100000, '[');
    CHECK(std::string(caught([&] { parse_body(bomb); }).what()) == "the request body nests deeper than 64 levels");

    CHECK(caught([&] { parse_body(nested(4, "{\"a\":", "}"), 3); }).code() == errc::invalid_request);
}

TEST_CASE("parse_body accepts nesting up to the limit and ignores brackets inside strings", "[api][validation]")
{
    const auto at_limit = nested(64, "{\"a\":", "}");
    CHECK(parse_body(at_limit).is_object());
    CHECK(parse_body(nested(3, "{\"a\":", "}"), 3).is_object());

    const std::string brackets_in_string = "{\"s\":\"" + std::string(200, '[') + "\\\"" + std::string(200, '{') + "\"}";
    const auto v = parse_body(brackets_in_string);
    CHECK(v["s"].get<std::string>().size() == 401);
}

TEST_CASE("parse_body returns the parsed object", "[api][validation]")
{
    const auto v = parse_body(R"( {"name":"x","n":3,"list":[1,{"b":null}]} )");
    CHECK(v == json{{"name", "x"}, {"n", 3}, {"list", {1, {{"b", nullptr}}}}});
}

//----------------------------------------------------------------------------------------------------------------------
// Paths and suggestions

TEST_CASE("join_path and index_path build the envelope's JSON paths", "[api][validation]")
{
    CHECK(join_path("", "name") == "name");
    CHECK(join_path("config", "mappings") == "config.mappings");
    CHECK(index_path("config.mappings", 1) == "config.mappings[1]");
    CHECK(join_path(index_path("config.mappings", 12), "column") == "config.mappings[12].column");
    CHECK(index_path("", 0) == "[0]");
}

TEST_CASE("did_you_mean suggests the closest plausible candidate", "[api][validation]")
{
    const std::vector<std::string> fields{"name", "model_id", "destination_id", "schedule", "enabled"};
    CHECK(did_you_mean("nmae", fields) == std::optional<std::string>("name"));
    CHECK(did_you_mean("modelid", fields) == std::optional<std::string>("model_id"));
    CHECK(did_you_mean("shedule", fields) == std::optional<std::string>("schedule"));
    CHECK(did_you_mean("NAME", fields) == std::optional<std::string>("name"));  // case does not count
    CHECK(did_you_mean("enable", fields) == std::optional<std::string>("enabled"));
    CHECK_FALSE(did_you_mean("completely_unrelated", fields).has_value());
    CHECK_FALSE(did_you_mean("xyzzy", fields).has_value());
    CHECK_FALSE(did_you_mean("name", {}).has_value());
    // The closest one wins, not the first one close enough.
    CHECK(did_you_mean("emial", {"email_2", "email"}) == std::optional<std::string>("email"));
}

//----------------------------------------------------------------------------------------------------------------------
// validator

TEST_CASE("validator::string reads strings and records path + message problems", "[api][validation]")
{
    const json body = {{"name", "ok"}, {"n", 5}, {"blank", "  \t"}, {"long", std::string(11, 'x')}, {"nul", nullptr}};
    validator v;
    CHECK(v.string(body, "", "name", true) == std::optional<std::string>("ok"));
    CHECK_FALSE(v.failed());

    CHECK_FALSE(v.string(body, "", "missing", false).has_value());
    CHECK_FALSE(v.failed());  // optional and absent is fine

    CHECK_FALSE(v.string(body, "", "missing", true));
    CHECK_FALSE(v.string(body, "cfg", "nul", true));  // null counts as absent
    CHECK_FALSE(v.string(body, "", "n", true));
    CHECK_FALSE(v.string(body, "", "blank", true));
    CHECK_FALSE(v.string(body, "", "long", true, 10));
    CHECK(v.string(body, "", "long", true, 11) == std::optional<std::string>(std::string(11, 'x')));

    const std::vector<std::pair<std::string, std::string>> want{
        {"missing", "is required"},
        {"cfg.nul", "is required"},
        {"n", "must be a string, not an integer"},
        {"blank", "must not be empty"},
        {"long", "must be at most 10 characters"},
    };
    REQUIRE(v.details().size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(v.details()[i].path == want[i].first);
        CHECK(v.details()[i].message == want[i].second);
    }
}

TEST_CASE("validator::integer checks type and inclusive range", "[api][validation]")
{
    const json body = {{"lo", 1},      {"hi", 10},       {"below", 0},     {"above", 11},
                       {"neg", -5},    {"float", 1.5},   {"str", "5"},     {"huge", 18446744073709551615ULL},
                       {"bool", true}, {"whole", 2.0}};
    validator v;
    CHECK(v.integer(body, "", "lo", true, 1, 10) == std::optional<std::int64_t>(1));
    CHECK(v.integer(body, "", "hi", true, 1, 10) == std::optional<std::int64_t>(10));
    CHECK(v.integer(body, "", "neg", true, -10, 10) == std::optional<std::int64_t>(-5));
    CHECK_FALSE(v.failed());

    CHECK_FALSE(v.integer(body, "x", "below", true, 1, 10));
    CHECK_FALSE(v.integer(body, "x", "above", true, 1, 10));
    CHECK_FALSE(v.integer(body, "x", "float", true, 1, 10));
    CHECK_FALSE(v.integer(body, "x", "str", true, 1, 10));
    CHECK_FALSE(v.integer(body, "x", "huge", true, 1, std::numeric_limits<std::int64_t>::max()));
    CHECK_FALSE(v.integer(body, "x", "bool", true, 0, 1));
    CHECK_FALSE(v.integer(body, "x", "whole", true, 0, 10));
    CHECK_FALSE(v.integer(body, "x", "absent", true, 0, 10));

    const std::vector<std::pair<std::string, std::string>> want{
        {"x.below", "must be between 1 and 10"},
        {"x.above", "must be between 1 and 10"},
        {"x.float", "must be an integer, not a number"},
        {"x.str", "must be an integer, not a string"},
        {"x.huge", "must be between 1 and 9223372036854775807"},
        {"x.bool", "must be an integer, not a boolean"},
        {"x.whole", "must be an integer, not a number"},
        {"x.absent", "is required"},
    };
    REQUIRE(v.details().size() == want.size());
    for (std::size_t i = 0; i < want.size(); ++i) {
        CHECK(v.details()[i].path == want[i].first);
        CHECK(v.details()[i].message == want[i].second);
    }
}

TEST_CASE("validator::boolean, object and array check their types", "[api][validation]")
{
    const json body = {{"b", false}, {"o", {{"k", 1}}}, {"a", {1, 2}}, {"s", "x"}};
    validator v;
    CHECK(v.boolean(body, "", "b", true) == std::optional<bool>(false));
    CHECK(v.object(body, "", "o", true) == &body["o"]);
    CHECK(v.array(body, "", "a", true) == &body["a"]);
    CHECK(v.object(body, "", "none", false) == nullptr);
    CHECK_FALSE(v.failed());

    CHECK_FALSE(v.boolean(body, "", "s", true));
    CHECK(v.object(body, "", "a", true) == nullptr);
    CHECK(v.array(body, "", "o", true) == nullptr);
    CHECK(v.array(body, "", "none", true) == nullptr);
    REQUIRE(v.details().size() == 4);
    CHECK(v.details()[0].path == "s");
    CHECK(v.details()[0].message == "must be a boolean, not a string");
    CHECK(v.details()[1].path == "a");
    CHECK(v.details()[1].message == "must be an object, not an array");
    CHECK(v.details()[2].path == "o");
    CHECK(v.details()[2].message == "must be an array, not an object");
    CHECK(v.details()[3].path == "none");
    CHECK(v.details()[3].message == "is required");
}

TEST_CASE("validator::one_of accepts only the listed values", "[api][validation]")
{
    const json body = {{"mode", "upsert"}, {"bad", "UPSERT"}, {"n", 1}};
    validator v;
    CHECK(v.one_of(body, "config", "mode", true, {"upsert", "update"}) == std::optional<std::string>("upsert"));
    CHECK_FALSE(v.one_of(body, "config", "bad", true, {"upsert", "update", "insert"}));
    CHECK_FALSE(v.one_of(body, "config", "n", true, {"upsert"}));
    REQUIRE(v.details().size() == 2);
    CHECK(v.details()[0].path == "config.bad");
    CHECK(v.details()[0].message == "must be one of: upsert, update, insert");
    CHECK(v.details()[1].path == "config.n");
    CHECK(v.details()[1].message == "must be a string, not an integer");
}

TEST_CASE("validator::only flags unknown fields with a suggestion", "[api][validation]")
{
    const json body = {{"name", "x"}, {"nmae", "y"}, {"zzzzzzzz", 1}};
    validator v;
    v.only(body, "", {"name", "type", "config"});
    REQUIRE(v.details().size() == 2);
    CHECK(v.details()[0].path == "nmae");
    CHECK(v.details()[0].message == "unknown field; did you mean 'name'?");
    CHECK(v.details()[1].path == "zzzzzzzz");
    CHECK(v.details()[1].message == "unknown field");

    validator nested_v;
    nested_v.only(json{{"colum", "a"}}, "config.mappings[1]", {"column", "property"});
    REQUIRE(nested_v.details().size() == 1);
    CHECK(nested_v.details()[0].path == "config.mappings[1].colum");
    CHECK(nested_v.details()[0].message == "unknown field; did you mean 'column'?");

    validator not_object;
    not_object.only(json::array({1}), "", {"a"});
    CHECK_FALSE(not_object.failed());
}

TEST_CASE("throw_if_failed throws unprocessable with every detail", "[api][validation]")
{
    validator ok;
    CHECK_NOTHROW(ok.throw_if_failed());

    validator one;
    one.fail("config.object", "is required");
    auto e1 = caught([&] { one.throw_if_failed(); });
    CHECK(e1.code() == errc::unprocessable);
    CHECK(std::string(e1.what()) == "config.object: is required");
    REQUIRE(e1.details().size() == 1);
    CHECK(e1.details()[0].path == "config.object");

    validator pathless;
    pathless.fail("", "the body must not be empty");
    CHECK(std::string(caught([&] { pathless.throw_if_failed(); }).what()) == "the body must not be empty");

    validator two;
    two.fail("a", "x");
    two.fail("b", "y");
    auto e2 = caught([&] { two.throw_if_failed("sync is invalid"); });
    CHECK(e2.code() == errc::unprocessable);
    CHECK(std::string(e2.what()) == "sync is invalid");
    REQUIRE(e2.details().size() == 2);
    CHECK(e2.details()[1].path == "b");
    CHECK(e2.details()[1].message == "y");
}

//----------------------------------------------------------------------------------------------------------------------
// merge_patch: RFC 7386 Appendix A, row by row

TEST_CASE("merge_patch follows the RFC 7386 Appendix A examples", "[api][validation]")
{
    struct example {
        const char* original;
        const char* patch;
        const char* result;
    };
    const example examples[] = {
        {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
        {R"({"a":"b"})", R"({"a":null})", R"({})"},
        {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
        {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
        {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
        {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
        {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
        {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
        {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
        {R"({"a":"foo"})", R"(null)", R"(null)"},
        {R"({"a":"foo"})", R"("bar")", R"("bar")"},
        {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
        {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
        {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
    };
    for (const auto& ex : examples) {
        json target = json::parse(ex.original);
        merge_patch(target, json::parse(ex.patch));
        INFO(ex.original << " + " << ex.patch);
        CHECK(target == json::parse(ex.result));
    }
}

TEST_CASE("merge_patch applies the RFC 7386 section 3 example", "[api][validation]")
{
    json target = json::parse(R"({
        "title": "Goodbye!",
        "author": {"givenName": "John", "familyName": "Doe"},
        "tags": ["example", "sample"],
        "content": "This will be unchanged"
    })");
    merge_patch(target, json::parse(R"({
        "title": "Hello!",
        "phoneNumber": "+01-123-456-7890",
        "author": {"familyName": null},
        "tags": ["example"]
    })"));
    CHECK(target == json::parse(R"({
        "title": "Hello!",
        "author": {"givenName": "John"},
        "tags": ["example"],
        "content": "This will be unchanged",
        "phoneNumber": "+01-123-456-7890"
    })"));
}
