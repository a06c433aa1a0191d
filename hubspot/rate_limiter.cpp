#include "hubspot/rate_limiter.hpp"

#include <algorithm>
#include <cmath>

namespace hubsync::hubspot {

namespace {
using std::chrono::duration_cast;
using std::chrono::milliseconds;

milliseconds
until(rate_limiter::clock::time_point t, rate_limiter::clock::time_point now)
{
    return t > now ? duration_cast<milliseconds>(t - now) + milliseconds(1) : milliseconds(0);
}

std::chrono::system_clock::time_point
next_utc_midnight(std::chrono::system_clock::time_point now)
{
    auto day = std::chrono::floor<std::chrono::days>(now);
    return day + std::chrono::days(1);
}
}  // namespace

rate_limiter::rate_limiter(settings s) : settings_(s)
{
}

int
rate_limiter::allowed_per_window() const noexcept
{
    int allowed = static_cast<int>(std::floor(settings_.window_max * (1.0 - settings_.headroom)));
    return std::max(1, allowed);
}

void
rate_limiter::forget_before(clock::time_point now)
{
    while (!sent_.empty() && sent_.front() + settings_.window + settings_.safety_margin <= now) sent_.pop_front();
    while (!searches_.empty() && searches_.front() + std::chrono::seconds(1) + settings_.safety_margin <= now)
        searches_.pop_front();
}

std::chrono::milliseconds
rate_limiter::acquire(request_class c, clock::time_point now)
{
    if (daily_paused_until_) {
        auto wall = std::chrono::system_clock::now();
        if (wall < *daily_paused_until_) return duration_cast<milliseconds>(*daily_paused_until_ - wall);
        daily_paused_until_.reset();
    }
    if (auto w = until(paused_until_, now); w.count() > 0) return w;
    forget_before(now);
    if (c == request_class::search) {
        if (auto w = until(search_paused_until_, now); w.count() > 0) return w;
        if (static_cast<int>(searches_.size()) >= settings_.search_per_second)
            return until(searches_.front() + std::chrono::seconds(1) + settings_.safety_margin, now);
    }
    // Search requests count against the window too only where HubSpot says so; it says they do not (§6.1).
    if (c == request_class::standard && static_cast<int>(sent_.size()) >= allowed_per_window())
        return until(sent_.front() + settings_.window + settings_.safety_margin, now);
    (c == request_class::search ? searches_ : sent_).push_back(now);
    return milliseconds(0);
}

void
rate_limiter::on_response(const headers& h, clock::time_point now)
{
    // Headers come from the network: keep them to plausible values before they size anything.
    if (h.interval_ms && *h.interval_ms > 0 && *h.interval_ms <= 3'600'000) settings_.window = milliseconds(*h.interval_ms);
    if (settings_.learn_max_from_headers && h.max && *h.max > 0 && *h.max <= 100'000) settings_.window_max = *h.max;
    if (h.remaining) {
        // Other integrations on the same app spend the same window: when HubSpot has fewer left than we think,
        // count the difference as spent now.
        forget_before(now);
        long long remaining = std::clamp<long long>(*h.remaining, 0, settings_.window_max);
        long long ours_left = settings_.window_max - static_cast<long long>(sent_.size());
        for (long long extra = ours_left - remaining; extra > 0; --extra) sent_.push_back(now);
    }
    if (h.daily_remaining) daily_remaining_ = *h.daily_remaining;
}

void
rate_limiter::on_rate_limited(policy p, std::optional<std::chrono::milliseconds> retry_after, clock::time_point now,
                              std::chrono::system_clock::time_point wall_now)
{
    switch (p) {
    case policy::daily:
        daily_paused_until_ = retry_after ? wall_now + *retry_after : next_utc_midnight(wall_now);
        daily_remaining_ = 0;
        break;
    case policy::secondly:
        search_paused_until_ = now + (retry_after ? *retry_after : milliseconds(1000));
        break;
    case policy::ten_secondly_rolling:
    case policy::unknown:
        // HubSpot's window is full even if ours is not: wait it out (or as told).
        paused_until_ = now + (retry_after ? *retry_after : settings_.window);
        sent_.clear();
        break;
    }
}

rate_limiter::policy
rate_limiter::parse_policy(const std::string& policy_name, const std::string& message)
{
    if (policy_name == "TEN_SECONDLY_ROLLING") return policy::ten_secondly_rolling;
    if (policy_name == "DAILY") return policy::daily;
    if (policy_name == "SECONDLY" || message == "You have reached your secondly limit.") return policy::secondly;
    if (message.find("daily limit") != std::string::npos) return policy::daily;
    if (message.find("ten_secondly_rolling") != std::string::npos) return policy::ten_secondly_rolling;
    return policy::unknown;
}

}  // namespace hubsync::hubspot
