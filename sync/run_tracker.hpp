#pragma once
#include "store/runs.hpp"
#include "sync/planner.hpp"

#include <atomic>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::sync {

// What a run has done so far, shared by its job (which counts) and the run queue (which publishes the counts with
// each heartbeat and passes cancellation in). Thread-safe.
class run_tracker {
public:
    void planned(const plan_counts& c);
    void succeeded(change kind, std::int64_t n = 1);
    void failed(change kind, std::int64_t n = 1);
    // Model rows that cannot be planned (NULL or duplicated primary key): failed rows, so the run is partial.
    void invalid(std::int64_t n);
    void api_calls(std::int64_t n = 1);
    void extra(const std::string& key, nlohmann::json value);
    void row_error(std::optional<std::string> pk, std::string category, std::string message);

    store::run_progress snapshot() const;
    // Row errors not yet written; the caller writes them.
    std::vector<store::run_error_record> take_errors();
    std::int64_t failed_rows() const;

    void cancel();
    bool cancelled() const noexcept { return cancelled_; }
    // Called once on cancel() (at once when already cancelled), so a waiting run wakes instead of polling. The
    // callback must not block; empty removes it.
    void on_cancel(std::function<void()> wake);

private:
    static const char* key(change kind);

    mutable std::mutex mutex_;
    store::run_progress progress_;
    std::vector<store::run_error_record> errors_;
    std::int64_t failed_rows_ = 0;
    std::atomic<bool> cancelled_{false};
    std::function<void()> on_cancel_;
};

}  // namespace hubsync::sync
