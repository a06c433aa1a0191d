#pragma once
#include <pqxx/pqxx>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::store {

// What HubSpot last acknowledged for one model row of one sync.
struct row_state_entry {
    std::string pk;
    std::optional<std::int64_t> hash;        // NULL: never acknowledged
    std::optional<std::string> hubspot_id;
    std::string status = "synced";           // synced | failed | pending (a create was sent, answer unknown)
    int attempts = 0;
    std::optional<std::int64_t> pending_seconds;  // pending: how long ago the create was sent
};

// A change to one row's state, written when HubSpot answered for it.
struct row_state_update {
    std::string pk;
    std::optional<std::int64_t> hash;        // synced: the new baseline; failed/pending: kept as it was
    std::optional<std::string> hubspot_id;   // nullopt: keep the stored one
    std::string status;
    std::optional<std::string> error;        // failed: why
};

namespace row_state {
// Up to `limit` entries after `after_pk` (all when nullopt), in byte order of pk: the order the planner merges
// the model in.
std::vector<row_state_entry> read_after(pqxx::connection& c, std::int64_t sync_id,
                                        const std::optional<std::string>& after_pk, int limit);
// Writes `updates` and deletes `removed` in one transaction. A failed row keeps its hash and counts an attempt.
void apply(pqxx::connection& c, std::int64_t sync_id, const std::vector<row_state_update>& updates,
           const std::vector<std::string>& removed = {});
std::int64_t count(pqxx::connection& c, std::int64_t sync_id);
}  // namespace row_state

}  // namespace hubsync::store
