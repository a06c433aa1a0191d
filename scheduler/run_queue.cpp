#include "scheduler/run_queue.hpp"

#include "core/log.hpp"

#include <openssl/rand.h>
#include <unistd.h>

namespace hubsync::scheduler {

namespace {
std::string
make_owner()
{
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    unsigned char bytes[6];
    RAND_bytes(bytes, sizeof bytes);
    std::string tag;
    static constexpr char hex[] = "0123456789abcdef";
    for (unsigned char b : bytes) {
        tag += hex[b >> 4];
        tag += hex[b & 15];
    }
    return std::string(host) + ":" + std::to_string(getpid()) + ":" + tag;
}

net::awaitable<void>
sleep_for(net::steady_timer& t, std::chrono::milliseconds d)
{
    t.expires_after(d);
    boost::system::error_code ec;
    co_await t.async_wait(net::redirect_error(net::use_awaitable, ec));
}
}  // namespace

run_queue::run_queue(net::io_context& ioc, store::database& db, sync::engine& engine, run_queue_settings s)
    : ioc_(ioc), db_(db), engine_(engine), settings_(s), owner_(make_owner()), strand_(net::make_strand(ioc)),
      wake_(strand_)
{
}

void
run_queue::start()
{
    auto log = core::logger("scheduler");
    net::co_spawn(strand_, loop(), [log](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& ex) {
            log->critical("run_queue.stopped reason=\"{}\"", ex.what());
        }
    });
}

void
run_queue::wake()
{
    net::post(strand_, [this] { wake_.cancel(); });
}

void
run_queue::cancel(std::int64_t run_id)
{
    std::lock_guard lock(mutex_);
    if (auto it = trackers_.find(run_id); it != trackers_.end()) it->second->cancel();
}

net::awaitable<void>
run_queue::loop()
{
    auto log = core::logger("scheduler");
    auto next_recovery = std::chrono::steady_clock::now();
    while (!stopping_) {
        try {
            if (std::chrono::steady_clock::now() >= next_recovery) {
                auto lease = settings_.lease_seconds;
                auto recover = [lease](pqxx::connection& c) { return store::runs::recover_abandoned(c, lease); };
                for (auto id : co_await db_.run(recover))
                    log->warn("run.recovered run={} reason=\"its daemon stopped renewing the lease; queued again\"", id);
                next_recovery = std::chrono::steady_clock::now() + std::chrono::seconds(std::max(1, lease / 2));
            }
            while (!stopping_ && running_ < settings_.max_concurrent_runs) {
                auto owner = owner_;
                auto claim = [owner](pqxx::connection& c) { return store::runs::claim_next(c, owner); };
                auto run = co_await db_.run(claim);
                if (!run) break;
                ++running_;
                log->info("run.started run={} sync={} dry_run={}", run->id, run->sync_id, run->dry_run);
                net::co_spawn(ioc_, execute(*run), net::detached);
            }
        } catch (const std::exception& e) {
            // The state database may be down for a moment; the next poll tries again.
            log->warn("run_queue.poll_failed reason=\"{}\"", e.what());
        }
        co_await sleep_for(wake_, settings_.poll);
    }
}

net::awaitable<void>
run_queue::flush_errors(std::int64_t run_id, sync::run_tracker& tracker)
{
    auto errors = tracker.take_errors();
    if (errors.empty()) co_return;
    auto write = [run_id, errors = std::move(errors)](pqxx::connection& c) { store::runs::add_errors(c, run_id, errors); };
    co_await db_.run(std::move(write));
}

net::awaitable<void>
run_queue::keep_alive(store::run_record run, std::shared_ptr<sync::run_tracker> tracker,
                      std::shared_ptr<std::atomic<bool>> done, std::shared_ptr<net::steady_timer> timer)
{
    auto log = core::logger("scheduler");
    while (!*done) {
        co_await sleep_for(*timer, settings_.heartbeat);
        if (*done) break;
        try {
            co_await flush_errors(run.id, *tracker);
            auto progress = tracker->snapshot();
            auto owner = owner_;
            auto id = run.id;
            auto beat = [id, owner, progress](pqxx::connection& c) { return store::runs::heartbeat(c, id, owner, progress); };
            auto answer = co_await db_.run(beat);
            if (answer.cancel_requested && !tracker->cancelled()) {
                log->info("run.cancelling run={}", run.id);
                tracker->cancel();
            }
            if (!answer.still_owned) {
                log->error("run.lease_lost run={} (another daemon recovered it)", run.id);
                tracker->cancel();
            }
        } catch (const std::exception& e) {
            log->warn("run.heartbeat_failed run={} reason=\"{}\"", run.id, e.what());
        }
    }
}

net::awaitable<void>
run_queue::execute(store::run_record run)
{
    auto log = core::logger("scheduler");
    auto tracker = std::make_shared<sync::run_tracker>();
    {
        std::lock_guard lock(mutex_);
        trackers_[run.id] = tracker;
    }
    if (stopping_) tracker->cancel();
    auto done = std::make_shared<std::atomic<bool>>(false);
    auto beating = std::make_shared<std::atomic<bool>>(true);
    // The heartbeat sleeps on a timer of its own strand, so the run's end can wake it at once instead of every
    // run lasting until the next beat.
    auto beat_strand = net::make_strand(ioc_);
    auto beat_timer = std::make_shared<net::steady_timer>(beat_strand);
    net::co_spawn(beat_strand, keep_alive(run, tracker, done, beat_timer),
                  [beating](std::exception_ptr) { *beating = false; });

    auto outcome = co_await engine_.execute(run, tracker);
    *done = true;
    net::post(beat_strand, [beat_timer] { beat_timer->cancel(); });
    net::steady_timer t(ioc_);
    while (*beating) co_await sleep_for(t, std::chrono::milliseconds(10));

    bool interrupted = stopping_ && outcome.status == "cancelled";
    if (interrupted) outcome.error = "stopped by a daemon shutdown; a new run was queued to finish the work";
    try {
        co_await flush_errors(run.id, *tracker);
        auto progress = tracker->snapshot();
        auto id = run.id;
        auto finish = [id, outcome, progress, interrupted, run](pqxx::connection& c) {
            store::runs::finish(c, id, outcome.status, progress, outcome.error);
            if (interrupted && !run.dry_run) store::runs::enqueue(c, run.sync_id, run.options, false);
        };
        co_await db_.run(finish);
        log->info("run.finished run={} sync={} status={} api_calls={}{}", run.id, run.sync_id, outcome.status,
                  progress.api_calls, outcome.error ? " error=\"" + *outcome.error + "\"" : std::string());
    } catch (const std::exception& e) {
        // The lease runs out and recovery queues the sync again.
        log->error("run.finish_failed run={} reason=\"{}\"", run.id, e.what());
    }
    {
        std::lock_guard lock(mutex_);
        trackers_.erase(run.id);
    }
    --running_;
    wake();
}

net::awaitable<void>
run_queue::drain(std::chrono::seconds grace)
{
    stopping_ = true;
    {
        std::lock_guard lock(mutex_);
        for (auto& [id, t] : trackers_) t->cancel();
    }
    wake();
    auto deadline = std::chrono::steady_clock::now() + grace;
    net::steady_timer t(co_await net::this_coro::executor);
    while (running_ > 0 && std::chrono::steady_clock::now() < deadline)
        co_await sleep_for(t, std::chrono::milliseconds(50));
    if (running_ > 0) core::logger("scheduler")->warn("shutdown.runs_still_running count={}", running_.load());
}

}  // namespace hubsync::scheduler
