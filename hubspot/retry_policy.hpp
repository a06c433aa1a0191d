#pragma once
#include <chrono>
#include <optional>
#include <random>
#include <string>

namespace hubsync::hubspot {

// When to try a HubSpot request again, and after how long (DESIGN §4). Pure logic; the client applies it.
struct retry_settings {
    int max_attempts = 6;                                  // including the first
    std::chrono::milliseconds base_delay{500};
    std::chrono::milliseconds max_delay{30'000};
    std::chrono::milliseconds locked_delay{2'000};         // 423: "locks last for 2 seconds"
};

struct retry_decision {
    bool retry = false;
    std::chrono::milliseconds delay{0};
    std::string reason;                                    // for logs and metrics: "http_503", "reset", ...
};

class retry_policy {
public:
    explicit retry_policy(retry_settings s, std::uint64_t seed = std::random_device{}());

    // After an HTTP answer. `attempt` counts from 1. 429s are the rate limiter's business: they are retried
    // (except DAILY) without using up attempts beyond the cap, with the delay the limiter decides. 423, 429 and
    // 477 refuse a request before it is applied, so they are retried even when it is not idempotent; a 5xx is
    // retried only when it is.
    retry_decision after_status(int status, int attempt, std::optional<std::chrono::milliseconds> retry_after,
                                bool idempotent = true);

    // After a transport failure. `request_sent`: bytes of the request may have reached HubSpot, so it may have
    // been applied. A request that is not idempotent (a batch create) is then never re-sent blindly: the caller
    // must reconcile first.
    retry_decision after_transport_error(const std::string& what, int attempt, bool request_sent, bool idempotent);

    // Capped exponential back-off with full jitter: uniform in [base, min(cap, base * 2^(attempt-1))].
    std::chrono::milliseconds backoff(int attempt);

    const retry_settings& settings() const noexcept { return settings_; }

private:
    retry_settings settings_;
    std::mt19937_64 rng_;
};

// "Retry-After" as seconds (HubSpot's unit for 477) or an HTTP date; nullopt when absent or unreadable.
std::optional<std::chrono::milliseconds> parse_retry_after(const std::string& value,
                                                           std::chrono::system_clock::time_point now =
                                                               std::chrono::system_clock::now());

}  // namespace hubsync::hubspot
