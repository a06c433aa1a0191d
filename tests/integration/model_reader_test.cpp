// model_reader against the real demo warehouse (read-only role demo_reader): order, NULL and duplicate keys,
// rendering, quoting, chunking, cancellation, timeouts, SQL errors and bounded memory.
#include "connectors/postgres/model_reader.hpp"
#include "tests/support/test_database.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <future>
#include <thread>

using namespace hubsync::connectors::postgres;
using hubsync::test::required_env;
using opt = std::optional<std::string>;

namespace {
std::string
warehouse()
{
    return required_env("HUBSYNC_DEMO_WAREHOUSE_URL");
}

// Every row of the model, read the way the planner reads it: columns from describe(), all but the key mapped.
std::vector<model_row>
read_all(const std::string& sql, const std::string& pk, std::size_t batch = 1000, std::string dsn = warehouse())
{
    std::vector<column> cols;
    for (auto& c : describe(dsn, sql, {}))
        if (c.name != pk) cols.push_back(c);
    model_reader reader(dsn, sql, pk, cols, {});
    std::vector<model_row> all, chunk;
    do {
        reader.next(chunk, batch);
        REQUIRE(chunk.size() <= batch);
        all.insert(all.end(), chunk.begin(), chunk.end());
    } while (!chunk.empty());
    CHECK(reader.rows_read() == all.size());
    return all;
}

std::vector<opt>
keys(const std::vector<model_row>& rows)
{
    std::vector<opt> out;
    for (const auto& r : rows) out.push_back(r.pk);
    return out;
}

long
status_kib(const char* field)
{
    std::ifstream in("/proc/self/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
    return -1;
}

// Active backends whose query text contains `marker` (needs the admin role to see other roles' queries).
int
backends_running(const std::string& marker)
{
    pqxx::connection c(required_env("HUBSYNC_PG_ADMIN_URL"));
    pqxx::nontransaction tx(c);
    return tx.exec("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND pid <> pg_backend_pid() "
                   "AND query LIKE " + tx.quote("%" + marker + "%"))[0][0]
        .as<int>();
}

bool
eventually_backends(const std::string& marker, int count)
{
    for (int i = 0; i < 50; ++i) {
        if (backends_running(marker) == count) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return false;
}

bool
eventually_no_backend(const std::string& marker)
{
    return eventually_backends(marker, 0);
}

std::string
unique_marker(const char* what)
{
    return std::string("hubsync_it_") + what + "_" + std::to_string(::getpid()) + "_" +
           std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
}
}  // namespace

TEST_CASE("model_reader: keys come in byte order whatever the model's collation, NULL keys last, duplicates kept",
          "[pg][model_reader]")
{
    // und-x-icu would sort a, b, B, é, Z; the reader must not follow it, or the merge-join against row state
    // (sorted by byte) would see rows as added and removed.
    auto rows = read_all(R"(SELECT id COLLATE "und-x-icu" AS id, n FROM (VALUES
        ('b', 1), ('B', 2), ('a', 3), ('é', 4), ('Z', 5), ('10', 6), ('9', 7), (NULL, 8), ('', 9), ('a', 10),
        ('ä', 11), (NULL, 12), ('a b', 13), ('ab', 14)) AS v(id, n))",
                         "id");
    std::vector<std::string> expected = {"b", "B", "a", "é", "Z", "10", "9", "", "a", "ä", "a b", "ab"};
    std::sort(expected.begin(), expected.end());   // std::string compares as unsigned bytes, like "C"
    auto got = keys(rows);
    REQUIRE(got.size() == 14);
    for (std::size_t i = 0; i < expected.size(); ++i) CHECK(got[i] == opt(expected[i]));
    CHECK(got[12] == std::nullopt);
    CHECK(got[13] == std::nullopt);
    CHECK(std::count(got.begin(), got.end(), opt("a")) == 2);
    // Rows keep their other columns: the two NULL-key rows are n 8 and 12, in either order.
    std::vector<opt> null_ns = {rows[12].values.at(0), rows[13].values.at(0)};
    std::sort(null_ns.begin(), null_ns.end());
    CHECK(null_ns == std::vector<opt>{opt("12"), opt("8")});
}

TEST_CASE("model_reader: demo.contacts in pieces equals one read, in key order", "[pg][model_reader]")
{
    const std::string sql =
        "SELECT contact_id, email, first_name, last_name, phone, signed_up_on, last_seen_at, is_active, score, tags "
        "FROM demo.contacts";
    auto whole = read_all(sql, "contact_id", 100'000);
    auto pieces = read_all(sql, "contact_id", 7);
    REQUIRE(whole.size() == 5000);
    REQUIRE(pieces.size() == whole.size());
    bool same = true;
    for (std::size_t i = 0; i < whole.size(); ++i)
        same = same && whole[i].pk == pieces[i].pk && whole[i].values == pieces[i].values;
    CHECK(same);
    CHECK(whole.front().pk == opt("ct-00001"));
    CHECK(std::is_sorted(whole.begin(), whole.end(), [](auto& a, auto& b) { return *a.pk < *b.pk; }));
    CHECK(std::adjacent_find(whole.begin(), whole.end(), [](auto& a, auto& b) { return a.pk == b.pk; }) ==
          whole.end());
    const auto& first = whole.front().values;
    REQUIRE(first.size() == 9);
    CHECK(first[0] == opt("diego.silva.1@example.com"));
    CHECK(first[4] == opt("2023-12-24"));
    CHECK(first[5] == opt("2025-04-08 13:53:57+00"));
    CHECK(first[6] == opt("true"));
    CHECK(first[7] == opt("20"));
    CHECK(nlohmann::json::parse(*first[8]) == nlohmann::json::array({"newsletter", "enterprise", "event-2025"}));
}

TEST_CASE("model_reader: values render the same whatever the role's session settings", "[pg][model_reader]")
{
    // The DSN asks for a New York time zone and German dates: a role default could do the same, and the rows'
    // hashes must not change with it.
    auto dsn = warehouse();
    dsn += (dsn.find('?') == std::string::npos ? "?" : "&") +
           std::string("options=-c%20TimeZone%3DAmerica%2FNew_York%20-c%20DateStyle%3DGerman%20-c%20"
                       "extra_float_digits%3D3%20-c%20IntervalStyle%3Diso_8601%20-c%20bytea_output%3Descape");
    auto rows = read_all(R"(SELECT 'k' AS id,
        timestamptz '2026-03-01 12:34:56.789+02' AS ts,
        timestamp '2026-03-01 12:34:56' AS ts_local,
        date '2026-03-01' AS d,
        true AS yes, false AS no,
        12.50::numeric(6,2) AS amount, 0.1::float8 AS f, 42 AS i,
        interval '1 day 2 hours' AS span,
        '\x00ff'::bytea AS raw,
        ARRAY['a', 'b c', NULL, 'd"e'] AS texts, ARRAY[1, 2] AS ints, ARRAY[[1, 2], [3, 4]] AS grid,
        '{}'::text[] AS empty, NULL::text[] AS none,
        '{"b": 1, "a": [1, 2]}'::jsonb AS doc, '{"b":1,  "a":2}'::json AS raw_doc,
        NULL::text AS missing,
        'ab'::char(4) AS padded, '10.0.0.1'::inet AS ip, 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid AS uid,
        time '01:02:03.5' AS at, 1e100::float8 AS big, 'x'::name AS nm)",
                         "id", 1000, dsn);
    REQUIRE(rows.size() == 1);
    const auto& v = rows[0].values;
    REQUIRE(v.size() == 24);
    CHECK(v[0] == opt("2026-03-01 10:34:56.789+00"));
    CHECK(v[1] == opt("2026-03-01 12:34:56"));
    CHECK(v[2] == opt("2026-03-01"));
    CHECK(v[3] == opt("true"));
    CHECK(v[4] == opt("false"));
    CHECK(v[5] == opt("12.50"));
    CHECK(v[6] == opt("0.1"));
    CHECK(v[7] == opt("42"));
    CHECK(v[8] == opt("1 day 02:00:00"));
    CHECK(v[9] == opt("\\x00ff"));
    CHECK(v[10] == opt(R"(["a","b c",null,"d\"e"])"));
    CHECK(v[11] == opt("[1,2]"));
    CHECK(v[12] == opt("[[1,2],[3,4]]"));
    CHECK(v[13] == opt("[]"));
    CHECK(v[14] == std::nullopt);
    CHECK(v[15] == opt(R"({"a": [1, 2], "b": 1})"));
    CHECK(v[16] == opt(R"({"b":1,  "a":2})"));
    CHECK(v[17] == std::nullopt);
    CHECK(v[18] == opt("ab"));
    CHECK(v[19] == opt("10.0.0.1/32"));
    CHECK(v[20] == opt("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11"));
    CHECK(v[21] == opt("01:02:03.5"));
    CHECK(v[22] == opt("1e+100"));
    CHECK(v[23] == opt("x"));
}

TEST_CASE("model_reader: domains, enums and composites render as their ::text", "[pg][model_reader]")
{
    hubsync::test::test_database db;
    {
        pqxx::connection c(db.url());
        pqxx::nontransaction(c).exec("CREATE DOMAIN flag AS boolean; CREATE DOMAIN code AS character(3); "
                                     "CREATE TYPE mood AS ENUM ('ok', 'meh'); CREATE TYPE pair AS (a int, b text)");
    }
    auto rows = read_all("SELECT 1 AS id, true::flag AS f, 'ab'::code AS c, 'meh'::mood AS m, "
                         "ROW(1, 'x y')::pair AS p, ARRAY[true, false]::flag[] AS fs",
                         "id", 10, db.url());
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].values == std::vector<opt>{opt("true"), opt("ab"), opt("meh"), opt("(1,\"x y\")"),
                                             opt("[true,false]")});
}

TEST_CASE("model_reader: text with tabs, newlines, backslashes and \\N comes back byte for byte",
          "[pg][model_reader]")
{
    auto rows = read_all(R"(SELECT id, v FROM (VALUES
        ('1', E'tab\there'), ('2', E'line\nbreak\r\n'), ('3', E'back\\slash\\'), ('4', '\N'), ('5', ''),
        ('6', NULL), ('7', E'\\N\\t'), ('8', 'ünïcødé 🚀'), ('9', E'\b\f\x0b'), (E'k\tey', 'x')) AS t(id, v))",
                         "id");
    REQUIRE(rows.size() == 10);
    std::vector<std::pair<std::string, opt>> expected = {
        {"1", "tab\there"},     {"2", "line\nbreak\r\n"}, {"3", "back\\slash\\"}, {"4", "\\N"},
        {"5", ""},              {"6", std::nullopt},      {"7", "\\N\\t"},        {"8", "ünïcødé 🚀"},
        {"9", "\b\f\v"},        {"k\tey", "x"}};
    for (std::size_t i = 0; i < expected.size(); ++i) {
        CHECK(rows[i].pk == opt(expected[i].first));
        CHECK(rows[i].values.at(0) == expected[i].second);
    }
}

TEST_CASE("model_reader: column and key names with spaces, quotes, capitals and keywords are quoted",
          "[pg][model_reader]")
{
    auto rows = read_all(R"(SELECT 'k1' AS "My ""Id""", 'a' AS "First Name", 'b' AS "MixedCase", 'c' AS "select",
                                   'd' AS "semi;colon", ARRAY['x'] AS "Tags []")",
                         "My \"Id\"");
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].pk == opt("k1"));
    CHECK(rows[0].values == std::vector<opt>{opt("a"), opt("b"), opt("c"), opt("d"), opt(R"(["x"])")});
    CHECK(quote_identifier("a\"b") == "\"a\"\"b\"");
}

TEST_CASE("model_reader: next() returns at most max_rows and reuses the caller's rows", "[pg][model_reader]")
{
    model_reader reader(warehouse(), "SELECT g AS id, g * 2 AS twice FROM generate_series(1, 10) AS g", "id",
                        {{"twice", "integer"}}, {});
    std::vector<model_row> out;
    reader.next(out, 3);
    REQUIRE(out.size() == 3);
    // Text order: "1", "10", "2".
    CHECK(out[0].pk == opt("1"));
    CHECK(out[1].pk == opt("10"));
    CHECK(out[2].values == std::vector<opt>{opt("4")});
    const auto* storage = out.data();
    reader.next(out, 3);
    CHECK(out.data() == storage);
    CHECK(reader.rows_read() == 6);
    reader.next(out, 100);
    CHECK(out.size() == 4);
    reader.next(out, 100);
    CHECK(out.empty());
    reader.next(out, 100);
    CHECK(out.empty());
    CHECK(reader.rows_read() == 10);
    CHECK_THROWS_AS(reader.next(out, 0), std::invalid_argument);
}

TEST_CASE("model_reader: an empty model ends at once", "[pg][model_reader]")
{
    model_reader reader(warehouse(), "SELECT contact_id, email FROM demo.contacts WHERE false", "contact_id",
                        {{"email", "text"}}, {});
    std::vector<model_row> out(5);
    reader.next(out, 10);
    CHECK(out.empty());
    CHECK(reader.rows_read() == 0);
}

TEST_CASE("model_reader: cancel() from another thread stops a blocked next() and the server's query promptly",
          "[pg][model_reader]")
{
    auto marker = unique_marker("cancel");
    // The sort needs every row before the first, and pg_sleep holds up the first: next() blocks for 60 s.
    model_reader reader(warehouse(),
                        "SELECT g::text AS id /* " + marker + " */ FROM generate_series(1, 3) AS g, pg_sleep(60) AS s",
                        "id", {}, {});
    auto started = std::chrono::steady_clock::now();
    auto blocked = std::async(std::launch::async, [&] {
        std::vector<model_row> out;
        reader.next(out, 10);
    });
    CHECK(blocked.wait_for(std::chrono::milliseconds(500)) == std::future_status::timeout);
    reader.cancel();
    REQUIRE(blocked.wait_for(std::chrono::seconds(5)) == std::future_status::ready);
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    CHECK_THROWS_AS(blocked.get(), read_cancelled);
    CHECK(eventually_no_backend(marker));

    std::vector<model_row> out;
    CHECK_THROWS_AS(reader.next(out, 10), read_cancelled);
}

TEST_CASE("model_reader: cancel() between batches fails the next call, and dropping a reader stops its query",
          "[pg][model_reader]")
{
    auto marker = unique_marker("drop");
    const std::string sql = "SELECT contact_id /* " + marker + " */, email FROM demo.contacts";
    {
        model_reader reader(warehouse(), sql, "contact_id", {{"email", "text"}}, {});
        std::vector<model_row> out;
        reader.next(out, 10);
        CHECK(out.size() == 10);
        reader.cancel();
        CHECK_THROWS_AS(reader.next(out, 10), read_cancelled);
        CHECK(reader.rows_read() == 10);
    }
    {
        auto slow = unique_marker("slow");
        std::optional<model_reader> reader;
        reader.emplace(warehouse(),
                       "SELECT g::text AS id /* " + slow + " */ FROM generate_series(1, 3) AS g, pg_sleep(60) AS s", "id",
                       std::vector<column>{}, query_limits{});
        REQUIRE(eventually_backends(slow, 1));
        // Destroyed while the server is still sorting.
        reader.reset();
        CHECK(eventually_no_backend(slow));
    }
    CHECK(eventually_no_backend(marker));
}

TEST_CASE("model_reader: a model that sends no first row in time fails with a timeout", "[pg][model_reader]")
{
    auto marker = unique_marker("timeout");
    query_limits limits;
    limits.first_row_timeout = std::chrono::milliseconds(700);
    model_reader reader(warehouse(),
                        "SELECT g::text AS id /* " + marker + " */ FROM generate_series(1, 3) AS g, pg_sleep(30) AS s",
                        "id", {}, limits);
    std::vector<model_row> out;
    auto started = std::chrono::steady_clock::now();
    try {
        reader.next(out, 10);
        FAIL("next() returned");
    } catch (const read_cancelled&) {
        FAIL("a timeout is not a cancellation");
    } catch (const hubsync::core::error& e) {
        CHECK(e.code() == hubsync::core::errc::unprocessable);
        CHECK_THAT(e.what(), Catch::Contains("first-row timeout of 700 ms"));
    }
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(3));
    CHECK(eventually_no_backend(marker));
}

TEST_CASE("model_reader: a long read is not cut by a statement timeout", "[pg][model_reader]")
{
    // The role's own statement_timeout (here from the DSN) would stop a multi-minute run: the reader lifts it.
    auto dsn = warehouse();
    dsn += (dsn.find('?') == std::string::npos ? "?" : "&") + std::string("options=-c%20statement_timeout%3D300");
    model_reader reader(dsn, "SELECT g::text AS id FROM generate_series(1, 2) AS g, pg_sleep(1) AS s", "id", {}, {});
    std::vector<model_row> out;
    reader.next(out, 10);
    CHECK(out.size() == 2);
}

TEST_CASE("model_reader: SQL errors are unprocessable errors carrying the SQL message, never the DSN",
          "[pg][model_reader]")
{
    auto dsn = warehouse();
    auto expect_error = [&](auto&& f, const std::string& text) {
        try {
            f();
            FAIL("no error");
        } catch (const hubsync::core::error& e) {
            CHECK(e.code() == hubsync::core::errc::unprocessable);
            CHECK_THAT(e.what(), Catch::Contains(text));
            CHECK_THAT(e.what(), !Catch::Contains("demo-reader-pw"));
            CHECK_THAT(e.what(), !Catch::Contains("wrong-secret-pw"));
        }
    };
    auto read = [&](const std::string& dsn, const std::string& sql, const std::string& pk,
                    std::vector<column> cols) {
        model_reader r(dsn, sql, pk, std::move(cols), {});
        std::vector<model_row> out;
        r.next(out, 10);
    };
    SECTION("a syntax error fails the first next()")
    {
        expect_error([&] { read(dsn, "SELEC contact_id FROM demo.contacts", "contact_id", {}); }, "syntax error");
    }
    SECTION("a mapped column the model lacks fails the first next()")
    {
        expect_error([&] { read(dsn, "SELECT contact_id FROM demo.contacts", "contact_id", {{"nope", "text"}}); },
                     "column hubsync_model.nope does not exist");
        expect_error([&] { read(dsn, "SELECT contact_id FROM demo.contacts", "id", {}); },
                     "column hubsync_model.id does not exist");
    }
    SECTION("the transaction is read-only, even for a role that may write")
    {
        hubsync::test::test_database db;
        pqxx::connection c(db.url());
        pqxx::nontransaction(c).exec("CREATE SEQUENCE counter");
        expect_error([&] { read(db.url(), "SELECT nextval('counter')::text AS id", "id", {}); },
                     "cannot execute nextval() in a read-only transaction");
    }
    SECTION("an error while executing fails next(), then every later next()")
    {
        model_reader r(dsn, "SELECT g::text AS id, 10 / (g - 500) AS q FROM generate_series(1, 1000) AS g", "id",
                       {{"q", "integer"}}, {});
        std::vector<model_row> out;
        expect_error([&] { r.next(out, 10); }, "division by zero");
        expect_error([&] { r.next(out, 10); }, "the model query failed: division by zero");
    }
    SECTION("a wrong password fails the constructor without echoing the DSN")
    {
        auto bad = dsn;
        bad.replace(bad.find("demo-reader-pw"), std::strlen("demo-reader-pw"), "wrong-secret-pw");
        expect_error([&] { model_reader r(bad, "SELECT 1 AS id", "id", {}, {}); }, "cannot connect to the source");
        expect_error([&] { model_reader r(dsn + "?sslmode=bogus", "SELECT 1 AS id", "id", {}, {}); },
                     "cannot connect to the source");
    }
}

TEST_CASE("model_reader: memory stays bounded while reading a model far larger than a batch", "[pg][model_reader]")
{
    // 120,000 rows of 1 KB: about 120 MB if the reader (or libpq) held the model.
    std::ofstream("/proc/self/clear_refs") << "5";
    long before = status_kib("VmRSS:");
    model_reader reader(warehouse(),
                        "SELECT lpad(g::text, 8, '0') AS id, repeat(chr(97 + g % 26), 1000) AS pad "
                        "FROM generate_series(1, 120000) AS g",
                        "id", {{"pad", "text"}}, {});
    std::vector<model_row> out;
    std::size_t rows = 0, bytes = 0;
    for (reader.next(out, 1000); !out.empty(); reader.next(out, 1000))
        for (const auto& r : out) {
            ++rows;
            bytes += r.values[0]->size();
        }
    CHECK(rows == 120'000);
    CHECK(bytes == 120'000'000);
    long growth_kib = status_kib("VmHWM:") - before;
    INFO("peak RSS growth " << growth_kib << " KiB");
#if defined(__SANITIZE_ADDRESS__)
    // ASan holds freed memory in quarantine (256 MB by default), so RSS says nothing here; the release run checks.
    WARN("peak RSS growth " << growth_kib << " KiB, not checked under AddressSanitizer");
#else
    CHECK(growth_kib < 24 * 1024);
#endif
}
