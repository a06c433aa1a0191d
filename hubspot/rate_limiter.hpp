#pragma once
#include <chrono>
#include <deque>
#include <optional>
#include <string>

namespace hubsync::hubspot {

// One portal's request budget, shared by every sync that writes to it (DESIGN §4). Pure logic: the caller passes
// the time, so the budget is tested without sleeping; the client asks it before each request and tells it what
// HubSpot answered.
class rate_limiter {
public:
    using clock = std::chrono::steady_clock;

    struct settings {
        int window_max = 190;                               // requests per rolling window (tier: 100/190/250/110)
        std::chrono::milliseconds window{10'000};           // learnt from X-HubSpot-RateLimit-Interval-Milliseconds
        double headroom = 0.0;                              // fraction of the window left to other integrations
        int search_per_second = 5;                          // CRM search has its own budget
        std::chrono::milliseconds safety_margin{50};        // our clock and HubSpot's see a request at different times
        bool learn_max_from_headers = true;                 // X-HubSpot-RateLimit-Max overrides window_max
    };

    enum class request_class { standard, search };

    explicit rate_limiter(settings s);

    // How long to wait before a request of class `c` may go. Zero means go now, and the request is counted.
    std::chrono::milliseconds acquire(request_class c, clock::time_point now);

    // What HubSpot's headers say; any may be absent (search answers carry none).
    struct headers {
        std::optional<int> max;
        std::optional<int> remaining;
        std::optional<int> interval_ms;
        std::optional<long long> daily;
        std::optional<long long> daily_remaining;
    };
    void on_response(const headers& h, clock::time_point now);

    // A 429 of the TEN_SECONDLY_ROLLING / SECONDLY / DAILY policy. `retry_after` when HubSpot sent one.
    enum class policy { ten_secondly_rolling, secondly, daily, unknown };
    void on_rate_limited(policy p, std::optional<std::chrono::milliseconds> retry_after, clock::time_point now,
                         std::chrono::system_clock::time_point wall_now = std::chrono::system_clock::now());

    // Set while the daily budget is spent: no request goes until then (the next midnight UTC).
    std::optional<std::chrono::system_clock::time_point> daily_paused_until() const { return daily_paused_until_; }

    int window_max() const noexcept { return settings_.window_max; }
    int allowed_per_window() const noexcept;
    std::chrono::milliseconds window() const noexcept { return settings_.window; }
    std::optional<long long> daily_remaining() const noexcept { return daily_remaining_; }

    static policy parse_policy(const std::string& policy_name, const std::string& message);

private:
    void forget_before(clock::time_point now);

    settings settings_;
    std::deque<clock::time_point> sent_;          // standard requests inside the current window
    std::deque<clock::time_point> searches_;      // search requests inside the last second
    clock::time_point paused_until_{};            // after a 429: nothing goes before this
    clock::time_point search_paused_until_{};
    std::optional<std::chrono::system_clock::time_point> daily_paused_until_;
    std::optional<long long> daily_remaining_;
};

}  // namespace hubsync::hubspot
