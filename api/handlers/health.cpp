#include "api/envelope.hpp"
#include "api/handlers/handlers.hpp"
#include "core/log.hpp"
#include "store/migrations.hpp"

namespace hubsync::api {

namespace {
net::awaitable<response>
healthz(services&, request)
{
    co_return json_response(200, {{"status", "ok"}, {"version", HUBSYNC_VERSION}});
}

// Ready means: not draining, and the state database answers with the schema this binary expects.
net::awaitable<response>
readyz(services& svc, request)
{
    if (svc.shutting_down) co_return json_response(503, {{"status", "shutting_down"}});
    try {
        auto work = [](pqxx::connection& c) { return store::schema_version(c); };
        int version = co_await svc.db.run(work);
        int expected = store::builtin_migrations().back().version;
        if (version != expected)
            co_return json_response(503, {{"status", "not_ready"}, {"reason", "state database schema is at version " +
                                                                             std::to_string(version)}});
        co_return json_response(200, {{"status", "ready"}, {"schema_version", version}});
    } catch (const std::exception& e) {
        core::logger("api")->warn("readyz.failed reason=\"{}\"", e.what());
        co_return json_response(503, {{"status", "not_ready"}, {"reason", "the state database is unavailable"}});
    }
}

net::awaitable<response>
metrics(services& svc, request)
{
    response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = svc.metrics.render();
    co_return r;
}
}  // namespace

void
add_health_routes(router& r, services& svc)
{
    r.add({"GET", "/healthz", [&svc](const request& q) { return healthz(svc, q); }, false});
    r.add({"GET", "/readyz", [&svc](const request& q) { return readyz(svc, q); }, false});
    r.add({"GET", "/metrics", [&svc](const request& q) { return metrics(svc, q); }, false});
}

void
add_all_routes(router& r, services& svc)
{
    add_health_routes(r, svc);
    add_source_routes(r, svc);
    add_destination_routes(r, svc);
    add_model_routes(r, svc);
    add_sync_routes(r, svc);
    add_run_routes(r, svc);
}

}  // namespace hubsync::api
