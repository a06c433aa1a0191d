#include "store/migrations.hpp"

#include <stdexcept>

namespace hubsync::store {

namespace {
// Any constant works; it only has to be the same in every hubsyncd ("hubsync" in ASCII).
constexpr long long migration_lock_key = 0x68756273796e63;
}  // namespace

int
apply_migrations(pqxx::connection& conn, const std::vector<migration>& migrations)
{
    pqxx::work tx(conn);
    tx.exec("SELECT pg_advisory_xact_lock(" + std::to_string(migration_lock_key) + ")");
    tx.exec("CREATE SCHEMA IF NOT EXISTS hubsync");
    tx.exec("CREATE TABLE IF NOT EXISTS hubsync.schema_migrations ("
            " version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
    int current = tx.exec("SELECT coalesce(max(version), 0) FROM hubsync.schema_migrations")[0][0].as<int>();
    int newest = migrations.empty() ? 0 : migrations.back().version;
    if (current > newest)
        throw std::runtime_error("the state database schema is at version " + std::to_string(current) +
                                 " but this hubsyncd knows versions up to " + std::to_string(newest) +
                                 "; run a newer hubsyncd");
    int applied = 0;
    for (const auto& m : migrations) {
        if (m.version <= current) continue;
        tx.exec("SET LOCAL search_path = hubsync");
        tx.exec(m.sql);
        tx.exec("INSERT INTO hubsync.schema_migrations (version, name) VALUES (" + std::to_string(m.version) + ", " +
                tx.quote(m.name) + ")");
        ++applied;
    }
    tx.commit();
    return applied;
}

int
schema_version(pqxx::connection& conn)
{
    pqxx::read_transaction tx(conn);
    auto r = tx.exec("SELECT to_regclass('hubsync.schema_migrations') IS NOT NULL");
    if (!r[0][0].as<bool>()) return 0;
    return tx.exec("SELECT coalesce(max(version), 0) FROM hubsync.schema_migrations")[0][0].as<int>();
}

}  // namespace hubsync::store
