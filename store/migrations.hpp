#pragma once
#include <pqxx/pqxx>

#include <string>
#include <vector>

namespace hubsync::store {

struct migration {
    int version;
    std::string name;
    std::string sql;
};

// The migrations compiled into this binary, in version order (generated from store/migrations/*.sql).
const std::vector<migration>& builtin_migrations();

// Brings schema `hubsync` up to the newest built-in version in one transaction. An advisory lock serialises
// daemons that start at once: the second waits, then finds nothing left to do. Throws std::runtime_error when the
// database is newer than this binary (a downgrade would corrupt state). Returns how many migrations ran.
int apply_migrations(pqxx::connection& conn, const std::vector<migration>& migrations = builtin_migrations());

// The highest applied version, 0 when none.
int schema_version(pqxx::connection& conn);

}  // namespace hubsync::store
