// store::row_state against a real state database: keys and errors of any text survive the array parameters, a
// failed row keeps its baseline and counts attempts, a synced row takes the new one, removals go.
#include "store/migrations.hpp"
#include "store/row_state.hpp"
#include "tests/support/test_database.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

using namespace hubsync::store;

namespace {
std::int64_t
make_sync(pqxx::connection& c)
{
    pqxx::work tx(c);
    auto source = tx.exec1("INSERT INTO hubsync.sources (name, type, config, secret) "
                           "VALUES ('s', 'postgres', '{}', 'x') RETURNING id")[0].as<std::int64_t>();
    auto model = tx.exec1("INSERT INTO hubsync.models (name, source_id, sql, primary_key) VALUES ('m', " +
                          std::to_string(source) + ", 'SELECT 1 AS id', 'id') RETURNING id")[0].as<std::int64_t>();
    auto dest = tx.exec1("INSERT INTO hubsync.destinations (name, type, config, auth_method) "
                         "VALUES ('d', 'hubspot', '{}', 'private_app') RETURNING id")[0].as<std::int64_t>();
    auto sync = tx.exec1("INSERT INTO hubsync.syncs (name, model_id, destination_id, type, config, schedule) VALUES "
                         "('y', " + std::to_string(model) + ", " + std::to_string(dest) +
                         ", 'object', '{}', '{}') RETURNING id")[0].as<std::int64_t>();
    tx.commit();
    return sync;
}

std::vector<row_state_entry>
read_all(pqxx::connection& c, std::int64_t sync)
{
    return row_state::read_after(c, sync, std::nullopt, 1000);
}
}  // namespace

TEST_CASE("row state: any key and error text round-trips, baselines move only on success", "[store][row_state]")
{
    hubsync::test::test_database db;
    pqxx::connection c(db.url());
    apply_migrations(c);
    auto sync = make_sync(c);

    // Characters an array literal must escape or that look like its syntax.
    const std::vector<std::string> keys = {"plain", "with \"quotes\"", "back\\slash", "{braces}", "a,b", "NULL",
                                           "", " spaced ", "ünï\tcode"};
    std::vector<row_state_update> first;
    for (std::size_t i = 0; i < keys.size(); ++i)
        first.push_back({keys[i], static_cast<std::int64_t>(i) - 4, "id-" + std::to_string(i), "synced", std::nullopt});
    row_state::apply(c, sync, first);

    auto rows = read_all(c, sync);
    REQUIRE(rows.size() == keys.size());
    for (const auto& r : rows) {
        auto it = std::find(keys.begin(), keys.end(), r.pk);
        REQUIRE(it != keys.end());
        auto i = static_cast<std::int64_t>(it - keys.begin());
        CHECK(r.hash == i - 4);
        CHECK(r.hubspot_id == "id-" + std::to_string(i));
        CHECK(r.status == "synced");
        CHECK(r.attempts == 0);
    }
    // Byte order, as the planner merges.
    CHECK(std::is_sorted(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.pk < b.pk; }));

    SECTION("a failure keeps the hash and the id, counts attempts and keeps the error's text")
    {
        const std::string error = "HubSpot refused the row: \"x\" is not {valid}\\";
        row_state::apply(c, sync, {{"with \"quotes\"", 999, std::nullopt, "failed", error}});
        row_state::apply(c, sync, {{"with \"quotes\"", 999, std::nullopt, "failed", error}});
        pqxx::work tx(c);
        auto r = tx.exec1("SELECT hash, hubspot_id, status, attempts, last_error FROM hubsync.row_state "
                          "WHERE pk = 'with \"quotes\"'");
        CHECK(r[0].as<std::int64_t>() == -3);
        CHECK(r[1].as<std::string>() == "id-1");
        CHECK(r[2].as<std::string>() == "failed");
        CHECK(r[3].as<int>() == 2);
        CHECK(r[4].as<std::string>() == error);
    }
    SECTION("a success after a failure takes the new hash and clears attempts; removals delete exactly theirs")
    {
        row_state::apply(c, sync, {{"back\\slash", 7, std::nullopt, "failed", "boom"}});
        row_state::apply(c, sync, {{"back\\slash", 8, std::nullopt, "synced", std::nullopt}}, {"NULL", "a,b", ""});
        auto after = read_all(c, sync);
        CHECK(after.size() == keys.size() - 3);
        for (const auto& r : after) {
            CHECK(r.pk != "NULL");
            CHECK(r.pk != "a,b");
            CHECK(!r.pk.empty());
            if (r.pk == "back\\slash") {
                CHECK(r.hash == 8);
                CHECK(r.hubspot_id == "id-2");
                CHECK(r.attempts == 0);
            }
        }
    }
    SECTION("deleting the sync deletes its row state, and a late write of its run is refused, not orphaned")
    {
        {
            pqxx::work tx(c);
            tx.exec("DELETE FROM hubsync.syncs WHERE id = " + std::to_string(sync));
            tx.commit();
        }
        CHECK(read_all(c, sync).empty());
        CHECK_THROWS_WITH(row_state::apply(c, sync, {{"late", 1, "9", "synced", std::nullopt}}),
                          Catch::Contains("was deleted"));
        pqxx::work tx(c);
        CHECK(tx.exec1("SELECT count(*) FROM hubsync.row_state")[0].as<int>() == 0);
    }
    SECTION("a NUL byte in an error (HubSpot may send \\u0000) is dropped, not a failed commit")
    {
        row_state::apply(c, sync, {{"plain", 1, std::nullopt, "failed", std::string("bad\0byte", 8)}});
        pqxx::work tx(c);
        CHECK(tx.exec1("SELECT last_error FROM hubsync.row_state WHERE pk = 'plain'")[0].as<std::string>() == "badbyte");
    }
    SECTION("a pending create has no baseline and no id yet")
    {
        row_state::apply(c, sync, {{"new one", std::nullopt, std::nullopt, "pending", std::nullopt}});
        auto after = read_all(c, sync);
        auto it = std::find_if(after.begin(), after.end(), [](const auto& r) { return r.pk == "new one"; });
        REQUIRE(it != after.end());
        CHECK_FALSE(it->hash.has_value());
        CHECK_FALSE(it->hubspot_id.has_value());
        CHECK(it->status == "pending");
    }
}
