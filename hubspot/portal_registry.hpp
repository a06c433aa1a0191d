#pragma once
#include "hubspot/client.hpp"
#include "hubspot/token_provider.hpp"

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace hubsync::hubspot {

// How to reach one destination's portal.
struct portal_access {
    std::string base_url;        // empty: the daemon's default
    std::string api_version;     // empty: the daemon's default
    std::string token;           // private app token; for OAuth what identifies the grant (its refresh token)

    bool operator==(const portal_access&) const = default;
};

// One HubSpot client per destination, shared by every sync writing to it, so they share one rate budget and
// one connection pool. Thread-safe.
class portal_registry {
public:
    portal_registry(net::io_context& ioc, core::metrics_registry* metrics, client_settings defaults);

    using token_factory = std::function<std::shared_ptr<token_provider>()>;

    // The destination's client; made on first use and remade when its access changed. `make_tokens` gives the
    // token provider of a new client (default: `access.token` as a static private app token).
    std::shared_ptr<client> for_destination(std::int64_t destination_id, const portal_access& access,
                                            const token_factory& make_tokens = {});
    // A client for checking access before a destination exists (not kept).
    std::shared_ptr<client> temporary(const portal_access& access, const std::string& label);
    void forget(std::int64_t destination_id);

    const client_settings& defaults() const noexcept { return defaults_; }
    net::io_context& io_context() noexcept { return ioc_; }

private:
    client_settings settings_for(const portal_access& access) const;

    net::io_context& ioc_;
    core::metrics_registry* metrics_;
    client_settings defaults_;
    std::mutex mutex_;
    std::map<std::int64_t, std::pair<portal_access, std::shared_ptr<client>>> clients_;
};

}  // namespace hubsync::hubspot
