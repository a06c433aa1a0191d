#pragma once
// Runs queued runs: claims them from the state database (one running run per sync, across daemons), keeps each
// one's lease alive while publishing its live counts and row errors, passes cancellation in, records how it
// ended, and recovers runs whose daemon died (lease expired: failed, and the sync queued again).
#include "core/net.hpp"
#include "store/database.hpp"
#include "sync/engine.hpp"

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace hubsync::scheduler {

struct run_queue_settings {
    int max_concurrent_runs = 4;
    int lease_seconds = 30;                               // a run not heard of this long is abandoned
    std::chrono::milliseconds heartbeat{1000};            // also how fresh live counts are
    std::chrono::milliseconds poll{1000};                 // looks for queued runs at least this often
};

class run_queue {
public:
    run_queue(net::io_context& ioc, store::database& db, sync::engine& engine, run_queue_settings s);

    void start();
    // A run was queued: look now rather than at the next poll.
    void wake();
    // A cancel was recorded for `run_id`: when it runs here, stop it now rather than at the next heartbeat.
    void cancel(std::int64_t run_id);
    // No new runs; running ones stop at their next batch and are queued again for the next start. Completes
    // when they have, or after `grace`.
    net::awaitable<void> drain(std::chrono::seconds grace);

    const std::string& owner() const noexcept { return owner_; }

private:
    net::awaitable<void> loop();
    net::awaitable<void> execute(store::run_record run);
    net::awaitable<void> keep_alive(store::run_record run, std::shared_ptr<sync::run_tracker> tracker,
                                    std::shared_ptr<std::atomic<bool>> done, std::shared_ptr<net::steady_timer> timer);
    net::awaitable<void> flush_errors(std::int64_t run_id, sync::run_tracker& tracker);

    net::io_context& ioc_;
    store::database& db_;
    sync::engine& engine_;
    run_queue_settings settings_;
    std::string owner_;
    net::strand<net::io_context::executor_type> strand_;
    net::steady_timer wake_;
    std::atomic<bool> stopping_{false};
    std::atomic<int> running_{0};
    std::mutex mutex_;
    std::map<std::int64_t, std::shared_ptr<sync::run_tracker>> trackers_;
};

}  // namespace hubsync::scheduler
