#include "api/http_types.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <string>

namespace {

using hubsync::api::parse_target;
using query_map = std::map<std::string, std::string>;

struct parsed {
    bool ok = false;
    std::string path;
    query_map query;
};

parsed
parse(std::string_view target)
{
    parsed p;
    p.ok = parse_target(target, p.path, p.query);
    return p;
}

}  // namespace

TEST_CASE("parse_target splits off the path when there is no query", "[api][http_types]")
{
    auto p = parse("/v1/syncs");
    CHECK(p.ok);
    CHECK(p.path == "/v1/syncs");
    CHECK(p.query.empty());

    auto root = parse("/");
    CHECK(root.ok);
    CHECK(root.path == "/");
}

TEST_CASE("parse_target decodes query parameters", "[api][http_types]")
{
    auto p = parse("/v1/x?a=1&b=%20&c=hello+world&d=a%2Bb&e=%e2%82%AC");
    REQUIRE(p.ok);
    CHECK(p.path == "/v1/x");
    CHECK(p.query == query_map{{"a", "1"}, {"b", " "}, {"c", "hello world"}, {"d", "a+b"}, {"e", "\xe2\x82\xac"}});
}

TEST_CASE("parse_target decodes keys, keeps '=' in values and lets the last value win", "[api][http_types]")
{
    auto p = parse("/x?my+key=1&sp%61ce=2&expr=a=b&a=1&a=2&flag");
    REQUIRE(p.ok);
    CHECK(p.query == query_map{{"my key", "1"}, {"space", "2"}, {"expr", "a=b"}, {"a", "2"}, {"flag", ""}});
}

TEST_CASE("parse_target skips empty pairs", "[api][http_types]")
{
    auto p = parse("/x?&&a=1&&b=2&");
    REQUIRE(p.ok);
    CHECK(p.query == query_map{{"a", "1"}, {"b", "2"}});

    auto empty = parse("/x?");
    REQUIRE(empty.ok);
    CHECK(empty.path == "/x");
    CHECK(empty.query.empty());
}

TEST_CASE("parse_target decodes %-escapes in the path but keeps + literally there", "[api][http_types]")
{
    auto p = parse("/v1/models/my%20model/a+b%41%7e");
    REQUIRE(p.ok);
    CHECK(p.path == "/v1/models/my model/a+bA~");
}

TEST_CASE("parse_target rejects malformed escapes in the path and the query", "[api][http_types]")
{
    for (const char* target : {"/%", "/%4", "/%zz", "/%4g", "/%g4", "/x%", "/x%2", "/x?a=%", "/x?a=%4", "/x?a=%zz",
                               "/x?%=1", "/x?%4=1", "/x?%zz=1", "/x?a=1&b=%", "/x?a=%%41"}) {
        INFO(target);
        CHECK_FALSE(parse(target).ok);
    }
}

TEST_CASE("parse_target accepts an escape that ends exactly at the end of the input", "[api][http_types]")
{
    auto p = parse("/a%41");
    REQUIRE(p.ok);
    CHECK(p.path == "/aA");
    auto q = parse("/x?k=%41");
    REQUIRE(q.ok);
    CHECK(q.query == query_map{{"k", "A"}});
    auto key = parse("/x?%41");
    REQUIRE(key.ok);
    CHECK(key.query == query_map{{"A", ""}});
}
