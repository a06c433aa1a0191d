// Models against the real demo warehouse: column discovery, preview, read-only execution, timeouts, bad SQL.
#include "tests/support/daemon_fixture.hpp"

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

using namespace hubsync::test;
using nlohmann::json;

namespace {
json
model_body(std::int64_t source, const std::string& sql, const std::string& pk, const std::string& name = "m")
{
    return {{"name", name}, {"source_id", source}, {"sql", sql}, {"primary_key", pk}};
}
}  // namespace

TEST_CASE("models: columns come from the warehouse and preview returns typed rows", "[pg][api][models]")
{
    daemon_fixture f;
    auto source = f.create_demo_source();
    auto created = f.api("POST", "/v1/models",
                         model_body(source, "  SELECT contact_id, email, score, is_active, tags, signed_up_on FROM demo.contacts ORDER BY contact_id ;; \n", "contact_id"));
    REQUIRE(created.status == 201);
    auto m = created.json();
    CHECK(m["sql"] == "SELECT contact_id, email, score, is_active, tags, signed_up_on FROM demo.contacts ORDER BY contact_id");
    CHECK(m["columns"] == json::parse(R"([{"name":"contact_id","type":"text"},{"name":"email","type":"text"},
        {"name":"score","type":"integer"},{"name":"is_active","type":"boolean"},{"name":"tags","type":"text[]"},
        {"name":"signed_up_on","type":"date"}])"));
    auto id = std::to_string(m["id"].get<std::int64_t>());

    auto preview = f.api("POST", "/v1/models/" + id + "/preview", json{{"limit", 3}});
    REQUIRE(preview.status == 200);
    auto p = preview.json();
    CHECK(p["columns"] == m["columns"]);
    REQUIRE(p["rows"].size() == 3);
    CHECK(p["rows"][0]["contact_id"] == "ct-00001");
    CHECK(p["rows"][0]["score"].is_number_integer());
    CHECK(p["rows"][0]["is_active"].is_boolean());
    CHECK(p["rows"][0]["tags"].is_array());

    CHECK(f.api("POST", "/v1/models/" + id + "/preview").json()["rows"].size() == 100);
    CHECK(f.api("POST", "/v1/models/" + id + "/preview", json{{"limit", 1001}}).status == 422);
    CHECK(f.api("POST", "/v1/models/" + id + "/preview", json{{"rows", 5}}).json()["error"]["details"][0]["path"] == "rows");

    SECTION("patching the SQL re-reads the columns and re-checks the primary key")
    {
        auto bad = f.api("PATCH", "/v1/models/" + id, json{{"sql", "SELECT email FROM demo.contacts"}});
        REQUIRE(bad.status == 422);
        CHECK(bad.json()["error"]["details"][0]["path"] == "primary_key");
        auto good = f.api("PATCH", "/v1/models/" + id, json{{"sql", "SELECT contact_id, email FROM demo.contacts"}});
        REQUIRE(good.status == 200);
        CHECK(good.json()["columns"].size() == 2);
    }
}

TEST_CASE("models: SQL that fails is a 422 naming the problem, and nothing is stored", "[pg][api][models]")
{
    daemon_fixture f;
    auto source = f.create_demo_source();

    auto missing_table = f.api("POST", "/v1/models", model_body(source, "SELECT * FROM demo.nope", "id"));
    CHECK(missing_table.status == 422);
    CHECK(missing_table.json()["error"]["details"][0]["path"] == "sql");
    CHECK(missing_table.json()["error"]["message"].get<std::string>().find("demo.nope") != std::string::npos);

    auto syntax = f.api("POST", "/v1/models", model_body(source, "SELEC 1", "id"));
    CHECK(syntax.status == 422);
    CHECK(syntax.json()["error"]["message"].get<std::string>().find("syntax error") != std::string::npos);

    auto two_statements = f.api("POST", "/v1/models", model_body(source, "SELECT 1 AS id; DROP TABLE demo.contacts", "id"));
    CHECK(two_statements.status == 422);

    auto writes = f.api("POST", "/v1/models",
                        model_body(source, "WITH x AS (DELETE FROM demo.events RETURNING event_id) SELECT event_id FROM x", "event_id"));
    CHECK(writes.status == 422);

    auto duplicate_columns = f.api("POST", "/v1/models", model_body(source, "SELECT 1 AS id, 2 AS id", "id"));
    CHECK(duplicate_columns.status == 422);
    CHECK(duplicate_columns.json()["error"]["message"].get<std::string>().find("more than once") != std::string::npos);

    auto no_source = f.api("POST", "/v1/models", model_body(9999, "SELECT 1 AS id", "id"));
    CHECK(no_source.status == 422);
    CHECK(no_source.json()["error"]["details"][0]["path"] == "source_id");

    auto pk_typo = f.api("POST", "/v1/models", model_body(source, "SELECT contact_id FROM demo.contacts", "contactid"));
    CHECK(pk_typo.status == 422);
    CHECK(pk_typo.json()["error"]["details"][0]["message"].get<std::string>().find("did you mean 'contact_id'") != std::string::npos);

    CHECK(f.api("GET", "/v1/models").json()["data"].empty());
}

TEST_CASE("models: the warehouse runs model SQL read-only under the statement timeout", "[pg][api][models]")
{
    daemon_fixture f(env_map{{"HUBSYNC_STATEMENT_TIMEOUT_MS", "300"}});
    auto source = f.create_demo_source();
    // Describing reads no rows (LIMIT 0), so the slow model is accepted; previewing it hits the timeout.
    auto slow = f.api("POST", "/v1/models", model_body(source, "SELECT 1 AS id, pg_sleep(5) AS s", "id", "slow"));
    REQUIRE(slow.status == 201);
    auto started = std::chrono::steady_clock::now();
    auto preview = f.api("POST", "/v1/models/" + std::to_string(slow.json()["id"].get<std::int64_t>()) + "/preview");
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(4));
    CHECK(preview.status == 422);
    CHECK(preview.json()["error"]["message"].get<std::string>().find("statement timeout of 300 ms") != std::string::npos);

    // Functions with side effects are refused by the read-only transaction, even for a superuser.
    auto admin_url = with_database(required_env("HUBSYNC_PG_ADMIN_URL"), "warehouse");
    {
        pqxx::connection c(admin_url);
        pqxx::nontransaction(c).exec("CREATE SEQUENCE IF NOT EXISTS public.hubsync_it_seq");
    }
    auto admin = f.api("POST", "/v1/sources", json{{"name", "superuser"}, {"type", "postgres"}, {"config", {{"url", admin_url}}}});
    REQUIRE(admin.status == 201);
    auto writes = f.api("POST", "/v1/models",
                        model_body(admin.json()["id"], "SELECT nextval('public.hubsync_it_seq') AS id", "id", "w"));
    REQUIRE(writes.status == 201);  // LIMIT 0 evaluates nothing
    auto run = f.api("POST", "/v1/models/" + std::to_string(writes.json()["id"].get<std::int64_t>()) + "/preview");
    INFO(run.body);
    CHECK(run.status == 422);
    CHECK(run.json()["error"]["message"].get<std::string>().find("read-only transaction") != std::string::npos);

    auto m = f.api("POST", "/v1/models", model_body(source, "SELECT event_id, email FROM demo.events", "event_id", "fast"));
    REQUIRE(m.status == 201);
    auto id = std::to_string(m.json()["id"].get<std::int64_t>());
    CHECK(f.api("POST", "/v1/models/" + id + "/preview", json{{"limit", 5}}).json()["rows"].size() == 5);
}

TEST_CASE("models: an unreachable warehouse is a 422 that says so", "[pg][api][models]")
{
    daemon_fixture f;
    auto dead = "postgresql://u:p@127.0.0.1:" + std::to_string(free_port()) + "/db";
    auto src = f.api("POST", "/v1/sources", json{{"name", "dead"}, {"type", "postgres"}, {"config", {{"url", dead}}}});
    REQUIRE(src.status == 201);
    auto r = f.api("POST", "/v1/models", model_body(src.json()["id"], "SELECT 1 AS id", "id"));
    CHECK(r.status == 422);
    CHECK(r.json()["error"]["message"].get<std::string>().find("cannot connect to the source") != std::string::npos);
}
