#pragma once
#include "hubspot/client.hpp"
#include "hubspot/token_provider.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::hubspot {

// The daemon's HubSpot OAuth app (HUBSYNC_OAUTH_*).
struct oauth_app {
    std::string client_id;
    std::string client_secret;
    std::string redirect_url;
    std::string authorize_endpoint = "https://app.hubspot.com/oauth/authorize";

    bool configured() const noexcept { return !client_id.empty() && !client_secret.empty() && !redirect_url.empty(); }
};

// Every scope hubsync's syncs may need (the seed's list, plus deals): the OAuth route asks for all of them.
const std::vector<std::string>& supported_scopes();

// The URL the user opens to grant access; `state` comes back on the callback.
std::string authorize_url(const oauth_app& app, const std::string& state);

struct oauth_tokens {
    std::string access_token;
    std::string refresh_token;
    std::chrono::system_clock::time_point expires_at;
};

// POST /oauth/v1/token (form-encoded) through `c`, unauthenticated. `app` by value: a coroutine must not hold a
// reference to its caller's temporaries (CP.53). Throws api_error (400 invalid_grant for a
// used, expired or revoked code or refresh token).
net::awaitable<oauth_tokens> exchange_code(client& c, oauth_app app, std::string code);
net::awaitable<oauth_tokens> refresh_tokens(client& c, oauth_app app, std::string refresh_token);

// A form-encoded body (application/x-www-form-urlencoded).
std::string form_encode(const std::vector<std::pair<std::string, std::string>>& fields);

// OAuth access tokens for one destination: refreshed shortly before they expire, and once more when HubSpot says
// EXPIRED_AUTHENTICATION. Concurrent callers share a single refresh. A refresh token HubSpot refuses
// (invalid_grant) is reported through `on_revoked`, which marks the destination "reauthorization_required".
class oauth_token_provider final : public token_provider {
public:
    using refresher = std::function<net::awaitable<oauth_tokens>(std::string refresh_token)>;

    oauth_token_provider(net::any_io_executor strand, oauth_tokens initial, refresher refresh,
                         std::function<void(const oauth_tokens&)> on_refreshed, std::function<void()> on_revoked,
                         std::chrono::seconds early = std::chrono::seconds(300));

    net::awaitable<std::string> access_token() override;
    net::awaitable<bool> refresh_after_expiry(std::string rejected) override;
    std::string kind() const override { return "oauth"; }

    std::uint64_t refreshes() const noexcept { return refreshes_; }

private:
    net::awaitable<std::string> on_strand(bool force, std::string rejected);
    net::awaitable<void> refresh_once();

    net::any_io_executor strand_;
    oauth_tokens tokens_;
    refresher refresh_;
    std::function<void(const oauth_tokens&)> on_refreshed_;
    std::function<void()> on_revoked_;
    std::chrono::seconds early_;
    bool refreshing_ = false;
    bool revoked_ = false;
    net::steady_timer refreshed_;   // waiters park here while one caller refreshes
    std::uint64_t refreshes_ = 0;
    std::chrono::system_clock::time_point obtained_;  // when tokens_ arrived
};

// The destination can no longer get tokens: the user must authorize again.
class reauthorization_required : public std::runtime_error {
public:
    reauthorization_required()
        : std::runtime_error("HubSpot refused the destination's OAuth refresh token: authorize the destination again")
    {
    }
};

}  // namespace hubsync::hubspot
