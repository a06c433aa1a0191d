#include "core/dsn.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

namespace pg = hubsync::core;

bool
contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

}  // namespace

TEST_CASE("check_dsn accepts URL and keyword connection strings and reports a password", "[core][dsn]")
{
    auto url = pg::check_dsn("postgresql://alice:s3cr3t@db.example.com:5432/app?sslmode=require");
    CHECK(url.ok);
    CHECK(url.error.empty());
    CHECK(url.has_password);

    auto short_scheme = pg::check_dsn("postgres://alice@db.example.com/app");
    CHECK(short_scheme.ok);
    CHECK_FALSE(short_scheme.has_password);

    auto keywords = pg::check_dsn("host=db.example.com port=5432 dbname=app user=alice");
    CHECK(keywords.ok);
    CHECK_FALSE(keywords.has_password);

    auto keyword_password = pg::check_dsn("host=db.example.com dbname=app password='a b'");
    CHECK(keyword_password.ok);
    CHECK(keyword_password.has_password);

    auto query_password = pg::check_dsn("postgresql://db.example.com/app?password=s3cr3t");
    CHECK(query_password.ok);
    CHECK(query_password.has_password);

    // An empty password is no password.
    auto empty_password = pg::check_dsn("host=h password=''");
    CHECK(empty_password.ok);
    CHECK_FALSE(empty_password.has_password);
}

TEST_CASE("check_dsn returns libpq's reason, without a trailing newline, for bad strings", "[core][dsn]")
{
    auto unknown = pg::check_dsn("host=h bogus=1");
    CHECK_FALSE(unknown.ok);
    CHECK(contains(unknown.error, "invalid connection option \"bogus\""));
    CHECK(unknown.error.back() != '\n');

    auto no_equals = pg::check_dsn("just some words");
    CHECK_FALSE(no_equals.ok);
    CHECK(contains(no_equals.error, "missing \"=\""));
    CHECK(no_equals.error.back() != '\n');

    auto bad_query = pg::check_dsn("postgresql://h/db?foo=bar");
    CHECK_FALSE(bad_query.ok);
    CHECK(contains(bad_query.error, "invalid URI query parameter"));

    auto unterminated = pg::check_dsn("host=h password='abc");
    CHECK_FALSE(unterminated.ok);
    CHECK_FALSE(unterminated.error.empty());
    CHECK_FALSE(unterminated.has_password);
}

TEST_CASE("redact_dsn masks the password of a URL", "[core][dsn]")
{
    CHECK(pg::redact_dsn("postgresql://alice:s3cr3t@db.example.com:5432/app") ==
          "postgresql://alice:********@db.example.com:5432/app");
    CHECK(pg::redact_dsn("postgres://alice:s3cr3t@db.example.com/app?sslmode=require") ==
          "postgres://alice:********@db.example.com/app?sslmode=require");
    CHECK(pg::redact_dsn("postgresql://alice:s3cr3t@db.example.com") == "postgresql://alice:********@db.example.com");
    CHECK(pg::redact_dsn("postgresql://alice:s3cr3t@h1:5432,h2:5433/app") ==
          "postgresql://alice:********@h1:5432,h2:5433/app");
}

TEST_CASE("redact_dsn leaves a URL without a password unchanged", "[core][dsn]")
{
    for (const std::string dsn : {"postgresql://alice@db.example.com:5432/app", "postgresql://db.example.com:5432/app",
                                  "postgresql://db.example.com/app?sslmode=require", "postgresql:///app",
                                  "postgres://alice@[::1]:5432/app"}) {
        CHECK(pg::redact_dsn(dsn) == dsn);
    }
}

TEST_CASE("redact_dsn masks percent-encoded and special-character URL passwords", "[core][dsn]")
{
    // libpq decodes "p%40ss%2Fw%3Ard" to "p@ss/w:rd".
    const auto redacted = pg::redact_dsn("postgresql://alice:p%40ss%2Fw%3Ard@db.example.com/app");
    CHECK(redacted == "postgresql://alice:********@db.example.com/app");
    CHECK_FALSE(contains(redacted, "p%40ss"));
    CHECK_FALSE(contains(redacted, "p@ss/w:rd"));

    // A raw '@' in the password: the last '@' of the authority ends the user info.
    const auto raw_at = pg::redact_dsn("postgresql://alice:pa@ss@db.example.com/app");
    CHECK_FALSE(contains(raw_at, "pa@ss"));
    CHECK_FALSE(contains(raw_at, "@ss@"));

    const auto symbols = pg::redact_dsn("postgresql://alice:%21%23%24%25%26%27%28%29@db.example.com/app");
    CHECK(symbols == "postgresql://alice:********@db.example.com/app");
}

TEST_CASE("redact_dsn masks a password given as a URL query parameter", "[core][dsn]")
{
    CHECK(pg::redact_dsn("postgresql://db.example.com/app?password=s3cr3t") ==
          "postgresql://db.example.com/app?password=********");
    CHECK(pg::redact_dsn("postgresql://db.example.com/app?sslmode=require&password=s3cr3t&user=alice") ==
          "postgresql://db.example.com/app?sslmode=require&password=********&user=alice");
    const auto encoded = pg::redact_dsn("postgresql://db.example.com/app?password=s%33cr%33t");
    CHECK_FALSE(contains(encoded, "s%33cr%33t"));
    CHECK_FALSE(contains(encoded, "s3cr3t"));
    // Both places at once.
    const auto both = pg::redact_dsn("postgresql://alice:one1one@h/app?password=two2two");
    CHECK_FALSE(contains(both, "one1one"));
    CHECK_FALSE(contains(both, "two2two"));
}

TEST_CASE("redact_dsn never shows a password spelled in a way the patterns miss", "[core][dsn]")
{
    // libpq percent-decodes query keywords too, so this is a password even though no regex sees "password=".
    const auto redacted = pg::redact_dsn("postgresql://db.example.com/app?pass%77ord=s3cr3t");
    CHECK_FALSE(contains(redacted, "s3cr3t"));
}

TEST_CASE("redact_dsn masks the password of a keyword string", "[core][dsn]")
{
    CHECK(pg::redact_dsn("host=db.example.com password=s3cr3t dbname=app") ==
          "host=db.example.com password=******** dbname=app");
    CHECK(pg::redact_dsn("password=s3cr3t") == "password=********");
    CHECK(pg::redact_dsn("host=h password = s3cr3t dbname=app") == "host=h password = ******** dbname=app");
    CHECK(pg::redact_dsn("host=h password='a b c' dbname=app") == "host=h password=******** dbname=app");
    CHECK(pg::redact_dsn("host=h password='it\\'s a secret' dbname=app") == "host=h password=******** dbname=app");
    CHECK(pg::redact_dsn("host=h dbname=app user=alice") == "host=h dbname=app user=alice");
}

TEST_CASE("redact_dsn hides every part of an unquoted keyword password with an escaped space", "[core][dsn]")
{
    // libpq reads `password=abc\ def123` as the password "abc def123" (a backslash escapes the next character of
    // an unquoted value); the redacted string must not show any part of it.
    const auto redacted = pg::redact_dsn("host=h password=abc\\ def123 dbname=app");
    CHECK_FALSE(contains(redacted, "abc"));
    CHECK_FALSE(contains(redacted, "def123"));
}

TEST_CASE("redact_dsn does not show the password of a URL libpq cannot parse", "[core][dsn]")
{
    // A typo in the scheme makes libpq reject the string (its URI prefix is case-sensitive), and the daemon then
    // logs redact_dsn(database_url) in its start-up failure message.
    for (const std::string dsn : {"POSTGRESQL://alice:s3cr3t@db.example.com/app",
                                  "postgresq://alice:s3cr3t@db.example.com/app",
                                  "postgresql://alice:s3cr3t@db.example.com/app?foo=bar"}) {
        INFO(dsn);
        CHECK_FALSE(pg::check_dsn(dsn).ok);
        CHECK_FALSE(contains(pg::redact_dsn(dsn), "s3cr3t"));
    }
}

TEST_CASE("with_connect_timeout adds connect_timeout unless one is set", "[core][dsn]")
{
    CHECK(pg::with_connect_timeout("host=h dbname=app", 5) == "host=h dbname=app connect_timeout=5");
    CHECK(pg::with_connect_timeout("postgresql://h/app", 5) == "postgresql://h/app?connect_timeout=5");
    CHECK(pg::with_connect_timeout("postgresql://h/app?sslmode=require", 10) ==
          "postgresql://h/app?sslmode=require&connect_timeout=10");
    CHECK(pg::with_connect_timeout("postgres://h", 3) == "postgres://h?connect_timeout=3");
    CHECK(pg::with_connect_timeout("host=h connect_timeout=2", 5) == "host=h connect_timeout=2");
    CHECK(pg::with_connect_timeout("postgresql://h/app?connect_timeout=2", 5) == "postgresql://h/app?connect_timeout=2");
}

TEST_CASE("with_connect_timeout keeps a valid string valid", "[core][dsn]")
{
    for (const std::string dsn : {"host=h dbname=app", "postgresql://h/app", "postgresql://h/app?sslmode=require",
                                  "postgres://h", "postgresql://alice:s3cr3t@h:5432/app", "postgresql://h/app?"}) {
        INFO(dsn);
        REQUIRE(pg::check_dsn(dsn).ok);
        const auto out = pg::with_connect_timeout(dsn, 5);
        INFO(out);
        CHECK(pg::check_dsn(out).ok);
        CHECK(contains(out, "connect_timeout=5"));
    }
}

TEST_CASE("check_dsn never quotes a password back from libpq's message", "[core][dsn]")
{
    auto missing_equals = pg::check_dsn("host=h password hunter2-secret");
    CHECK_FALSE(missing_equals.ok);
    CHECK(missing_equals.error.find("hunter2") == std::string::npos);
    CHECK(missing_equals.error.find("missing \"=\"") != std::string::npos);
    auto bad_escape = pg::check_dsn("postgresql://u:p%zzsecret@h/db");
    CHECK_FALSE(bad_escape.ok);
    CHECK(bad_escape.error.find("secret") == std::string::npos);
    CHECK(pg::hide_dsn("bad \"postgresql://u:pw-1234@h/db\" here", "postgresql://u:pw-1234@h/db") ==
          "bad \"postgresql://u:********@h/db\" here");
}

TEST_CASE("redact_dsn hides a password holding an unencoded slash", "[core][dsn]")
{
    auto shown = pg::redact_dsn("postgresql://app:pa/ss@db/hubsync");
    CHECK(shown.find("pa/ss") == std::string::npos);
    CHECK(shown.find("ss@") == std::string::npos);
    CHECK(shown.find("db/hubsync") != std::string::npos);
}
