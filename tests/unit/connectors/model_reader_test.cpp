// The pure parts of model_reader: COPY text decoding, identifier quoting and the SELECT it streams.
#include "connectors/postgres/model_reader.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::connectors::postgres;
using opt = std::optional<std::string>;

namespace {
model_row
decode(const std::string& line, std::size_t values)
{
    model_row row;
    decode_copy_text_row(line.data(), line.size(), values, row);
    return row;
}
}  // namespace

TEST_CASE("COPY text rows: fields, NULLs and empty strings", "[connectors]")
{
    auto row = decode("k1\tabc\t\\N\t\n", 3);
    CHECK(row.pk == opt("k1"));
    CHECK(row.values == std::vector<opt>{opt("abc"), std::nullopt, opt("")});
    CHECK(decode("\\N\n", 0).pk == std::nullopt);
    CHECK(decode("", 0).pk == opt(""));
    CHECK(decode("no newline\tx", 1).values == std::vector<opt>{opt("x")});
}

TEST_CASE("COPY text rows: every escape of the format", "[connectors]")
{
    std::string line = std::string(R"(a\tb\nc\\d)") + "\t" + R"(\b\f\r\v)" + "\t" + R"(\101\x41\x4a\7)" + "\t" +
                       R"(\N\\N)" + "\t" + R"(\q\x)" + "\t" + R"(a\)" + "\n";
    auto row = decode(line, 5);
    CHECK(row.pk == opt("a\tb\nc\\d"));
    CHECK(row.values[0] == opt("\b\f\r\v"));
    CHECK(row.values[1] == opt("AAJ\a"));
    CHECK(row.values[2] == opt("N\\N"));   // "\N" is NULL only as the whole field
    CHECK(row.values[3] == opt("qx"));
    CHECK(row.values[4] == opt("a\\"));
}

TEST_CASE("COPY text rows: reused rows lose nothing from the previous row", "[connectors]")
{
    model_row row;
    std::string first = "long key value\tlong value here\t\\N\n";
    decode_copy_text_row(first.data(), first.size(), 2, row);
    std::string line = "k\t\\N\tv\n";
    decode_copy_text_row(line.data(), line.size(), 2, row);
    CHECK(row.pk == opt("k"));
    CHECK(row.values == std::vector<opt>{std::nullopt, opt("v")});
}

TEST_CASE("COPY text rows: a wrong field count is an error", "[connectors]")
{
    CHECK_THROWS_AS(decode("a\tb\n", 2), hubsync::core::error);
    CHECK_THROWS_AS(decode("a\tb\tc\n", 1), hubsync::core::error);
}

TEST_CASE("model SELECT: quoted names, arrays as JSON, byte order on the key", "[connectors]")
{
    CHECK(quote_identifier("My \"Id\"") == "\"My \"\"Id\"\"\"");
    auto sql = model_reader::select_sql(" SELECT * FROM t -- all\n;; ", "My Id",
                                        {{"Tags", "text[]"}, {"doc", "jsonb"}, {"flag", "boolean"}});
    CHECK(sql == "SELECT (hubsync_model.\"My Id\")::text COLLATE \"C\", array_to_json(hubsync_model.\"Tags\")::text, "
                 "hubsync_model.\"doc\", (hubsync_model.\"flag\")::text FROM (SELECT * FROM t -- all\n) AS "
                 "hubsync_model ORDER BY 1");
}

TEST_CASE("model SELECT: only types whose ::text is their output function are left to COPY", "[connectors]")
{
    auto rendered = [](const std::string& type) {
        auto sql = model_reader::select_sql("SELECT 1", "k", {{"c", type}});
        auto from = sql.find(", ") + 2;
        return sql.substr(from, sql.find(" FROM") - from);
    };
    for (const char* type : {"text", "character varying", "character varying(20)", "integer", "bigint", "smallint",
                             "numeric", "numeric(12,2)", "real", "double precision", "date",
                             "timestamp with time zone", "timestamp(3) without time zone", "time without time zone",
                             "interval", "interval year to month", "uuid", "json", "jsonb", "bytea"}) {
        INFO(type);
        CHECK(rendered(type) == "hubsync_model.\"c\"");
    }
    for (const char* type : {"boolean", "character(4)", "character", "\"char\"", "name", "inet", "cidr", "citext",
                             "my_domain", "public.date", "timestamptz_like", "texts", "mood"}) {
        INFO(type);
        CHECK(rendered(type) == "(hubsync_model.\"c\")::text");
    }
    CHECK(rendered("integer[]") == "array_to_json(hubsync_model.\"c\")::text");
}
