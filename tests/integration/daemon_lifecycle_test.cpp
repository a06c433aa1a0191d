// hubsyncd as an operator meets it: start-up errors, signals, migrations under concurrency, HTTP transport limits.
#include "tests/support/daemon_fixture.hpp"

#include <catch2/catch.hpp>

#include <sstream>
#include <pqxx/pqxx>

#include <signal.h>

#include <thread>

using namespace hubsync::test;

namespace {
std::map<std::string, std::string>
base_env(const test_database& db, unsigned short port)
{
    return {{"HUBSYNC_DATABASE_URL", db.url()},
            {"HUBSYNC_SECRET_KEY", test_secret_key},
            {"HUBSYNC_API_TOKENS", test_token},
            {"HUBSYNC_LISTEN", "127.0.0.1:" + std::to_string(port)}};
}
}  // namespace

TEST_CASE("hubsyncd --version and --help exit 0 without any configuration", "[pg][daemon]")
{
    daemon_process version({}, {"--version"});
    REQUIRE(version.wait_exit(10000) == 0);
    CHECK(version.log().find("hubsyncd 0.1.0") != std::string::npos);
    daemon_process help({}, {"--help"});
    REQUIRE(help.wait_exit(10000) == 0);
    CHECK(help.log().find("--database-url") != std::string::npos);
    CHECK(help.log().find("HUBSYNC_DATABASE_URL") != std::string::npos);
}

TEST_CASE("start-up errors are clear and exit non-zero", "[pg][daemon]")
{
    test_database db;
    auto port = free_port();

    SECTION("missing secret key")
    {
        auto env = base_env(db, port);
        env.erase("HUBSYNC_SECRET_KEY");
        daemon_process d(env);
        CHECK(d.wait_exit(10000) == 2);
        CHECK(d.log().find("HUBSYNC_SECRET_KEY is not set") != std::string::npos);
    }
    SECTION("malformed secret key, never echoed")
    {
        auto env = base_env(db, port);
        env["HUBSYNC_SECRET_KEY"] = "c2hvcnQta2V5LXZhbHVl";  // base64 of 15 bytes
        daemon_process d(env);
        CHECK(d.wait_exit(10000) == 1);
        CHECK(d.log().find("must decode to 32 bytes") != std::string::npos);
        CHECK(d.log().find("c2hvcnQta2V5LXZhbHVl") == std::string::npos);
    }
    SECTION("unreachable state database, password not logged")
    {
        auto env = base_env(db, port);
        env["HUBSYNC_DATABASE_URL"] = "postgresql://someone:hunter2-secret@127.0.0.1:" + std::to_string(free_port()) + "/x";
        daemon_process d(env);
        CHECK(d.wait_exit(20000) == 1);
        CHECK(d.log().find("cannot connect to the state database") != std::string::npos);
        CHECK(d.log().find("hunter2-secret") == std::string::npos);
    }
    SECTION("malformed database URL")
    {
        auto env = base_env(db, port);
        env["HUBSYNC_DATABASE_URL"] = "postgresql://a:b@host:notaport/x";
        daemon_process d(env);
        CHECK(d.wait_exit(20000) == 1);
        CHECK(d.log().find("startup.failed") != std::string::npos);
    }
    SECTION("missing API tokens")
    {
        auto env = base_env(db, port);
        env.erase("HUBSYNC_API_TOKENS");
        daemon_process d(env);
        CHECK(d.wait_exit(10000) == 2);
        CHECK(d.log().find("no API token is configured") != std::string::npos);
    }
    SECTION("port in use")
    {
        daemon_process first(base_env(db, port));
        first.wait_ready(port);
        daemon_process second(base_env(db, port));
        CHECK(second.wait_exit(20000) == 1);
        CHECK(second.log().find("cannot listen on 127.0.0.1:" + std::to_string(port)) != std::string::npos);
        CHECK(first.running());
    }
}

TEST_CASE("SIGTERM and SIGINT shut down cleanly with exit 0", "[pg][daemon]")
{
    int sig = GENERATE(SIGTERM, SIGINT);
    daemon_fixture f;
    REQUIRE(f.api("GET", "/v1/sources").status == 200);
    CHECK(f.process().stop(sig) == 0);
    CHECK(f.process().log().find("hubsyncd.stopped") != std::string::npos);
}

TEST_CASE("two daemons starting at once on a new database both migrate it safely", "[pg][daemon]")
{
    test_database db;
    auto p1 = free_port();
    auto p2 = free_port();
    while (p2 == p1) p2 = free_port();
    daemon_process a(base_env(db, p1));
    daemon_process b(base_env(db, p2));
    a.wait_ready(p1);
    b.wait_ready(p2);
    pqxx::connection c(db.url());
    pqxx::read_transaction tx(c);
    CHECK(tx.exec("SELECT count(*) FROM hubsync.schema_migrations")[0][0].as<int>() ==
          tx.exec("SELECT max(version) FROM hubsync.schema_migrations")[0][0].as<int>());
    // Both serve the same state.
    CHECK(http_request(p1, "GET", "/readyz").status == 200);
    CHECK(http_request(p2, "GET", "/readyz").status == 200);
}

TEST_CASE("health, readiness and metrics need no token, the API does", "[pg][daemon]")
{
    daemon_fixture f;
    CHECK(http_request(f.port(), "GET", "/healthz").status == 200);
    auto ready = http_request(f.port(), "GET", "/readyz");
    CHECK(ready.status == 200);
    CHECK(ready.json()["status"] == "ready");

    auto missing = http_request(f.port(), "GET", "/v1/sources");
    CHECK(missing.status == 401);
    CHECK(missing.json()["error"]["code"] == "unauthorized");
    CHECK(missing.header("www-authenticate").find("Bearer") != std::string::npos);
    auto wrong = http_request(f.port(), "GET", "/v1/sources", "", {{"Authorization", "Bearer not-the-token-at-all"}});
    CHECK(wrong.status == 401);
    CHECK(wrong.json()["error"]["message"] == "invalid bearer token");
    auto basic = http_request(f.port(), "GET", "/v1/sources", "", {{"Authorization", "Basic dXNlcjpwYXNz"}});
    CHECK(basic.status == 401);

    auto metrics = http_request(f.port(), "GET", "/metrics");
    CHECK(metrics.status == 200);
    CHECK(metrics.header("content-type").find("text/plain") == 0);
    CHECK(metrics.body.find("hubsync_http_requests_total{route=\"GET /v1/sources\",status=\"401\"} 3") !=
          std::string::npos);
}

TEST_CASE("a lost state-database connection is a 503, then the pool reconnects and the daemon keeps serving", "[pg][daemon]")
{
    daemon_fixture f;
    REQUIRE(http_request(f.port(), "GET", "/readyz").status == 200);
    {
        pqxx::connection admin(required_env("HUBSYNC_PG_ADMIN_URL"));
        pqxx::nontransaction(admin).exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
                                         admin.quote(f.database().name()));
    }
    // The pooled connections were killed: the first calls may see them broken, then the pool reconnects.
    int ok = 0;
    for (int i = 0; i < 10 && ok == 0; ++i) {
        auto r = f.api("GET", "/v1/sources");
        CHECK((r.status == 200 || r.status == 503));
        if (r.status == 503) CHECK(r.json()["error"]["code"] == "unavailable");
        ok += r.status == 200;
    }
    CHECK(ok == 1);
    CHECK(f.process().running());
}

TEST_CASE("keep-alive serves several requests on one connection", "[pg][daemon]")
{
    daemon_fixture f;
    persistent_client c(f.port());
    auto auth = std::map<std::string, std::string>{{"Authorization", std::string("Bearer ") + test_token}};
    for (int i = 0; i < 5; ++i) {
        auto r = c.request("GET", "/v1/syncs", "", auth);
        CHECK(r.status == 200);
        CHECK(r.header("connection") != "close");
    }
}

TEST_CASE("slow or oversized requests are cut off", "[pg][daemon]")
{
    daemon_fixture f(env_map{{"HUBSYNC_HEADER_TIMEOUT_SECONDS", "1"}, {"HUBSYNC_BODY_TIMEOUT_SECONDS", "1"},
                      {"HUBSYNC_MAX_BODY_BYTES", "4096"}});

    SECTION("a client that never finishes its headers is disconnected")
    {
        auto started = std::chrono::steady_clock::now();
        auto got = raw_exchange(f.port(), "GET /healthz HTTP/1.1\r\nHost: x\r\n", 8000);
        auto elapsed = std::chrono::steady_clock::now() - started;
        CHECK(got.empty());
        CHECK(elapsed < std::chrono::seconds(5));
    }
    SECTION("a body that never arrives is cut off after the body timeout")
    {
        auto started = std::chrono::steady_clock::now();
        auto got = raw_exchange(f.port(),
                                "POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"name\"", 8000);
        CHECK(got.empty());
        CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }
    SECTION("a declared body over the limit is refused with 413 before it is read")
    {
        auto got = raw_exchange(f.port(), "POST /v1/sources HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n", 8000);
        CHECK(got.find("HTTP/1.1 413") == 0);
        CHECK(got.find("payload_too_large") != std::string::npos);
    }
    SECTION("a chunked body over the limit is refused with 413")
    {
        std::string chunk(5000, 'x');
        std::ostringstream req;
        req << "POST /v1/sources HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" << std::hex << chunk.size()
            << "\r\n" << chunk << "\r\n0\r\n\r\n";
        auto got = raw_exchange(f.port(), req.str(), 8000);
        CHECK(got.find("HTTP/1.1 413") == 0);
    }
    SECTION("garbage instead of HTTP gets a 400")
    {
        auto got = raw_exchange(f.port(), "HELLO THERE\r\n\r\n", 8000);
        CHECK(got.find("HTTP/1.1 400") == 0);
    }
    CHECK(f.process().running());
    CHECK(http_request(f.port(), "GET", "/healthz").status == 200);
}

TEST_CASE("JSON logs are one valid JSON object per line", "[pg][daemon]")
{
    daemon_fixture f(env_map{{"HUBSYNC_LOG_FORMAT", "json"}});
    f.api("GET", "/v1/nothing-here");
    f.process().stop(SIGTERM);
    std::istringstream lines(f.process().log());
    std::string line;
    int n = 0;
    while (std::getline(lines, line)) {
        if (line.empty()) continue;
        INFO(line);
        auto j = nlohmann::json::parse(line);
        CHECK(j.contains("time"));
        CHECK(j.contains("level"));
        CHECK(j.contains("msg"));
        ++n;
    }
    CHECK(n >= 3);
}
