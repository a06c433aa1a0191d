#include "sync/run_tracker.hpp"

namespace hubsync::sync {

const char*
run_tracker::key(change kind)
{
    switch (kind) {
    case change::added: return "added";
    case change::changed: return "changed";
    case change::removed: return "removed";
    }
    return "changed";
}

void
run_tracker::planned(const plan_counts& c)
{
    std::lock_guard lock(mutex_);
    progress_.planned = {{"added", c.added}, {"changed", c.changed}, {"removed", c.removed}, {"unchanged", c.unchanged}};
    if (c.invalid) progress_.planned["invalid"] = c.invalid;
}

void
run_tracker::succeeded(change kind, std::int64_t n)
{
    std::lock_guard lock(mutex_);
    auto& v = progress_.succeeded[key(kind)];
    v = v.get<std::int64_t>() + n;
}

void
run_tracker::failed(change kind, std::int64_t n)
{
    std::lock_guard lock(mutex_);
    auto& v = progress_.failed[key(kind)];
    v = v.get<std::int64_t>() + n;
    failed_rows_ += n;
}

void
run_tracker::invalid(std::int64_t n)
{
    std::lock_guard lock(mutex_);
    auto& v = progress_.failed["invalid"];
    v = (v.is_number() ? v.get<std::int64_t>() : 0) + n;
    failed_rows_ += n;
}

void
run_tracker::cancel()
{
    std::function<void()> wake;
    {
        std::lock_guard lock(mutex_);
        cancelled_ = true;
        wake = on_cancel_;
    }
    if (wake) wake();
}

void
run_tracker::on_cancel(std::function<void()> wake)
{
    {
        std::lock_guard lock(mutex_);
        on_cancel_ = wake;
        if (!cancelled_) return;
    }
    if (wake) wake();
}

void
run_tracker::api_calls(std::int64_t n)
{
    std::lock_guard lock(mutex_);
    progress_.api_calls += n;
}

void
run_tracker::extra(const std::string& k, nlohmann::json value)
{
    std::lock_guard lock(mutex_);
    progress_.extra[k] = std::move(value);
}

void
run_tracker::row_error(std::optional<std::string> pk, std::string category, std::string message)
{
    std::lock_guard lock(mutex_);
    errors_.push_back({0, std::move(pk), std::move(category), std::move(message)});
}

store::run_progress
run_tracker::snapshot() const
{
    std::lock_guard lock(mutex_);
    return progress_;
}

std::vector<store::run_error_record>
run_tracker::take_errors()
{
    std::lock_guard lock(mutex_);
    return std::exchange(errors_, {});
}

std::int64_t
run_tracker::failed_rows() const
{
    std::lock_guard lock(mutex_);
    return failed_rows_;
}

}  // namespace hubsync::sync
