#include "api/router.hpp"

#include "core/error.hpp"
#include "core/metrics.hpp"
#include "tests/support/run_sync.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include <atomic>
#include <sstream>
#include <stdexcept>
#include <string>

namespace {

using namespace hubsync::api;
using hubsync::core::errc;
using hubsync::core::metrics_registry;
using hubsync::test::run_sync;
using json = nlohmann::json;

const std::string good_token = "tok_0123456789abcdef0123";
std::atomic<int> handler_calls{0};

// Fake handlers: named coroutines (CP.51/CP.53), each returns a canned response.
net::awaitable<response>
list_handler(const request& req)
{
    ++handler_calls;
    response r;
    r.body = json{{"handler", "list"}, {"method", req.method}}.dump();
    co_return r;
}

net::awaitable<response>
create_handler(const request&)
{
    ++handler_calls;
    response r;
    r.status = 201;
    r.body = R"({"handler":"create"})";
    co_return r;
}

net::awaitable<response>
echo_params_handler(const request& req)
{
    ++handler_calls;
    response r;
    r.body = json(req.params).dump();
    co_return r;
}

net::awaitable<response>
health_handler(const request&)
{
    ++handler_calls;
    response r;
    r.body = R"({"status":"ok"})";
    r.headers.emplace_back("X-Test", "health");
    co_return r;
}

bool
always()
{
    return true;
}

net::awaitable<response>
unprocessable_handler(const request&)
{
    if (always())
        throw hubsync::core::error(errc::unprocessable, "the sync is invalid",
                                   {{"config.mappings[1].column", "the model has no column 'emial'"},
                                    {"schedule.every_seconds", "must be between 60 and 2678400"}});
    co_return response{};
}

net::awaitable<response>
conflict_handler(const request&)
{
    if (always()) throw hubsync::core::error(errc::conflict, "name taken");
    co_return response{};
}

net::awaitable<response>
crashing_handler(const request&)
{
    if (always()) throw std::runtime_error("pqxx: password=hunter2 host=10.0.0.5 broke");
    co_return response{};
}

// Not a coroutine: throws before any awaitable exists.
net::awaitable<response>
eager_crashing_handler(const request&)
{
    throw std::logic_error("eager secret detail");
}

struct fixture {
    metrics_registry metrics;
    router r{{good_token, "tok_second_token_0000000000"}, metrics};

    fixture()
    {
        r.add(route{"GET", "/v1/syncs", list_handler});
        r.add(route{"POST", "/v1/syncs", create_handler});
        r.add(route{"GET", "/v1/syncs/{id}", echo_params_handler});
        r.add(route{"DELETE", "/v1/syncs/{id}", echo_params_handler});
        r.add(route{"GET", "/v1/syncs/{id}/runs/{run_id}", echo_params_handler});
        r.add(route{"GET", "/health", health_handler, false});
        r.add(route{"POST", "/v1/invalid", unprocessable_handler});
        r.add(route{"POST", "/v1/conflict", conflict_handler});
        r.add(route{"GET", "/v1/crash", crashing_handler});
        r.add(route{"GET", "/v1/eager-crash", eager_crashing_handler});
        handler_calls = 0;
    }

    response send(std::string method, std::string path, std::string authorization = "Bearer " + good_token)
    {
        request req;
        req.method = std::move(method);
        req.path = std::move(path);
        req.authorization = std::move(authorization);
        req.request_id = "req-42";
        return run_sync(r.dispatch(std::move(req)));
    }
};

std::string
header(const response& res, const std::string& name)
{
    for (const auto& [k, v] : res.headers)
        if (k == name) return v;
    return {};
}

bool
has_header(const response& res, const std::string& name)
{
    for (const auto& h : res.headers)
        if (h.first == name) return true;
    return false;
}

json
body(const response& res)
{
    return json::parse(res.body);
}

bool
has_line(const std::string& text, const std::string& line)
{
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

// Routes spdlog's default logger (and so core::logger clones made afterwards) into a string for one test.
class captured_log {
public:
    captured_log()
        : previous_(spdlog::default_logger())
    {
        auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
        spdlog::drop("api");
        spdlog::set_default_logger(std::make_shared<spdlog::logger>("test", sink));
    }
    ~captured_log()
    {
        spdlog::drop("api");
        spdlog::set_default_logger(previous_);
    }
    std::string text() const { return out_.str(); }

private:
    std::ostringstream out_;
    std::shared_ptr<spdlog::logger> previous_;
};

}  // namespace

TEST_CASE("split_path ignores empty segments and one trailing slash", "[api][router]")
{
    CHECK(split_path("/v1/syncs/7") == std::vector<std::string>{"v1", "syncs", "7"});
    CHECK(split_path("/v1/syncs/") == std::vector<std::string>{"v1", "syncs"});
    CHECK(split_path("/") == std::vector<std::string>{});
    CHECK(split_path("") == std::vector<std::string>{});
}

TEST_CASE("a matching route runs its handler and returns its response", "[api][router]")
{
    fixture f;
    auto res = f.send("GET", "/v1/syncs");
    CHECK(res.status == 200);
    CHECK(body(res) == json{{"handler", "list"}, {"method", "GET"}});
    CHECK(handler_calls == 1);

    auto created = f.send("POST", "/v1/syncs");
    CHECK(created.status == 201);
    CHECK(body(created) == json{{"handler", "create"}});
}

TEST_CASE("an unknown path is a 404 not_found envelope", "[api][router]")
{
    fixture f;
    for (const char* path : {"/v1/nothing", "/", "/v1/syncs/1/extra", "/v1", "/v1/syncs/1/runs"}) {
        INFO(path);
        auto res = f.send("GET", path);
        CHECK(res.status == 404);
        CHECK(res.content_type == "application/json");
        auto b = body(res);
        CHECK(b["error"]["code"] == "not_found");
        CHECK(b["error"]["message"].get<std::string>().find(path) != std::string::npos);
        CHECK(b["error"]["details"] == json::array());
    }
    CHECK(handler_calls == 0);
}

TEST_CASE("unknown paths are 404 even without a token", "[api][router]")
{
    fixture f;
    CHECK(f.send("GET", "/v1/nothing", "").status == 404);
}

TEST_CASE("a known path with another method is a 405 with an Allow header", "[api][router]")
{
    fixture f;
    auto res = f.send("PUT", "/v1/syncs");
    CHECK(res.status == 405);
    CHECK(header(res, "Allow") == "GET, POST");
    auto b = body(res);
    CHECK(b["error"]["code"] == "method_not_allowed");
    CHECK(b["error"]["message"].get<std::string>().find("PUT") != std::string::npos);

    auto item = f.send("POST", "/v1/syncs/7");
    CHECK(item.status == 405);
    CHECK(header(item, "Allow") == "GET, DELETE");
    CHECK(handler_calls == 0);
}

TEST_CASE("an authenticated route without a token is a 401 with WWW-Authenticate", "[api][router]")
{
    fixture f;
    auto res = f.send("GET", "/v1/syncs", "");
    CHECK(res.status == 401);
    CHECK(header(res, "WWW-Authenticate") == "Bearer realm=\"hubsync\"");
    auto b = body(res);
    CHECK(b["error"]["code"] == "unauthorized");
    CHECK(b["error"]["message"] == "missing bearer token: send Authorization: Bearer <token>");
    CHECK(handler_calls == 0);
}

TEST_CASE("an authenticated route with a wrong token is a 401", "[api][router]")
{
    fixture f;
    for (const std::string& auth : std::vector<std::string>{"Bearer wrong_token_0000000000", "Basic " + good_token, "Bearer " + good_token + "x",
                                   "Bearer " + good_token.substr(0, 10), good_token}) {
        INFO(auth);
        auto res = f.send("GET", "/v1/syncs/3", auth);
        CHECK(res.status == 401);
        CHECK(header(res, "WWW-Authenticate") == "Bearer realm=\"hubsync\"");
        auto b = body(res);
        CHECK(b["error"]["code"] == "unauthorized");
        CHECK(b["error"]["message"] == "invalid bearer token");
        CHECK(res.body.find(good_token) == std::string::npos);
    }
    CHECK(handler_calls == 0);
}

TEST_CASE("every configured token is accepted, with any case of the scheme", "[api][router]")
{
    fixture f;
    CHECK(f.send("GET", "/v1/syncs", "bearer " + good_token).status == 200);
    CHECK(f.send("GET", "/v1/syncs", "Bearer tok_second_token_0000000000").status == 200);
    CHECK(handler_calls == 2);
}

TEST_CASE("an unauthenticated route needs no token", "[api][router]")
{
    fixture f;
    auto res = f.send("GET", "/health", "");
    CHECK(res.status == 200);
    CHECK(body(res) == json{{"status", "ok"}});
    CHECK(header(res, "X-Test") == "health");
    CHECK_FALSE(has_header(res, "WWW-Authenticate"));
    CHECK(f.send("GET", "/health", "Bearer garbage").status == 200);
}

TEST_CASE("path parameters are extracted by name", "[api][router]")
{
    fixture f;
    CHECK(body(f.send("GET", "/v1/syncs/42")) == json{{"id", "42"}});
    CHECK(body(f.send("DELETE", "/v1/syncs/abc")) == json{{"id", "abc"}});
    CHECK(body(f.send("GET", "/v1/syncs/42/runs/7")) == json{{"id", "42"}, {"run_id", "7"}});
}

TEST_CASE("a trailing slash is tolerated", "[api][router]")
{
    fixture f;
    CHECK(f.send("GET", "/v1/syncs/").status == 200);
    CHECK(body(f.send("GET", "/v1/syncs/42/")) == json{{"id", "42"}});
    CHECK(f.send("GET", "/health/", "").status == 200);
}

TEST_CASE("a path parameter never matches an empty segment", "[api][router]")
{
    fixture f;
    auto res = f.send("GET", "/v1/syncs//runs/7");
    CHECK(res.status == 404);
    CHECK(handler_calls == 0);
}

TEST_CASE("a core::error from a handler becomes its status and envelope with details", "[api][router]")
{
    fixture f;
    auto res = f.send("POST", "/v1/invalid");
    CHECK(res.status == 422);
    CHECK(res.content_type == "application/json");
    auto b = body(res);
    CHECK(b["error"]["code"] == "validation_failed");
    CHECK(b["error"]["message"] == "the sync is invalid");
    CHECK(b["error"]["details"] ==
          json::parse(R"([{"path":"config.mappings[1].column","message":"the model has no column 'emial'"},
                          {"path":"schedule.every_seconds","message":"must be between 60 and 2678400"}])"));

    auto conflict = f.send("POST", "/v1/conflict");
    CHECK(conflict.status == 409);
    CHECK(body(conflict)["error"]["code"] == "conflict");
    CHECK_FALSE(has_header(conflict, "WWW-Authenticate"));
}

TEST_CASE("any other exception becomes a generic 500 that does not leak its text", "[api][router]")
{
    fixture f;
    captured_log log;
    for (const char* path : {"/v1/crash", "/v1/eager-crash"}) {
        INFO(path);
        auto res = f.send("GET", path);
        CHECK(res.status == 500);
        CHECK(res.content_type == "application/json");
        auto b = body(res);
        CHECK(b["error"]["code"] == "internal");
        CHECK(b["error"]["details"] == json::array());
        CHECK(b["error"]["message"].get<std::string>().find("req-42") != std::string::npos);
        CHECK(res.body.find("hunter2") == std::string::npos);
        CHECK(res.body.find("pqxx") == std::string::npos);
        CHECK(res.body.find("eager secret detail") == std::string::npos);
    }
    // The details go to the log instead, under the request id.
    const auto logged = log.text();
    CHECK(logged.find("req-42") != std::string::npos);
    CHECK(logged.find("GET /v1/crash") != std::string::npos);
    CHECK(logged.find("eager secret detail") != std::string::npos);
}

TEST_CASE("every request is counted in hubsync_http_requests_total by route and status", "[api][router]")
{
    fixture f;
    f.send("GET", "/v1/syncs/1");
    f.send("GET", "/v1/syncs/2");
    f.send("GET", "/v1/syncs/3", "");
    f.send("GET", "/v1/nothing");
    f.send("PATCH", "/v1/syncs");
    f.send("POST", "/v1/invalid");
    const auto text = f.metrics.render();
    INFO(text);
    CHECK(has_line(text, "# HELP hubsync_http_requests_total API requests by route and status"));
    CHECK(has_line(text, "# TYPE hubsync_http_requests_total counter"));
    // The route label is the pattern, never the raw path, so ids do not explode the label cardinality.
    CHECK(has_line(text, "hubsync_http_requests_total{route=\"GET /v1/syncs/{id}\",status=\"200\"} 2"));
    CHECK(has_line(text, "hubsync_http_requests_total{route=\"GET /v1/syncs/{id}\",status=\"401\"} 1"));
    CHECK(has_line(text, "hubsync_http_requests_total{route=\"unmatched\",status=\"404\"} 1"));
    CHECK(has_line(text, "hubsync_http_requests_total{route=\"unmatched\",status=\"405\"} 1"));
    CHECK(has_line(text, "hubsync_http_requests_total{route=\"POST /v1/invalid\",status=\"422\"} 1"));
    CHECK(text.find("/v1/syncs/1\"") == std::string::npos);
    CHECK(text.find("/v1/nothing") == std::string::npos);
    CHECK(has_line(text, "# TYPE hubsync_http_request_duration_seconds histogram"));
    CHECK(has_line(text, "hubsync_http_request_duration_seconds_count{route=\"GET /v1/syncs/{id}\"} 3"));
    CHECK(has_line(text, "hubsync_http_request_duration_seconds_bucket{route=\"GET /v1/syncs/{id}\",le=\"+Inf\"} 3"));
}
