#include "sync/value_conversion.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>
#include <vector>

namespace {

using hubsync::hubspot::property_info;
using hubsync::sync::column_kind;
using hubsync::sync::convert_value;
using hubsync::sync::kind_of;
using hubsync::sync::type_mismatch;

property_info
prop(std::string name, std::string type, std::string field_type = "text", std::vector<std::string> options = {})
{
    property_info p;
    p.name = std::move(name);
    p.label = p.name;
    p.type = std::move(type);
    p.field_type = std::move(field_type);
    p.options = std::move(options);
    return p;
}

const property_info string_prop = prop("notes", "string", "textarea");
const property_info phone_prop = prop("phone", "phone_number", "phonenumber");
const property_info number_prop = prop("hs_score", "number", "number");
const property_info bool_prop = prop("opted_in", "bool", "booleancheckbox", {"true", "false"});
const property_info date_prop = prop("closedate", "date", "date");
const property_info datetime_prop = prop("signed_up_at", "datetime", "date");
const property_info select_prop = prop("tier", "enumeration", "select", {"gold", "silver", "Bronze"});
const property_info multi_prop = prop("colors", "enumeration", "checkbox", {"red", "green", "Blue"});
const property_info owner_prop = prop("hubspot_owner_id", "enumeration", "select");

// The sent value; fails the test (showing the error) when conversion fails.
std::string
ok(std::optional<std::string_view> raw, column_kind kind, const property_info& p)
{
    const auto c = convert_value("col", raw, kind, p);
    INFO("error: " << c.error);
    REQUIRE(c.ok());
    return c.value;
}

// The error; fails the test (showing the value) when conversion succeeds.
std::string
bad(std::optional<std::string_view> raw, column_kind kind, const property_info& p)
{
    const auto c = convert_value("col", raw, kind, p);
    INFO("value: " << c.value);
    REQUIRE_FALSE(c.ok());
    CHECK(c.value.empty());
    return c.error;
}

}  // namespace

TEST_CASE("kind_of maps format_type names", "[conversion]")
{
    CHECK(kind_of("text") == column_kind::text);
    CHECK(kind_of("character varying") == column_kind::text);
    CHECK(kind_of("character varying(255)") == column_kind::text);
    CHECK(kind_of("character(2)") == column_kind::text);
    CHECK(kind_of("\"char\"") == column_kind::text);
    CHECK(kind_of("name") == column_kind::text);
    CHECK(kind_of("citext") == column_kind::text);
    CHECK(kind_of("public.citext") == column_kind::text);
    CHECK(kind_of("smallint") == column_kind::integer);
    CHECK(kind_of("integer") == column_kind::integer);
    CHECK(kind_of("bigint") == column_kind::integer);
    CHECK(kind_of("numeric") == column_kind::numeric);
    CHECK(kind_of("numeric(12,2)") == column_kind::numeric);
    CHECK(kind_of("real") == column_kind::floating);
    CHECK(kind_of("double precision") == column_kind::floating);
    CHECK(kind_of("boolean") == column_kind::boolean);
    CHECK(kind_of("date") == column_kind::date);
    CHECK(kind_of("timestamp with time zone") == column_kind::timestamp_tz);
    CHECK(kind_of("timestamp(3) with time zone") == column_kind::timestamp_tz);
    CHECK(kind_of("timestamp without time zone") == column_kind::timestamp);
    CHECK(kind_of("timestamp(0) without time zone") == column_kind::timestamp);
    CHECK(kind_of("json") == column_kind::json);
    CHECK(kind_of("jsonb") == column_kind::json);
    CHECK(kind_of("text[]") == column_kind::array);
    CHECK(kind_of("integer[]") == column_kind::array);
    CHECK(kind_of("numeric(10,2)[]") == column_kind::array);
    CHECK(kind_of("character varying(20)[]") == column_kind::array);
    CHECK(kind_of("  Integer ") == column_kind::integer);

    SECTION("types whose text is not one of the above are other")
    {
        for (const char* t : {"interval", "uuid", "money", "bytea", "time without time zone",
                              "time with time zone", "inet", "mood", "\"MyEnum\"", "myschema.status", "xml", ""})
            CHECK(kind_of(t) == column_kind::other);
    }
}

TEST_CASE("NULL clears every property type", "[conversion]")
{
    for (const auto* p : {&string_prop, &phone_prop, &number_prop, &bool_prop, &date_prop, &datetime_prop,
                          &select_prop, &multi_prop, &owner_prop}) {
        for (auto kind : {column_kind::text, column_kind::integer, column_kind::boolean, column_kind::array,
                          column_kind::json, column_kind::timestamp_tz}) {
            const auto c = convert_value("col", std::nullopt, kind, *p);
            CHECK(c.ok());
            CHECK(c.value.empty());
        }
    }
}

TEST_CASE("string properties take any column, rendered as text", "[conversion]")
{
    CHECK(ok("hello", column_kind::text, string_prop) == "hello");
    CHECK(ok("  spaced  ", column_kind::text, string_prop) == "  spaced  ");
    CHECK(ok("", column_kind::text, string_prop).empty());
    CHECK(ok("Zoë 東京 🎉", column_kind::text, string_prop) == "Zoë 東京 🎉");
    CHECK(ok("+1 (555) 010-0000", column_kind::text, phone_prop) == "+1 (555) 010-0000");
    CHECK(ok("-3", column_kind::integer, string_prop) == "-3");
    CHECK(ok("12.50", column_kind::numeric, string_prop) == "12.50");
    CHECK(ok("1e+20", column_kind::floating, string_prop) == "1e+20");
    CHECK(ok("2024-01-02", column_kind::date, string_prop) == "2024-01-02");
    CHECK(ok("1 day 02:00:00", column_kind::other, string_prop) == "1 day 02:00:00");
    CHECK(ok(R"({"a": [1, 2]})", column_kind::json, string_prop) == R"({"a": [1, 2]})");

    SECTION("booleans as true/false, not PostgreSQL's t/f")
    {
        CHECK(ok("t", column_kind::boolean, string_prop) == "true");
        CHECK(ok("f", column_kind::boolean, string_prop) == "false");
    }
    SECTION("timestamps as ISO-8601 UTC keeping their precision")
    {
        CHECK(ok("2024-01-02 03:04:05.123456+00", column_kind::timestamp_tz, string_prop) ==
              "2024-01-02T03:04:05.123456Z");
        CHECK(ok("2024-01-02 03:04:05+05:30", column_kind::timestamp_tz, string_prop) == "2024-01-01T21:34:05Z");
        CHECK(ok("2024-01-02 03:04:05.5", column_kind::timestamp, string_prop) == "2024-01-02T03:04:05.5Z");
        CHECK(ok("infinity", column_kind::timestamp_tz, string_prop) == "infinity");
        CHECK(ok("0044-03-15 12:00:00+00 BC", column_kind::timestamp_tz, string_prop) == "0044-03-15 12:00:00+00 BC");
    }
    SECTION("arrays as their elements joined with a comma")
    {
        CHECK(ok(R"(["a","b","c"])", column_kind::array, string_prop) == "a, b, c");
        CHECK(ok("[1,2.5,-3]", column_kind::array, string_prop) == "1, 2.5, -3");
        CHECK(ok("[true,false]", column_kind::array, string_prop) == "true, false");
        CHECK(ok(R"(["a",null,"b"])", column_kind::array, string_prop) == "a, b");
        CHECK(ok("[]", column_kind::array, string_prop).empty());
        CHECK(ok("[[1,2],[3,4]]", column_kind::array, string_prop) == "[1,2], [3,4]");
        CHECK(ok(R"([{"k":"v, w"}])", column_kind::array, string_prop) == R"({"k":"v, w"})");
        CHECK(ok(R"([ "x" , "y" ])", column_kind::array, string_prop) == "x, y");
    }
    SECTION("JSON escapes in array elements are decoded")
    {
        CHECK(ok(R"(["say \"hi\"","back\\slash","tab\there"])", column_kind::array, string_prop) ==
              "say \"hi\", back\\slash, tab\there");
        CHECK(ok(R"(["caf\u00e9","\ud83c\udf89","line\nbreak"])", column_kind::array, string_prop) ==
              "café, 🎉, line\nbreak");
        CHECK(ok(R"(["Zoë","東京"])", column_kind::array, string_prop) == "Zoë, 東京");
    }
    SECTION("an array that is not JSON is an error")
    {
        CHECK_THAT(bad("{a,b}", column_kind::array, string_prop), Catch::Contains("is not a JSON array"));
        CHECK_THAT(bad(R"(["a")", column_kind::array, string_prop), Catch::Contains("is not a JSON array"));
        CHECK_THAT(bad(R"(["\ud83c"])", column_kind::array, string_prop), Catch::Contains("is not a JSON array"));
        CHECK_THAT(bad(R"(["a"] x)", column_kind::array, string_prop), Catch::Contains("is not a JSON array"));
    }
}

TEST_CASE("string length is limited to 65,536 UTF-16 code units", "[conversion]")
{
    const std::string at_limit(65'536, 'x');
    CHECK(ok(at_limit, column_kind::text, string_prop) == at_limit);

    const std::string over(65'537, 'x');
    const auto e = bad(over, column_kind::text, string_prop);
    CHECK_THAT(e, Catch::StartsWith("column col: 'xxxx"));
    CHECK_THAT(e, Catch::Contains("…' is longer than the 65,536 characters HubSpot takes for property notes "
                                  "(string); it has 65537"));
    CHECK(e.size() < 300);

    SECTION("multi-byte characters count once, astral ones twice")
    {
        std::string accents;
        for (int i = 0; i < 65'536; ++i) accents += "é";  // 131,072 bytes, 65,536 units
        CHECK(ok(accents, column_kind::text, string_prop).size() == accents.size());

        std::string emoji;
        for (int i = 0; i < 32'768; ++i) emoji += "🎉";  // 65,536 units
        CHECK(ok(emoji, column_kind::text, string_prop).size() == emoji.size());
        emoji += "🎉";
        CHECK_THAT(bad(emoji, column_kind::text, string_prop), Catch::Contains("it has 65538"));
    }
    SECTION("the value in the message is cut on a character boundary")
    {
        std::string kanji;
        for (int i = 0; i < 30'000; ++i) kanji += "東";  // 3 bytes each: byte 100 is inside the 34th
        std::string shown;
        for (int i = 0; i < 33; ++i) shown += "東";
        CHECK_THAT(bad(kanji + std::string(40'000, 'x'), column_kind::text, string_prop),
                   Catch::StartsWith("column col: '" + shown + "…'"));
    }
    SECTION("rendered arrays count too")
    {
        std::string arr = "[";
        for (int i = 0; i < 20'000; ++i) arr += std::string(i ? "," : "") + "\"abc\"";
        arr += "]";
        CHECK_THAT(bad(arr, column_kind::array, string_prop), Catch::Contains("it has 99998"));
    }
}

TEST_CASE("number properties take decimal numbers in canonical form", "[conversion]")
{
    CHECK(ok("42", column_kind::integer, number_prop) == "42");
    CHECK(ok("-3", column_kind::integer, number_prop) == "-3");
    CHECK(ok("0", column_kind::integer, number_prop) == "0");
    CHECK(ok("9223372036854775807", column_kind::integer, number_prop) == "9223372036854775807");
    CHECK(ok("12.50", column_kind::numeric, number_prop) == "12.5");
    CHECK(ok("3.000", column_kind::numeric, number_prop) == "3");
    CHECK(ok("-0.0", column_kind::numeric, number_prop) == "0");
    CHECK(ok("0.001", column_kind::numeric, number_prop) == "0.001");
    CHECK(ok("123456789012345678901234567890.123456789", column_kind::numeric, number_prop) ==
          "123456789012345678901234567890.123456789");
    CHECK(ok("0.1", column_kind::floating, number_prop) == "0.1");
    CHECK(ok("-0", column_kind::floating, number_prop) == "0");

    SECTION("text, with leading zeros, signs and blanks")
    {
        CHECK(ok("007", column_kind::text, number_prop) == "7");
        CHECK(ok("+5", column_kind::text, number_prop) == "5");
        CHECK(ok(" 12.5 ", column_kind::text, number_prop) == "12.5");
        CHECK(ok(".5", column_kind::text, number_prop) == "0.5");
        CHECK(ok("-.5", column_kind::text, number_prop) == "-0.5");
        CHECK(ok("5.", column_kind::text, number_prop) == "5");
        CHECK(ok("000.000", column_kind::text, number_prop) == "0");
        CHECK(ok("100", column_kind::text, number_prop) == "100");
        CHECK(ok("-00120.0400", column_kind::text, number_prop) == "-120.04");
    }
    SECTION("exponents are written out exactly")
    {
        CHECK(ok("1e+20", column_kind::floating, number_prop) == "100000000000000000000");
        CHECK(ok("1.5e-07", column_kind::floating, number_prop) == "0.00000015");
        CHECK(ok("-2.5E3", column_kind::text, number_prop) == "-2500");
        CHECK(ok("1.23456e2", column_kind::text, number_prop) == "123.456");
        CHECK(ok("123e-2", column_kind::text, number_prop) == "1.23");
        CHECK(ok("0e10", column_kind::text, number_prop) == "0");
        CHECK(ok("1.7976931348623157e+308", column_kind::floating, number_prop) ==
              "17976931348623157" + std::string(292, '0'));
        CHECK(ok("5e-324", column_kind::floating, number_prop) == "0." + std::string(323, '0') + "5");
    }
    SECTION("too long to write out")
    {
        CHECK_THAT(bad("1e400", column_kind::text, number_prop), Catch::Contains("is too long to send as a number"));
        CHECK_THAT(bad("1e-999999999999", column_kind::text, number_prop), Catch::Contains("too long"));
        CHECK_THAT(bad("1e99999999999999999999", column_kind::text, number_prop), Catch::Contains("too long"));
    }
    SECTION("not finite")
    {
        for (const char* v : {"NaN", "Infinity", "-Infinity", "inf", "+inf", "nan"})
            CHECK_THAT(bad(v, column_kind::floating, number_prop), Catch::Contains("is not a finite number"));
    }
    SECTION("not numbers")
    {
        for (const char* v : {"abc", "1.2.3", "1,000", "12abc", "--1", "+", "-", ".", "e5", "1e", "1e+", "0x10",
                              "1 2", "١٢"}) {
            INFO(v);
            CHECK_THAT(bad(v, column_kind::text, number_prop), Catch::Contains("is not a number"));
        }
    }
    SECTION("the error names column, value and property")
    {
        const auto c = convert_value("score", "abc", column_kind::text, number_prop);
        CHECK(c.error == "column score: 'abc' is not a number for property hs_score (number)");
    }
    SECTION("empty text clears")
    {
        CHECK(ok("", column_kind::text, number_prop).empty());
        CHECK(ok("   ", column_kind::text, number_prop).empty());
    }
}

TEST_CASE("bool properties take booleans, 0/1 and common words", "[conversion]")
{
    CHECK(ok("t", column_kind::boolean, bool_prop) == "true");
    CHECK(ok("f", column_kind::boolean, bool_prop) == "false");
    CHECK(ok("1", column_kind::integer, bool_prop) == "true");
    CHECK(ok("0", column_kind::integer, bool_prop) == "false");
    for (const char* v : {"true", "TRUE", "True", "yes", "Y", "on", "1", "t", " true "})
        CHECK(ok(v, column_kind::text, bool_prop) == "true");
    for (const char* v : {"false", "FALSE", "no", "N", "off", "0", "f"})
        CHECK(ok(v, column_kind::text, bool_prop) == "false");
    CHECK(ok("", column_kind::text, bool_prop).empty());

    CHECK_THAT(bad("2", column_kind::integer, bool_prop), Catch::Contains("'2' is not 0 or 1 for property opted_in"));
    CHECK_THAT(bad("-1", column_kind::integer, bool_prop), Catch::Contains("is not 0 or 1"));
    for (const char* v : {"maybe", "tru", "yess", "2", "1.0", "oui"})
        CHECK_THAT(bad(v, column_kind::text, bool_prop), Catch::Contains("is not a boolean"));
}

TEST_CASE("date properties take a day at midnight UTC", "[conversion]")
{
    CHECK(ok("2024-01-02", column_kind::date, date_prop) == "2024-01-02");
    CHECK(ok("2024-02-29", column_kind::date, date_prop) == "2024-02-29");
    CHECK(ok("0001-01-01", column_kind::date, date_prop) == "0001-01-01");
    CHECK(ok("9999-12-31", column_kind::date, date_prop) == "9999-12-31");
    CHECK(ok("1969-07-20", column_kind::text, date_prop) == "1969-07-20");

    SECTION("timestamps only at exactly midnight UTC")
    {
        CHECK(ok("2024-01-02 00:00:00+00", column_kind::timestamp_tz, date_prop) == "2024-01-02");
        CHECK(ok("2024-01-02 00:00:00", column_kind::timestamp, date_prop) == "2024-01-02");
        CHECK(ok("2024-01-02 05:30:00+05:30", column_kind::timestamp_tz, date_prop) == "2024-01-02");
        CHECK(ok("2024-01-01 19:00:00-05", column_kind::timestamp_tz, date_prop) == "2024-01-02");
        CHECK(ok("2024-01-02T00:00:00.000Z", column_kind::text, date_prop) == "2024-01-02");

        const auto e = bad("2024-01-02 03:04:05+00", column_kind::timestamp_tz, date_prop);
        CHECK_THAT(e, Catch::StartsWith("column col: '2024-01-02 03:04:05+00' is not at midnight UTC for property "
                                        "closedate (date)"));
        CHECK_THAT(bad("2024-01-02 00:00:00.000001+00", column_kind::timestamp_tz, date_prop),
                   Catch::Contains("is not at midnight UTC"));
        CHECK_THAT(bad("2024-01-02 00:00:00+01", column_kind::timestamp_tz, date_prop),
                   Catch::Contains("is not at midnight UTC"));
        CHECK_THAT(bad("2024-01-02 12:00:00", column_kind::timestamp, date_prop),
                   Catch::Contains("is not at midnight UTC"));
    }
    SECTION("epoch milliseconds at midnight")
    {
        CHECK(ok("1704153600000", column_kind::integer, date_prop) == "2024-01-02");
        CHECK(ok("1704153600000", column_kind::text, date_prop) == "2024-01-02");
        CHECK_THAT(bad("1704164645000", column_kind::integer, date_prop), Catch::Contains("is not at midnight UTC"));
        CHECK_THAT(bad("1704153600", column_kind::integer, date_prop),
                   Catch::Contains("is not a date in epoch milliseconds"));
        CHECK_THAT(bad("1704153600", column_kind::integer, date_prop), Catch::Contains("to_timestamp(col)"));
    }
    SECTION("not dates")
    {
        for (const char* v : {"2024-02-30", "2023-02-29", "2024-13-01", "2024-00-10", "2024-1-2", "24-01-02",
                              "01/02/2024", "2024-01-02x", "10000-01-01", "0000-01-01", "2024-01-02 BC",
                              "0044-03-15 BC"}) {
            INFO(v);
            CHECK_THAT(bad(v, column_kind::date, date_prop), Catch::Contains("is not a date (YYYY-MM-DD"));
        }
        CHECK_THAT(bad("infinity", column_kind::date, date_prop), Catch::Contains("is not a finite date"));
        CHECK_THAT(bad("-infinity", column_kind::timestamp_tz, date_prop), Catch::Contains("is not a finite date"));
    }
    SECTION("offsets that leave the years HubSpot takes")
    {
        CHECK_THAT(bad("0001-01-01 00:00:00+01", column_kind::timestamp_tz, date_prop),
                   Catch::Contains("is not at midnight UTC"));
        CHECK(ok("0001-01-01 01:00:00+01", column_kind::timestamp_tz, date_prop) == "0001-01-01");
        CHECK_THAT(bad("9999-12-31 19:00:00-05", column_kind::timestamp_tz, date_prop),
                   Catch::Contains("outside the years 0001-9999"));
    }
}

TEST_CASE("datetime properties take instants as ISO-8601 UTC milliseconds", "[conversion]")
{
    CHECK(ok("2024-01-02 03:04:05+00", column_kind::timestamp_tz, datetime_prop) == "2024-01-02T03:04:05.000Z");
    CHECK(ok("2024-01-02 03:04:05.1+00", column_kind::timestamp_tz, datetime_prop) == "2024-01-02T03:04:05.100Z");
    CHECK(ok("2024-01-02 03:04:05.123+00", column_kind::timestamp_tz, datetime_prop) == "2024-01-02T03:04:05.123Z");
    CHECK(ok("2024-01-02 03:04:05.123999+00", column_kind::timestamp_tz, datetime_prop) ==
          "2024-01-02T03:04:05.123Z");
    CHECK(ok("2024-01-02 03:04:05.999999+00", column_kind::timestamp_tz, datetime_prop) ==
          "2024-01-02T03:04:05.999Z");
    CHECK(ok("2024-01-02 03:04:05", column_kind::timestamp, datetime_prop) == "2024-01-02T03:04:05.000Z");
    CHECK(ok("2024-01-02 03:04:05.000001", column_kind::timestamp, datetime_prop) == "2024-01-02T03:04:05.000Z");
    CHECK(ok("2024-01-02", column_kind::date, datetime_prop) == "2024-01-02T00:00:00.000Z");

    SECTION("offsets are applied")
    {
        CHECK(ok("2024-01-02 03:04:05+05:30", column_kind::timestamp_tz, datetime_prop) ==
              "2024-01-01T21:34:05.000Z");
        CHECK(ok("2024-01-01 22:00:00-05", column_kind::timestamp_tz, datetime_prop) == "2024-01-02T03:00:00.000Z");
        CHECK(ok("2024-12-31 23:30:00-01:00", column_kind::timestamp_tz, datetime_prop) ==
              "2025-01-01T00:30:00.000Z");
        CHECK(ok("2024-03-01 00:15:00+01", column_kind::timestamp_tz, datetime_prop) == "2024-02-29T23:15:00.000Z");
        CHECK(ok("1900-01-01 00:00:00+05:53:28", column_kind::timestamp_tz, datetime_prop) ==
              "1899-12-31T18:06:32.000Z");
        CHECK(ok("1960-06-15 12:00:00.5-03:30", column_kind::timestamp_tz, datetime_prop) ==
              "1960-06-15T15:30:00.500Z");
    }
    SECTION("ISO-8601 text is normalised")
    {
        CHECK(ok("2020-02-29T03:30:17.000Z", column_kind::text, datetime_prop) == "2020-02-29T03:30:17.000Z");
        CHECK(ok("2020-02-29T03:30:17Z", column_kind::text, datetime_prop) == "2020-02-29T03:30:17.000Z");
        CHECK(ok("2020-02-29t03:30:17.5z", column_kind::text, datetime_prop) == "2020-02-29T03:30:17.500Z");
        CHECK(ok("2020-02-29T03:30Z", column_kind::text, datetime_prop) == "2020-02-29T03:30:00.000Z");
        CHECK(ok("2020-02-29T03:30:17+0200", column_kind::text, datetime_prop) == "2020-02-29T01:30:17.000Z");
        CHECK(ok("2020-02-29T03:30:17,25+02:00", column_kind::text, datetime_prop) == "2020-02-29T01:30:17.250Z");
        CHECK(ok("2020-02-29T03:30:17.123456789Z", column_kind::text, datetime_prop) == "2020-02-29T03:30:17.123Z");
        CHECK(ok("2020-02-29 03:30:17", column_kind::text, datetime_prop) == "2020-02-29T03:30:17.000Z");
        CHECK(ok("2020-02-29 03:30:17 +01:00", column_kind::text, datetime_prop) == "2020-02-29T02:30:17.000Z");
        CHECK(ok(" 2020-02-29 ", column_kind::text, datetime_prop) == "2020-02-29T00:00:00.000Z");
    }
    SECTION("epoch milliseconds")
    {
        CHECK(ok("1704164645123", column_kind::integer, datetime_prop) == "2024-01-02T03:04:05.123Z");
        CHECK(ok("1704164645123", column_kind::text, datetime_prop) == "2024-01-02T03:04:05.123Z");
        CHECK(ok("100000000000", column_kind::integer, datetime_prop) == "1973-03-03T09:46:40.000Z");
        CHECK(ok("253402300799999", column_kind::integer, datetime_prop) == "9999-12-31T23:59:59.999Z");
        // Epoch seconds would silently become January 1970.
        const auto e = bad("1704164645", column_kind::integer, datetime_prop);
        CHECK_THAT(e, Catch::Contains("'1704164645' is not a datetime in epoch milliseconds for property "
                                      "signed_up_at (datetime)"));
        CHECK_THAT(e, Catch::Contains("to_timestamp(col)"));
        CHECK_THAT(bad("-1", column_kind::integer, datetime_prop), Catch::Contains("epoch milliseconds"));
        CHECK_THAT(bad("253402300800000", column_kind::integer, datetime_prop), Catch::Contains("epoch milliseconds"));
        CHECK_THAT(bad("99999999999999999999", column_kind::integer, datetime_prop),
                   Catch::Contains("epoch milliseconds"));
    }
    SECTION("not datetimes")
    {
        for (const char* v : {"2024-01-02 24:00:00", "2024-01-02 23:60:00", "2024-01-02 23:59:60",
                              "2024-01-02T03", "2024-01-02T03:04:05.", "2024-01-02T03:04:05+25:00",
                              "2024-01-02T03:04:05+5", "2024-01-02T03:04:05 PST", "2024-01-02T03:04:05ZZ",
                              "2024-01-02+01", "Jan 2 2024", "yesterday", "2024-01-02T03:04:05+05:30:3"}) {
            INFO(v);
            CHECK_THAT(bad(v, column_kind::text, datetime_prop), Catch::Contains("is not an ISO-8601 datetime"));
        }
        CHECK_THAT(bad("infinity", column_kind::timestamp_tz, datetime_prop),
                   Catch::Contains("is not a finite datetime"));
        CHECK_THAT(bad("0044-03-15 12:00:00+00 BC", column_kind::timestamp_tz, datetime_prop),
                   Catch::Contains("is not an ISO-8601 datetime"));
        CHECK_THAT(bad("10000-01-01 00:00:00+00", column_kind::timestamp_tz, datetime_prop),
                   Catch::Contains("is not an ISO-8601 datetime"));
    }
    SECTION("offsets that leave the years HubSpot takes")
    {
        CHECK_THAT(bad("9999-12-31 23:00:00-05", column_kind::timestamp_tz, datetime_prop),
                   Catch::Contains("outside the years 0001-9999"));
        CHECK(ok("0001-01-01 01:00:00+01", column_kind::timestamp_tz, datetime_prop) == "0001-01-01T00:00:00.000Z");
    }
}

TEST_CASE("single-select enumerations take one option value", "[conversion]")
{
    CHECK(ok("gold", column_kind::text, select_prop) == "gold");
    CHECK(ok("Bronze", column_kind::text, select_prop) == "Bronze");
    CHECK(ok(" gold ", column_kind::text, select_prop) == "gold");
    CHECK(ok("", column_kind::text, select_prop).empty());

    SECTION("a case-insensitive match is sent as the option's exact value")
    {
        CHECK(ok("GOLD", column_kind::text, select_prop) == "gold");
        CHECK(ok("bronze", column_kind::text, select_prop) == "Bronze");
    }
    SECTION("an exact match wins over options differing only in case")
    {
        const auto p = prop("code", "enumeration", "radio", {"a", "A", "b"});
        CHECK(ok("a", column_kind::text, p) == "a");
        CHECK(ok("A", column_kind::text, p) == "A");
        CHECK(ok("B", column_kind::text, p) == "b");
        const auto q = prop("code", "enumeration", "radio", {"ab", "AB"});
        CHECK_THAT(bad("Ab", column_kind::text, q), Catch::Contains("matches several options that differ only in "
                                                                    "case"));
    }
    SECTION("unknown options list what is allowed")
    {
        CHECK(bad("platinum", column_kind::text, select_prop) ==
              "column col: 'platinum' is not an option for property tier (enumeration); allowed: gold, silver, "
              "Bronze");
        std::vector<std::string> many;
        for (int i = 1; i <= 13; ++i) many.push_back("o" + std::to_string(i));
        const auto p = prop("big", "enumeration", "select", many);
        CHECK_THAT(bad("x", column_kind::text, p),
                   Catch::EndsWith("allowed: o1, o2, o3, o4, o5, o6, o7, o8, o9, o10, … and 3 more"));
        CHECK_THAT(bad("gold;silver", column_kind::text, select_prop), Catch::Contains("is not an option"));
    }
    SECTION("other kinds are matched by their text")
    {
        const auto p = prop("level", "enumeration", "select", {"1", "2", "true", "false", "2024-01-02"});
        CHECK(ok("2", column_kind::integer, p) == "2");
        CHECK(ok("t", column_kind::boolean, p) == "true");
        CHECK(ok("f", column_kind::boolean, p) == "false");
        CHECK(ok("2024-01-02", column_kind::date, p) == "2024-01-02");
        CHECK(ok("1", column_kind::other, p) == "1");
        const auto flag = prop("flag", "enumeration", "booleancheckbox", {"true", "false"});
        CHECK(ok("t", column_kind::boolean, flag) == "true");
    }
    SECTION("no options (owner ids): sent as is")
    {
        CHECK(ok("12345", column_kind::integer, owner_prop) == "12345");
        CHECK(ok("anything", column_kind::text, owner_prop) == "anything");
    }
    SECTION("arrays are refused")
    {
        CHECK_THAT(bad(R"(["gold"])", column_kind::array, select_prop),
                   Catch::Contains("an array column cannot feed enumeration property tier"));
    }
}

TEST_CASE("multi-select enumerations take arrays and ';'-separated text", "[conversion]")
{
    CHECK(ok(R"(["red","green"])", column_kind::array, multi_prop) == "red;green");
    CHECK(ok(R"(["RED","blue"])", column_kind::array, multi_prop) == "red;Blue");
    CHECK(ok(R"(["red",null,"green","red"])", column_kind::array, multi_prop) == "red;green");
    CHECK(ok("[]", column_kind::array, multi_prop).empty());
    CHECK(ok("[null]", column_kind::array, multi_prop).empty());
    CHECK(ok("red;green", column_kind::text, multi_prop) == "red;green");
    CHECK(ok("red; Green ;;blue", column_kind::text, multi_prop) == "red;green;Blue");
    CHECK(ok("green", column_kind::text, multi_prop) == "green");
    CHECK(ok(";", column_kind::text, multi_prop).empty());

    SECTION("a leading ';' is never sent: it would append instead of set")
    {
        CHECK(ok(";red;green", column_kind::text, multi_prop) == "red;green");
    }
    SECTION("json columns holding arrays or one value")
    {
        CHECK(ok(R"( ["red", "green"] )", column_kind::json, multi_prop) == "red;green");
        CHECK(ok(R"("green")", column_kind::json, multi_prop) == "green");
        CHECK(ok("null", column_kind::json, multi_prop).empty());
        CHECK_THAT(bad(R"({"a":1})", column_kind::json, multi_prop), Catch::Contains("is not a single value"));
        CHECK_THAT(bad(R"(["red")", column_kind::json, multi_prop), Catch::Contains("is not a JSON array"));
        CHECK_THAT(bad("red", column_kind::json, multi_prop), Catch::Contains("is not valid JSON"));
    }
    SECTION("numbers and booleans as elements")
    {
        const auto p = prop("sizes", "enumeration", "checkbox", {"1", "2", "3", "true"});
        CHECK(ok("[3,1]", column_kind::array, p) == "3;1");
        CHECK(ok("[true]", column_kind::array, p) == "true");
        CHECK(ok("2", column_kind::integer, p) == "2");
        CHECK(ok("t", column_kind::boolean, p) == "true");
    }
    SECTION("each element is checked")
    {
        const auto e = bad(R"(["red","purple"])", column_kind::array, multi_prop);
        CHECK(e == "column col: 'purple' is not an option for property colors (enumeration); allowed: red, green, "
                   "Blue");
        CHECK_THAT(bad("red;purple", column_kind::text, multi_prop), Catch::Contains("'purple' is not an option"));
        CHECK_THAT(bad("red,green", column_kind::text, multi_prop), Catch::Contains("'red,green' is not an option"));
    }
    SECTION("elements that are not single values")
    {
        CHECK_THAT(bad(R"(["red;green"])", column_kind::array, multi_prop),
                   Catch::Contains("'red;green' contains ';'"));
        CHECK_THAT(bad(R"([["red"]])", column_kind::array, multi_prop), Catch::Contains("is not a single value"));
    }
    SECTION("no options: elements sent unchecked")
    {
        const auto p = prop("tags", "enumeration", "checkbox");
        CHECK(ok(R"(["x","y","x"])", column_kind::array, p) == "x;y");
        CHECK(ok("a;b", column_kind::text, p) == "a;b");
    }
}

TEST_CASE("type_mismatch refuses columns that can never feed a property", "[conversion]")
{
    using K = column_kind;
    auto fits = [](K k, const property_info& p) { return !type_mismatch(k, p).has_value(); };

    for (auto k : {K::text, K::integer, K::numeric, K::floating, K::boolean, K::date, K::timestamp_tz, K::timestamp,
                   K::json, K::array, K::other}) {
        CHECK(fits(k, string_prop));
        CHECK(fits(k, phone_prop));
    }
    CHECK(fits(K::text, number_prop));
    CHECK(fits(K::integer, number_prop));
    CHECK(fits(K::numeric, number_prop));
    CHECK(fits(K::floating, number_prop));
    CHECK_FALSE(fits(K::boolean, number_prop));
    CHECK_FALSE(fits(K::date, number_prop));
    CHECK_FALSE(fits(K::timestamp_tz, number_prop));
    CHECK_FALSE(fits(K::json, number_prop));
    CHECK_FALSE(fits(K::array, number_prop));
    CHECK_FALSE(fits(K::other, number_prop));

    CHECK(fits(K::boolean, bool_prop));
    CHECK(fits(K::integer, bool_prop));
    CHECK(fits(K::text, bool_prop));
    CHECK_FALSE(fits(K::date, bool_prop));
    CHECK_FALSE(fits(K::numeric, bool_prop));
    CHECK_FALSE(fits(K::json, bool_prop));
    CHECK_FALSE(fits(K::array, bool_prop));

    for (const auto* p : {&date_prop, &datetime_prop}) {
        CHECK(fits(K::date, *p));
        CHECK(fits(K::timestamp_tz, *p));
        CHECK(fits(K::timestamp, *p));
        CHECK(fits(K::text, *p));
        CHECK(fits(K::integer, *p));
        CHECK_FALSE(fits(K::boolean, *p));
        CHECK_FALSE(fits(K::numeric, *p));
        CHECK_FALSE(fits(K::floating, *p));
        CHECK_FALSE(fits(K::json, *p));
        CHECK_FALSE(fits(K::array, *p));
        CHECK_FALSE(fits(K::other, *p));
    }

    for (auto k : {K::text, K::integer, K::numeric, K::floating, K::boolean, K::date, K::other}) {
        CHECK(fits(k, select_prop));
        CHECK(fits(k, multi_prop));
    }
    CHECK_FALSE(fits(K::array, select_prop));
    CHECK_FALSE(fits(K::json, select_prop));
    CHECK(fits(K::array, multi_prop));
    CHECK(fits(K::json, multi_prop));
    CHECK_FALSE(fits(K::timestamp_tz, multi_prop));

    SECTION("reasons name the property and say how to fix it")
    {
        CHECK(*type_mismatch(K::boolean, date_prop) == "a boolean column cannot feed date property closedate");
        CHECK(*type_mismatch(K::boolean, number_prop) ==
              "a boolean column cannot feed number property hs_score; use col::int in the model SQL to send 1/0");
        CHECK_THAT(*type_mismatch(K::other, number_prop), Catch::Contains("col::numeric"));
        CHECK_THAT(*type_mismatch(K::json, datetime_prop), Catch::Contains("col->>'key'"));
        CHECK_THAT(*type_mismatch(K::array, select_prop), Catch::Contains("multi-select (checkbox)"));
    }
    SECTION("convert_value refuses the same values, naming the column")
    {
        CHECK(bad("t", K::boolean, date_prop) == "column col: a boolean column cannot feed date property closedate");
        CHECK_THAT(bad("[1]", K::array, number_prop), Catch::Contains("an array column cannot feed number property"));
    }
}

TEST_CASE("error messages cut long values", "[conversion]")
{
    const std::string long_text(500, 'z');
    const auto e = bad(long_text, column_kind::text, number_prop);
    CHECK(e == "column col: '" + std::string(100, 'z') + "…' is not a number for property hs_score (number)");
}
