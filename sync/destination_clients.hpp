#pragma once
#include "hubspot/client.hpp"
#include "hubspot/oauth.hpp"
#include "hubspot/paths.hpp"
#include "hubspot/portal_registry.hpp"
#include "hubspot/schema_cache.hpp"
#include "store/database.hpp"
#include "store/destination_credentials.hpp"
#include "store/secret_box.hpp"

#include <cstdint>
#include <memory>

namespace hubsync::sync {

// A destination's HubSpot client and the API paths of its version.
struct destination_client {
    std::shared_ptr<hubspot::client> client;
    hubspot::api_paths paths;
};

// Gives every user of a destination (runs, schema look-ups) the one shared client of its portal, built from the
// stored credentials. OAuth destinations get a refreshing token provider whose new tokens are sealed back into
// the state database, and whose revoked refresh token marks the destination "reauthorization_required".
class destination_clients {
public:
    destination_clients(store::database& db, const store::secret_box& secrets, hubspot::portal_registry& portals,
                        hubspot::oauth_app oauth);

    // Throws core::error: not_found, or unprocessable when the destination has no usable credentials (never
    // authorized, or waiting for re-authorization).
    net::awaitable<destination_client> get(std::int64_t destination_id);
    // The destination's cached portal schema, read through its client when there is none or `refresh` is set.
    // Throws like get(), and what fetch_portal_schema throws.
    net::awaitable<hubspot::schema_cache::entry> schema(std::int64_t destination_id, bool refresh = false);
    // The same for a caller that already holds the destination's client from get().
    net::awaitable<hubspot::schema_cache::entry> schema(std::int64_t destination_id, destination_client dc,
                                                         bool refresh = false);
    // After an edit, a new authorization or a delete: the next get() builds a new client, the next schema() reads
    // the schema again.
    void forget(std::int64_t destination_id)
    {
        portals_.forget(destination_id);
        schemas_.forget(destination_id);
    }

    hubspot::portal_registry& portals() noexcept { return portals_; }

private:
    std::shared_ptr<hubspot::token_provider> oauth_provider(std::int64_t destination_id, std::string api_version,
                                                            const store::oauth_credentials& stored);

    store::database& db_;
    const store::secret_box& secrets_;
    hubspot::portal_registry& portals_;
    hubspot::oauth_app oauth_;
    hubspot::schema_cache schemas_;
};

store::oauth_credentials to_stored(const hubspot::oauth_tokens& t);
hubspot::oauth_tokens from_stored(const store::oauth_credentials& c);

}  // namespace hubsync::sync
