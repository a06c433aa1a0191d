#include "sync/engine.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "hubspot/failure.hpp"
#include "store/models.hpp"
#include "store/sources.hpp"
#include "store/syncs.hpp"
#include "sync/object_job.hpp"
#include "sync/sync_config.hpp"

namespace hubsync::sync {

std::string
describe_run_failure(std::exception_ptr e)
{
    return hubspot::describe_failure(e, "running the sync").message;
}

engine::engine(engine_deps deps) : deps_(deps)
{
    deps_.metrics.describe_counter("hubsync_sync_runs_total", "Finished runs by sync and final status.");
    deps_.metrics.describe_counter("hubsync_sync_rows_total",
                                   "Rows written by sync, result (succeeded|failed) and change (added|changed|removed).");
    deps_.metrics.describe_counter("hubsync_sync_api_calls_total", "HubSpot calls made by runs, by sync.");
}

net::awaitable<void>
engine::execute_or_throw(store::run_record run, std::shared_ptr<run_tracker> tracker)
{
    auto sync_id = run.sync_id;
    auto load = [sync_id](pqxx::connection& c) {
        auto s = store::syncs::find(c, sync_id);
        std::optional<store::model_record> m;
        std::optional<store::source_record> src;
        if (s) m = store::models::find(c, s->model_id);
        if (m) src = store::sources::find(c, m->source_id);
        return std::make_tuple(s, m, src);
    };
    auto [sync, model, source] = co_await deps_.db.run(load);
    if (!sync || !model || !source) throw core::error(core::errc::unprocessable, "the sync, its model or its source is gone");
    const auto config = parse_sync_config(sync->type, sync->config);
    // A part of the configuration this version does not run fails the run, naming it: never a silent skip.
    if (auto parts = unsupported_parts(config); !parts.empty())
        throw core::error(core::errc::unprocessable, parts.front().path + ": " + parts.front().message, parts);
    const auto* object = config.object();

    auto log = core::logger("sync");
    auto destination = co_await deps_.destinations.get(sync->destination_id);
    auto schema = co_await deps_.destinations.schema(sync->destination_id, destination);
    log->debug("run.schema_ready run={} fetched_at={}", run.id, schema.schema->fetched_at);
    // A sync may name an object made after the schema was read.
    if (!schema.schema->object(object->object))
        schema = co_await deps_.destinations.schema(sync->destination_id, destination, true);

    object_job_inputs in;
    in.sync_id = sync->id;
    in.config = *object;
    in.config_seed = config_seed(sync->config);
    in.model = *model;
    in.source = {store::sources::url(*source, deps_.secrets), model->sql, model->primary_key, deps_.limits};
    in.destination = destination;
    in.schema = schema.schema;
    in.options.full_resync = run.options.value("full_resync", false);
    in.options.reset_baseline = run.options.value("reset_baseline", false);
    in.options.dry_run = run.dry_run;
    in.writer = deps_.writer;
    // The whole job runs on its strand: its senders' completions and its own loop share state without locks.
    net::any_io_executor strand = net::make_strand(deps_.destinations.portals().io_context());
    job_env env{deps_.db, deps_.warehouse_pool, strand, deps_.max_in_flight};
    co_await net::co_spawn(strand, run_object_job(env, std::move(in), tracker), net::use_awaitable);
}

net::awaitable<run_outcome>
engine::execute(store::run_record run, std::shared_ptr<run_tracker> tracker)
{
    run_outcome out;
    std::exception_ptr failure;
    try {
        co_await execute_or_throw(run, tracker);
    } catch (...) {
        failure = std::current_exception();
    }
    if (tracker->cancelled()) {
        out.status = "cancelled";
    } else if (failure) {
        out.status = "failed";
        out.error = describe_run_failure(failure);
    } else {
        out.status = tracker->failed_rows() > 0 ? "partial" : "succeeded";
    }
    count(run, out, tracker->snapshot());
    co_return out;
}

void
engine::count(const store::run_record& run, const run_outcome& outcome, const store::run_progress& p)
{
    auto sync = std::to_string(run.sync_id);
    auto& m = deps_.metrics;
    m.add("hubsync_sync_runs_total", {{"sync", sync}, {"status", outcome.status}});
    m.add("hubsync_sync_api_calls_total", {{"sync", sync}}, static_cast<double>(p.api_calls));
    for (const char* change : {"added", "changed", "removed"}) {
        m.add("hubsync_sync_rows_total", {{"sync", sync}, {"result", "succeeded"}, {"change", change}},
              p.succeeded.value(change, 0.0));
        m.add("hubsync_sync_rows_total", {{"sync", sync}, {"result", "failed"}, {"change", change}},
              p.failed.value(change, 0.0));
    }
}

}  // namespace hubsync::sync
