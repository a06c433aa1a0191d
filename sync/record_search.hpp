#pragma once
// Finding records by a property that is not unique (hubspot-api.md §2.4): search with IN filters, whose string
// values must be lower-case, in bodies under 3,000 characters, never paging past 10,000 results. Search is paced by
// the portal's 5-per-second budget in the client, and lags behind writes: callers must not take "not found" for
// "never created" when they created it moments ago.
#include "hubspot/objects_api.hpp"
#include "sync/run_pipeline.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace hubsync::sync {

// HubSpot refuses a search body longer than this (hubspot-api.md §2.4).
inline constexpr std::size_t max_search_body = 3000;
// Nor does it page past this many results.
inline constexpr std::int64_t max_search_results = 10'000;

// The IN values of one property split into search bodies, each under `max_body` characters with room for the
// longest paging cursor; duplicates dropped, strings lower-cased (`text`). A value too long to fit any body is
// returned in `too_long` instead.
struct search_plan {
    std::vector<std::vector<std::string>> groups;  // values per body
    std::vector<std::string> too_long;
};
search_plan plan_search(const std::string& property, const std::vector<std::string>& values, bool text,
                        std::size_t max_body = max_search_body);
nlohmann::json search_body(const std::string& property, const std::vector<std::string>& values,
                           const std::optional<std::string>& after);

// Record ids by match_key() of the property's value. A value held by more than 10,000 records gets that many
// ids' worth of certainty only: it maps to at least two ids, enough to call it ambiguous.
struct found_records {
    std::map<std::string, std::vector<std::string>> ids;
    std::set<std::string> unsearchable;   // match_key()s of values too long for any search body
};
net::awaitable<found_records>
find_by_property(hubspot::objects_api& objects, send_context& ctx, std::string object_path, std::string property,
                 std::vector<std::string> values, bool text);

}  // namespace hubsync::sync
