#include "sync/run_pipeline.hpp"

#include "connectors/postgres/model_reader.hpp"
#include "core/log.hpp"
#include "sync/read_ahead.hpp"
#include "sync/work_queue.hpp"

#include <map>
#include <mutex>
#include <string_view>
#include <unordered_set>

namespace hubsync::sync {

row_outcome
row_outcome::synced(const planned_row& r, std::optional<std::string> hubspot_id)
{
    row_outcome o;
    o.pk = r.pk;
    o.kind = r.kind;
    o.state = store::row_state_update{r.pk, r.hash, std::move(hubspot_id), "synced", std::nullopt};
    return o;
}

row_outcome
row_outcome::failed(const planned_row& r, std::string category, std::string message)
{
    row_outcome o;
    o.pk = r.pk;
    o.kind = r.kind;
    o.result = verdict::failed;
    o.category = std::move(category);
    o.message = std::move(message);
    o.state = store::row_state_update{r.pk, std::nullopt, std::nullopt, "failed", o.message};
    return o;
}

row_outcome
row_outcome::unconfirmed(const planned_row& r, std::string message)
{
    auto o = failed(r, "unconfirmed", std::move(message));
    o.state->status = "pending";
    return o;
}

namespace {
constexpr std::size_t dry_run_sample_rows = 20;

// What the senders share on the strand: no locks, since only strand code touches it (the planner posts).
struct sender_state {
    explicit sender_state(const net::any_io_executor& strand) : changed(strand) {}

    int in_flight = 0;
    bool planner_done = false;
    std::exception_ptr first_error;
    net::steady_timer changed;  // parked at the end of time; cancelled whenever something above changes

    void wake() { changed.cancel(); }
    net::awaitable<void> wait()
    {
        changed.expires_at(net::steady_timer::time_point::max());
        boost::system::error_code ec;
        co_await changed.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
};

// The planner's sink: groups rows by the job's batch kinds and hands full batches to the senders.
class batching_sink final : public plan_sink {
public:
    struct stop_planning {};

    batching_sink(const run_job& job, std::shared_ptr<work_queue<work_batch>> q, std::shared_ptr<run_tracker> t)
        : job_(job), queue_(std::move(q)), tracker_(std::move(t))
    {
    }

    void row(planned_row&& r) override
    {
        if (tracker_->cancelled()) throw stop_planning{};
        int key = job_.batch_key(r);
        auto& buffer = buffers_[key];
        buffer.push_back(std::move(r));
        if (buffer.size() >= job_.batch_limit(key)) flush(key);
    }

    void problem(row_problem&& p) override
    {
        tracker_->invalid(p.rows);
        tracker_->row_error(std::move(p.pk), "invalid_key", std::move(p.message));
    }

    void finish()
    {
        for (auto& [key, rows] : buffers_)
            if (!rows.empty()) flush(key);
    }

private:
    void flush(int key)
    {
        work_batch b;
        b.key = key;
        b.rows = std::exchange(buffers_[key], {});
        if (!queue_->push(std::move(b))) throw stop_planning{};
    }

    const run_job& job_;
    std::shared_ptr<work_queue<work_batch>> queue_;
    std::shared_ptr<run_tracker> tracker_;
    std::map<int, std::vector<planned_row>> buffers_;
};

class context final : public send_context {
public:
    context(job_env env, std::int64_t sync_id, std::shared_ptr<run_tracker> t)
        : env_(env), sync_id_(sync_id), tracker_(std::move(t))
    {
    }

    void api_call(std::int64_t n) override { tracker_->api_calls(n); }
    bool cancelled() const override { return tracker_->cancelled(); }

    net::awaitable<void> journal(std::vector<store::row_state_update> updates) override
    {
        std::vector<std::string> none;  // named, not a temporary in the co_await (GCC PR 107288)
        co_await commit(std::move(updates), std::move(none));
    }

    net::awaitable<void> commit(std::vector<store::row_state_update> updates, std::vector<std::string> removed)
    {
        if (updates.empty() && removed.empty()) co_return;
        auto work = [sync_id = sync_id_, u = std::move(updates), r = std::move(removed)](pqxx::connection& c) {
            store::row_state::apply(c, sync_id, u, r);
        };
        co_await env_.db.run(std::move(work));
    }

private:
    job_env env_;
    std::int64_t sync_id_;
    std::shared_ptr<run_tracker> tracker_;
};

// One batch: sent, its row state committed, then counted. A dry run only previews it.
net::awaitable<void>
process(run_job& job, context& ctx, run_tracker& tracker, bool dry_run, work_batch batch)
{
    if (dry_run) {
        auto p = job.preview(batch);
        auto snapshot = tracker.snapshot().extra;
        auto sample = snapshot.value("sample", nlohmann::json::array());
        for (auto& row : p.sample)
            if (sample.size() < dry_run_sample_rows) sample.push_back(std::move(row));
        tracker.extra("sample", std::move(sample));
        tracker.extra("projected_api_calls", snapshot.value("projected_api_calls", 0) + p.api_calls);
        co_return;
    }
    // Kept to find a row a job said nothing about: it must not pass for done.
    std::vector<std::pair<std::string, change>> planned;
    planned.reserve(batch.rows.size());
    for (const auto& r : batch.rows) planned.emplace_back(r.pk, r.kind);
    auto outcomes = co_await job.send(std::move(batch), ctx);

    std::vector<store::row_state_update> updates;
    std::vector<std::string> forget;
    updates.reserve(outcomes.size());
    for (auto& o : outcomes) {
        if (o.forget) forget.push_back(o.pk);
        else if (o.state) updates.push_back(std::move(*o.state));
    }
    {
        std::unordered_set<std::string_view> told;
        told.reserve(outcomes.size());
        for (const auto& o : outcomes) told.insert(o.pk);
        std::vector<row_outcome> forgotten;
        for (auto& [pk, kind] : planned) {
            if (told.count(pk)) continue;
            core::logger("sync")->error("run.row_without_outcome kind={}", static_cast<int>(kind));
            row_outcome o;
            o.pk = std::move(pk);
            o.kind = kind;
            o.result = row_outcome::verdict::failed;
            o.category = "internal";
            o.message = "no outcome was recorded for this row; the next run sends it again";
            forgotten.push_back(std::move(o));
        }
        for (auto& o : forgotten) outcomes.push_back(std::move(o));
    }
    co_await ctx.commit(std::move(updates), std::move(forget));
    for (auto& o : outcomes) {
        switch (o.result) {
        case row_outcome::verdict::succeeded: tracker.succeeded(o.kind); break;
        case row_outcome::verdict::failed:
            tracker.failed(o.kind);
            tracker.row_error(std::move(o.pk), std::move(o.category), std::move(o.message));
            break;
        case row_outcome::verdict::silent: break;
        }
    }
}
}  // namespace

net::awaitable<void>
run_pipeline(job_env env, model_source source, std::int64_t sync_id, run_options options, run_job& job,
             std::shared_ptr<run_tracker> tracker)
{
    auto queue = std::make_shared<work_queue<work_batch>>(env.strand, static_cast<std::size_t>(env.max_in_flight) * 2);
    auto senders = std::make_shared<sender_state>(env.strand);
    auto reader = std::make_shared<std::unique_ptr<connectors::postgres::model_reader>>();
    auto reader_mutex = std::make_shared<std::mutex>();
    const auto columns = job.columns();
    const auto seed = job.hash_seed();

    // Cancellation (a user's, a shutdown's or a lost lease's) wakes the senders' waits at once.
    tracker->on_cancel([queue, senders, strand = env.strand] {
        queue->interrupt();
        net::post(strand, [senders] { senders->wake(); });
    });

    // The planner runs on a warehouse thread: it blocks on the warehouse and the state database, never on I/O the
    // io_context serves. It tells the senders when it has let go of the queue.
    auto planner = [&job, queue, senders, tracker, reader, reader_mutex, columns, seed, source, options,
                    state_url = env.db.url(), sync_id, strand = env.strand] {
        std::exception_ptr error;
        try {
            // Made outside the lock (connecting may take a while) and published for stop_reading() to cancel.
            auto made = std::make_unique<connectors::postgres::model_reader>(source.url, source.sql,
                                                                              source.primary_key, columns,
                                                                              source.limits);
            auto* r = made.get();
            {
                std::lock_guard lock(*reader_mutex);
                *reader = std::move(made);
            }
            if (tracker->cancelled()) throw batching_sink::stop_planning{};
            read_ahead_model model(*r);
            read_ahead_state state(state_url, sync_id);
            batching_sink sink(job, queue, tracker);
            auto counts = sync::plan(model, state, {seed, options.full_resync}, sink);
            sink.finish();
            tracker->planned(counts);
            core::logger("sync")->debug("run.planned sync={} added={} changed={} removed={} unchanged={} invalid={}",
                                        sync_id, counts.added, counts.changed, counts.removed, counts.unchanged,
                                        counts.invalid);
        } catch (const batching_sink::stop_planning&) {
        } catch (const std::exception& e) {
            core::logger("sync")->debug("run.plan_failed sync={} reason=\"{}\"", sync_id, e.what());
            error = std::current_exception();
        }
        std::unique_ptr<connectors::postgres::model_reader> done;
        {
            std::lock_guard lock(*reader_mutex);
            done = std::move(*reader);
        }
        done.reset();  // closing the connection happens outside the lock the strand may wait for
        queue->finish(error);
        net::post(strand, [senders] {
            senders->planner_done = true;
            senders->wake();
        });
    };
    net::post(env.warehouse_pool, std::move(planner));

    context ctx(env, sync_id, tracker);
    auto stop_reading = [&] {
        queue->abandon();
        std::lock_guard lock(*reader_mutex);
        if (*reader) (*reader)->cancel();
    };
    auto stopping = [&] { return senders->first_error || tracker->cancelled(); };
    for (;;) {
        std::optional<work_batch> batch;
        try {
            batch = co_await queue->pop();
        } catch (...) {
            if (!senders->first_error) senders->first_error = std::current_exception();
        }
        if (!batch || stopping()) break;
        while (senders->in_flight >= env.max_in_flight && !stopping()) co_await senders->wait();
        if (stopping()) break;
        ++senders->in_flight;
        auto task = process(job, ctx, *tracker, options.dry_run, std::move(*batch));
        auto finished = [senders, queue](std::exception_ptr e) {
            --senders->in_flight;
            if (e && !senders->first_error) {
                senders->first_error = e;
                queue->interrupt();  // the loop may be waiting for the next batch: stop now, not at the next one
            }
            senders->wake();
        };
        net::co_spawn(env.strand, std::move(task), std::move(finished));
    }
    stop_reading();
    while (senders->in_flight > 0) co_await senders->wait();
    // The planner references the job: the frame may go only once it has let go.
    while (!senders->planner_done) co_await senders->wait();
    tracker->on_cancel({});
    if (senders->first_error) std::rethrow_exception(senders->first_error);
}

}  // namespace hubsync::sync
