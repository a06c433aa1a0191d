#include "api/handler_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/run_json.hpp"
#include "store/runs.hpp"
#include "store/syncs.hpp"

namespace hubsync::api {

nlohmann::json
run_json(const store::run_record& r)
{
    auto optional = [](const std::optional<std::string>& s) { return s ? nlohmann::json(*s) : nlohmann::json(nullptr); };
    nlohmann::json out = {{"id", r.id},
                          {"sync_id", r.sync_id},
                          {"status", r.status},
                          {"created_at", r.created_at},
                          {"started_at", optional(r.started_at)},
                          {"finished_at", optional(r.finished_at)},
                          {"planned", r.planned},
                          {"succeeded", r.succeeded},
                          {"failed", r.failed},
                          {"api_calls", r.api_calls},
                          {"error", optional(r.error)},
                          {"options", r.options}};
    if (r.dry_run) {
        out["dry_run"] = true;
        out["projected_api_calls"] = r.extra.value("projected_api_calls", nlohmann::json(0));
        out["sample"] = r.extra.value("sample", nlohmann::json::array());
    }
    return out;
}

namespace {
net::awaitable<response>
list_sync_runs(services& svc, request req)
{
    auto sync_id = path_id(req, "sync");
    auto p = page_params(req);
    auto work = [sync_id, &p](pqxx::connection& c) {
        bool exists = store::syncs::find(c, sync_id).has_value();
        return std::make_pair(exists, store::runs::list_for_sync(c, sync_id, p));
    };
    auto [exists, page] = co_await svc.db.run(work);
    if (!exists) throw_not_found("sync", sync_id);
    co_return json_response(200, page_json(page, run_json));
}

net::awaitable<response>
get_run(services& svc, request req)
{
    auto id = path_id(req, "run");
    auto work = [id](pqxx::connection& c) { return store::runs::find(c, id); };
    auto run = co_await svc.db.run(work);
    if (!run) throw_not_found("run", id);
    co_return json_response(200, run_json(*run));
}

net::awaitable<response>
list_run_errors(services& svc, request req)
{
    auto id = path_id(req, "run");
    auto p = page_params(req);
    auto work = [id, &p](pqxx::connection& c) {
        bool exists = store::runs::find(c, id).has_value();
        return std::make_pair(exists, store::runs::errors(c, id, p));
    };
    auto [exists, page] = co_await svc.db.run(work);
    if (!exists) throw_not_found("run", id);
    co_return json_response(200, page_json(page, [](const store::run_error_record& e) {
        return nlohmann::json{{"primary_key", e.primary_key ? nlohmann::json(*e.primary_key) : nlohmann::json(nullptr)},
                              {"category", e.category},
                              {"message", e.message}};
    }));
}
}  // namespace

void
add_run_routes(router& r, services& svc)
{
    r.add({"GET", "/v1/syncs/{id}/runs", [&svc](const request& q) { return list_sync_runs(svc, q); }});
    r.add({"GET", "/v1/runs/{id}", [&svc](const request& q) { return get_run(svc, q); }});
    r.add({"GET", "/v1/runs/{id}/errors", [&svc](const request& q) { return list_run_errors(svc, q); }});
}

}  // namespace hubsync::api
