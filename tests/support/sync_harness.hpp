#pragma once
// What run tests share: a warehouse table of their own, object syncs over it, runs triggered and awaited, and the
// emulator's records read back.
#include "tests/support/daemon_fixture.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace hubsync::test {

// A fresh database with a `people` table of n rows: id p000001…, email personN@example.com, first_name FirstN, …
struct warehouse {
    test_database db;

    explicit warehouse(int n);
    void exec(const std::string& sql) const;
};

inline constexpr const char* people_sql =
    "SELECT id, email, first_name, last_name, stage, score, signed_up, seen_at FROM people";

// The id in a 200/201/202 answer (the test fails on any other status).
std::int64_t id_of(const http_result& r, const char* what);

// A source, model and destination of their own, and an object sync over them.
std::int64_t object_sync(daemon_fixture& f, const warehouse& w, const std::string& object, const std::string& mode,
                         nlohmann::json match, nlohmann::json mappings, const std::string& sql = people_sql);

// Triggers a run (with `options`) and waits for its end.
nlohmann::json run_sync_once(daemon_fixture& f, std::int64_t sync, nlohmann::json options = nlohmann::json::object(),
                             int seconds = 30);
nlohmann::json wait_run(daemon_fixture& f, std::int64_t run, int seconds = 30);
nlohmann::json run_errors(daemon_fixture& f, std::int64_t run);

// The emulator's records of `type` by the value of `key`, and how many records hold each value.
std::map<std::string, nlohmann::json> records_by(const emulator_fixture& emu, const std::string& type,
                                                 const std::string& key);
std::map<std::string, int> copies_by(const emulator_fixture& emu, const std::string& type, const std::string& key);

// Batch writes the emulator answered (reads and searches not counted).
int writes(const emulator_fixture& emu);

}  // namespace hubsync::test
