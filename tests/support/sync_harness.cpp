#include "tests/support/sync_harness.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include <thread>

namespace hubsync::test {

using nlohmann::json;

warehouse::warehouse(int n)
{
    exec("CREATE TABLE people (id text PRIMARY KEY, email text, first_name text, last_name text, stage text, "
         "score numeric, signed_up date, seen_at timestamptz)");
    exec("INSERT INTO people SELECT 'p' || lpad(i::text, 6, '0'), 'person' || i || '@example.com', 'First' || i, "
         "'Last' || i, 'lead', i * 1.5, date '2024-01-01' + i, timestamptz '2024-01-01 00:00:00+00' + i * interval "
         "'1 hour' FROM generate_series(1, " + std::to_string(n) + ") i");
}

void
warehouse::exec(const std::string& sql) const
{
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    tx.exec(sql);
    tx.commit();
}

std::int64_t
id_of(const http_result& r, const char* what)
{
    INFO(what << ": " << r.body);
    REQUIRE((r.status == 201 || r.status == 202 || r.status == 200));
    return r.json()["id"].get<std::int64_t>();
}

std::int64_t
object_sync(daemon_fixture& f, const warehouse& w, const std::string& object, const std::string& mode, json match,
            json mappings, const std::string& sql)
{
    auto source = id_of(f.api("POST", "/v1/sources",
                              json{{"name", "wh-" + object}, {"type", "postgres"}, {"config", {{"url", w.db.url()}}}}),
                        "source");
    auto model = id_of(f.api("POST", "/v1/models",
                             json{{"name", "people-" + object}, {"source_id", source}, {"primary_key", "id"},
                                  {"sql", sql}}),
                       "model");
    auto destination = f.create_destination("hs-" + object);
    return id_of(f.api("POST", "/v1/syncs",
                       json{{"name", object}, {"model_id", model}, {"destination_id", destination}, {"type", "object"},
                            {"config", {{"object", object}, {"mode", mode}, {"match", match}, {"mappings", mappings}}},
                            {"schedule", {{"type", "manual"}}}}),
                 "sync");
}

json
wait_run(daemon_fixture& f, std::int64_t run, int seconds)
{
    for (int i = 0; i < seconds * 10; ++i) {
        auto r = f.api("GET", "/v1/runs/" + std::to_string(run)).json();
        if (r["status"] != "queued" && r["status"] != "running") return r;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    auto log = f.process().log();
    FAIL("run " << run << " did not finish; hubsyncd log:\n" << log.substr(log.size() > 6000 ? log.size() - 6000 : 0));
    return {};
}

json
run_sync_once(daemon_fixture& f, std::int64_t sync, json options, int seconds)
{
    auto r = f.api("POST", "/v1/syncs/" + std::to_string(sync) + "/trigger", options);
    INFO(r.body);
    REQUIRE(r.status == 202);
    return wait_run(f, r.json()["id"].get<std::int64_t>(), seconds);
}

json
run_errors(daemon_fixture& f, std::int64_t run)
{
    return f.api("GET", "/v1/runs/" + std::to_string(run) + "/errors?limit=200").json()["data"];
}

std::map<std::string, json>
records_by(const emulator_fixture& emu, const std::string& type, const std::string& key)
{
    std::map<std::string, json> out;
    auto state = emu.state(type);
    for (const auto& r : state["results"]) out[r["properties"].value(key, "")] = r["properties"];
    return out;
}

std::map<std::string, int>
copies_by(const emulator_fixture& emu, const std::string& type, const std::string& key)
{
    std::map<std::string, int> out;
    auto state = emu.state(type);
    for (const auto& r : state["results"]) ++out[r["properties"].value(key, "")];
    return out;
}

int
writes(const emulator_fixture& emu)
{
    int n = 0;
    auto requests = emu.requests();
    for (const auto& [route, count] : requests["by_route"].items())
        if (route.find("/batch/") != std::string::npos && route.find("/batch/read") == std::string::npos)
            n += count.get<int>();
    return n;
}

}  // namespace hubsync::test
