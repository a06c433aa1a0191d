#include "api/handler_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/run_json.hpp"
#include "api/validation.hpp"
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
                          {"duration_ms", r.duration_ms ? nlohmann::json(*r.duration_ms) : nlohmann::json(nullptr)},
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
// POST /v1/syncs/{id}/trigger: queues a run, or returns the one already waiting (one waits behind a running run).
net::awaitable<response>
trigger_sync(services& svc, request req)
{
    auto sync_id = path_id(req, "sync");
    json body = optional_body(req);
    validator v;
    if (!body.is_object()) {
        v.fail("", "must be a JSON object {\"full_resync\", \"reset_baseline\", \"dry_run\"}");
        v.throw_if_failed();
    }
    v.only(body, "", {"full_resync", "reset_baseline", "dry_run"});
    auto flag = [&](const char* key) {
        auto it = body.find(key);
        if (it == body.end() || it->is_null()) return false;
        if (!it->is_boolean()) {
            v.fail(key, "must be true or false");
            return false;
        }
        return it->get<bool>();
    };
    bool full_resync = flag("full_resync");
    bool reset_baseline = flag("reset_baseline");
    bool dry_run = flag("dry_run");
    if (full_resync && reset_baseline)
        v.fail("reset_baseline", "cannot be combined with full_resync: one sends every row, the other none");
    v.throw_if_failed();
    json options = {{"full_resync", full_resync}, {"reset_baseline", reset_baseline}};
    auto work = [sync_id, options, dry_run](pqxx::connection& c) -> std::optional<store::runs::enqueued> {
        if (!store::syncs::find(c, sync_id)) return std::nullopt;
        return store::runs::enqueue(c, sync_id, options, dry_run);
    };
    auto queued = co_await svc.db.run(work);
    if (!queued) throw_not_found("sync", sync_id);
    svc.runs.wake();
    json out = run_json(queued->run);
    out["run_id"] = queued->run.id;  // DESIGN §5's answer; the rest is the run as GET /v1/runs/{id} shows it
    if (!queued->created) {
        out["message"] = "a run of this sync is already queued; it was not queued twice";
        if (queued->run.options != options || queued->run.dry_run != dry_run)
            throw core::error(core::errc::conflict,
                              "a run of this sync with other options is already queued (run " +
                                  std::to_string(queued->run.id) + "): cancel it first or wait for it to start");
    }
    co_return json_response(queued->created ? 202 : 200, out);
}

// POST /v1/runs/{id}/cancel: a queued run is cancelled at once; a running one stops at its next batch.
net::awaitable<response>
cancel_run(services& svc, request req)
{
    auto id = path_id(req, "run");
    optional_body(req);
    auto work = [id](pqxx::connection& c) { return store::runs::request_cancel(c, id); };
    auto answer = co_await svc.db.run(work);
    if (!answer) throw_not_found("run", id);
    if (!answer->accepted)
        throw core::error(core::errc::conflict,
                          "run " + std::to_string(id) + " already ended (" + answer->run.status + ")");
    svc.runs.cancel(id);
    json out = run_json(answer->run);
    if (answer->run.status == "running")
        out["message"] = "cancellation requested; the run stops after its batches in flight";
    co_return json_response(202, out);
}

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
    r.add({"POST", "/v1/syncs/{id}/trigger", [&svc](const request& q) { return trigger_sync(svc, q); }});
    r.add({"POST", "/v1/runs/{id}/cancel", [&svc](const request& q) { return cancel_run(svc, q); }});
    r.add({"GET", "/v1/runs/{id}", [&svc](const request& q) { return get_run(svc, q); }});
    r.add({"GET", "/v1/runs/{id}/errors", [&svc](const request& q) { return list_run_errors(svc, q); }});
}

}  // namespace hubsync::api
