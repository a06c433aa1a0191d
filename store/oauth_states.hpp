#pragma once
#include <pqxx/pqxx>

#include <chrono>
#include <optional>
#include <string>

namespace hubsync::store::oauth_states {

// Remembers `state` for `destination_id` until `ttl` passes; expired states are swept at the same time.
void create(pqxx::connection& c, const std::string& state, std::int64_t destination_id, std::chrono::seconds ttl);
// The destination `state` was issued for, when it exists and has not expired; it is deleted either way, so a
// state works once.
std::optional<std::int64_t> consume(pqxx::connection& c, const std::string& state);

}  // namespace hubsync::store::oauth_states
