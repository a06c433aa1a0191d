#pragma once
#include "hubspot/client.hpp"
#include "hubspot/paths.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::hubspot {

// Record ids one membership request should carry (to add and to remove together). HubSpot documents no cap
// (hubspot-api.md §9 point 6), so this stays conservative: 250 is the largest memberships page HubSpot serves, a
// body of 250 ids is about 4 KB, so a retried request is cheap, and it is far below any cap a live portal is
// likely to enforce. Raise it only after checking against a live portal.
inline constexpr std::size_t default_max_membership_ids_per_request = 250;

// One ILS list (hubspot-api.md §4.2).
struct crm_list {
    std::string list_id;                             // the ILS id, a numeric string
    std::string name;
    std::string object_type_id;                      // "0-1", "2-123", ...
    std::string processing_type;                     // MANUAL | SNAPSHOT | DYNAMIC
    std::int64_t size = 0;                           // members (DYNAMIC: as HubSpot last computed it)
};

// What a membership change did, as HubSpot reports it.
struct membership_change {
    std::vector<std::string> added;                  // recordsIdsAdded: new members
    std::vector<std::string> removed;                // recordIdsRemoved: former members
    std::vector<std::string> missing;                // recordIdsMissing: no such record of the list's object type
};

// Lists v3 (hubspot-api.md §4). Each call throws what client::send throws; membership changes on a DYNAMIC list
// are refused by HubSpot (api_error, 400 in the emulator).
class lists_api {
public:
    // `max_ids`: see default_max_membership_ids_per_request.
    lists_api(client& c, api_paths paths, std::size_t max_ids = default_max_membership_ids_per_request)
        : client_(c), paths_(std::move(paths)), max_ids_(max_ids)
    {
    }

    // Record ids add_and_remove accepts per call: callers chunk by it.
    std::size_t max_membership_ids_per_request() const noexcept { return max_ids_; }

    // `processing_type`: MANUAL, SNAPSHOT or DYNAMIC. Names are unique per portal, case-insensitively, so a
    // duplicate is refused (api_error). Not idempotent: after a lost answer it is not re-sent (transport_error);
    // get_by_name tells whether it was created.
    net::awaitable<crm_list> create(std::string name, std::string object_type_id,
                                    std::string processing_type = "MANUAL");
    // HubSpot matches the name case-insensitively; nullopt when no list of that object type has it (404).
    net::awaitable<std::optional<crm_list>> get_by_name(std::string object_type_id, std::string name);
    // api_error 404 when there is no such list, or it was deleted.
    net::awaitable<crm_list> get(std::string list_id);
    // Adds and removes in one request; HubSpot ignores ids already in (or already out of) the list. Safe to retry:
    // a repeat leaves the same members, though it then reports nothing added or removed.
    // Precondition: to_add.size() + to_remove.size() <= max_membership_ids_per_request() (std::invalid_argument).
    net::awaitable<membership_change> add_and_remove(std::string list_id, std::vector<std::string> to_add,
                                                     std::vector<std::string> to_remove);
    // Every member's record id, in ascending numeric order (all pages).
    net::awaitable<std::vector<std::string>> memberships(std::string list_id);
    // Empties the list (MANUAL and SNAPSHOT lists).
    net::awaitable<void> remove_all(std::string list_id);
    // Deletes the list (HubSpot can restore it for 90 days). A list that is already gone (404) counts as deleted.
    net::awaitable<void> remove(std::string list_id);

private:
    std::string list_path(const std::string& list_id) const;

    client& client_;
    api_paths paths_;
    std::size_t max_ids_;
};

// The "list" object of a lists answer.
crm_list parse_list(const nlohmann::json& j);

}  // namespace hubsync::hubspot
