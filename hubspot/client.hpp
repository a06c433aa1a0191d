#pragma once
#include "core/net.hpp"
#include "hubspot/rate_limiter.hpp"
#include "hubspot/retry_policy.hpp"
#include "hubspot/token_provider.hpp"
#include "hubspot/transport.hpp"

#include <memory>
#include <string>

namespace hubsync::core {
class metrics_registry;
}

namespace hubsync::hubspot {

struct client_settings {
    std::string base_url = "https://api.hubapi.com";
    std::string api_version = "v3";            // "v3" (v3/v4 paths) or "2026-03" (dated paths)
    rate_limiter::settings limits;
    retry_settings retry;
    transport_settings transport;
    std::string ca_file;                       // tests: trust this CA instead of the system store
};

// One HTTP call as the typed endpoints describe it.
struct call {
    http::verb method = http::verb::get;
    std::string target;                        // path and query, e.g. "/crm/v3/objects/contacts/batch/upsert"
    std::string body;
    std::string content_type = "application/json";
    std::string endpoint = "other";            // metrics label: objects.batch_upsert, search, ...
    rate_limiter::request_class limit_class = rate_limiter::request_class::standard;
    bool idempotent = true;                    // false: never re-sent after it may have reached HubSpot
    bool authenticated = true;                 // false for the OAuth token endpoint
};

// The HubSpot client of one portal, shared by every sync that writes to it. Owns the portal's connection pool,
// rate limiter and retry policy; all of them live on one strand, so there are no locks. Thread-safe: `send` may
// be awaited from any executor.
class client {
public:
    client(net::io_context& ioc, client_settings settings, std::shared_ptr<token_provider> tokens,
           core::metrics_registry* metrics, std::string portal_label);

    // Sends with auth, rate limiting and retries. Returns any 2xx (incl. 207) answer. Throws api_error for a
    // refusal, transport_error when the request may have reached HubSpot but its answer was lost (or retries
    // ran out), daily_limit_reached when the portal's daily budget is spent.
    net::awaitable<http_response> send(call c);

    const client_settings& settings() const noexcept { return settings_; }
    const std::string& portal_label() const noexcept { return portal_; }

    struct counters {
        std::uint64_t requests = 0;            // attempts put on the wire
        std::uint64_t rate_limited = 0;        // answers with 429
        std::uint64_t retries = 0;
        std::uint64_t limiter_wait_ms = 0;
    };
    // Read on the strand; approximate from elsewhere.
    counters stats() const noexcept { return stats_; }

private:
    net::awaitable<http_response> send_on_strand(call c);
    net::awaitable<void> wait_for_budget(rate_limiter::request_class rc);
    net::awaitable<void> sleep(std::chrono::milliseconds d);
    void learn(const http_response& r);

    net::strand<net::io_context::executor_type> strand_;
    client_settings settings_;
    std::shared_ptr<token_provider> tokens_;
    core::metrics_registry* metrics_;
    std::string portal_;
    connection_pool pool_;
    rate_limiter limiter_;
    retry_policy retry_;
    counters stats_;
};

}  // namespace hubsync::hubspot
