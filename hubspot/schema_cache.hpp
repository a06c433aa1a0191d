#pragma once
#include "core/net.hpp"
#include "hubspot/client.hpp"
#include "hubspot/paths.hpp"
#include "hubspot/portal_schema.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>

namespace hubsync::hubspot {

// Reads a portal's whole schema: the standard objects' properties, custom object schemas, association types
// between the standard objects and along every custom object's associations, and event definitions. A part the
// token may not read (403) is recorded as that part's problem rather than failing the rest; anything else throws
// what client::send throws.
net::awaitable<portal_schema> fetch_portal_schema(client& c, api_paths paths);

// The last schema read for each destination, in memory: reading one costs ~25 API calls, so syncs are validated
// against the cache, refreshed on request (POST …/schema/refresh) or when a validation names something it does
// not know. Thread-safe.
class schema_cache {
public:
    using fetcher = std::function<net::awaitable<portal_schema>()>;

    struct entry {
        std::shared_ptr<const portal_schema> schema;
        std::chrono::steady_clock::time_point fetched;
    };

    // The cached schema; fetched with `fetch` when there is none or when `refresh` is set.
    net::awaitable<entry> get(std::int64_t destination_id, fetcher fetch, bool refresh = false);
    void forget(std::int64_t destination_id);

private:
    std::mutex mutex_;
    std::map<std::int64_t, entry> entries_;
};

}  // namespace hubsync::hubspot
