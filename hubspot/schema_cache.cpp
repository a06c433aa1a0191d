#include "hubspot/schema_cache.hpp"

namespace hubsync::hubspot {

net::awaitable<schema_cache::entry>
schema_cache::get(std::int64_t destination_id, fetcher fetch, bool refresh)
{
    if (!refresh) {
        std::lock_guard lock(mutex_);
        if (auto it = entries_.find(destination_id); it != entries_.end()) co_return it->second;
    }
    auto schema = std::make_shared<const portal_schema>(co_await fetch());
    entry e{schema, std::chrono::steady_clock::now()};
    std::lock_guard lock(mutex_);
    entries_[destination_id] = e;
    co_return e;
}

void
schema_cache::forget(std::int64_t destination_id)
{
    std::lock_guard lock(mutex_);
    entries_.erase(destination_id);
}

}  // namespace hubsync::hubspot
