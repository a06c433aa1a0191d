#pragma once
// Run-time switches of the emulator, read and changed through /__emulator/config (admin.cpp).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hubsync::emulator {

// One injected fault (hubspot-api.md §8.20). A request takes the first rule whose `path_prefix` it starts with
// (empty: every path) and whose `count` is not used up. /__emulator/ paths are never faulted.
struct fault_rule {
    // partial_answer: the request is handled (every write happens), and its 2xx batch answer is cut to the first
    // half of its results plus one error that names no input, as a 207: an answer that confirms only some inputs.
    enum class kind { status, reset, reset_mid_body, latency, partial_answer };
    kind what = kind::status;
    int status = 503;                  // kind::status: any 4xx/5xx; 423, 477, 500, 502, 503, 504 have HubSpot bodies
    int count = 1;                     // requests left; the rule disappears at 0
    std::string path_prefix;           // e.g. "/crm/v3/objects/contacts/batch"
    int latency_ms = 0;                // kind::latency: delay, then answer normally
    std::optional<int> retry_after;    // seconds, sent as Retry-After; 477 defaults to 1
    // Run the request (its writes happen) before the fault answers: for a reset, the connection is cut after the
    // write; for a status, the write is committed and the client still gets the error (a gateway timing out after
    // HubSpot applied the request). Default: false, except true for reset_mid_body (the cut body is the real
    // answer). Not for latency faults.
    bool process_request = false;
};

struct rate_limit_config {
    bool enabled = true;          // false: no limits and no X-HubSpot-RateLimit-* headers (benchmarks)
    int max = 190;                // per private-app token (app) per interval (Professional/Enterprise tier)
    int oauth_max = 110;          // per OAuth app installation per interval (Marketplace apps)
    int interval_ms = 10'000;     // the rolling window
    std::int64_t daily = 1'000'000;  // per portal per UTC day (Enterprise)
    std::optional<int> retry_after_seconds;  // Retry-After on 429s; HubSpot does not document one (null = off)
};

struct search_config {
    int lag_ms = 0;       // writes younger than this are not yet visible to search
    int per_second = 5;   // search requests per second per portal (SECONDLY policy)
};

struct oauth_config {
    int access_token_ttl_seconds = 1800;  // expires_in of minted access tokens
};

struct lists_config {
    // Record ids one membership request (add, remove, add-and-remove together) may carry. HubSpot documents no
    // cap (hubspot-api.md §9 point 6); lower it to test a client's chunking.
    int max_membership_ids = 100'000;
};

struct events_config {
    // An occurrence whose uuid the event type already has: false drops it silently (the request still succeeds),
    // true refuses the request with 400 DUPLICATE_UUID. HubSpot's behaviour is UNCONFIRMED (hubspot-api.md §9
    // point 7), so clients are tested both ways.
    bool reject_duplicate_uuids = false;
};

struct objects_config {
    // How a value already held by another record in a custom unique property is refused: HubSpot's documented
    // 409 CONFLICT "… Existing ID: N", or the 400 "propertyValue: already has that value <name>" one report saw
    // (hubspot-api.md §9 point 4, UNCONFIRMED). Contact email always answers 409.
    enum class conflict_shape { conflict_409, validation_400 };
    conflict_shape unique_conflict = conflict_shape::conflict_409;
};

struct emulator_config {
    rate_limit_config rate_limit;
    search_config search;
    oauth_config oauth;
    lists_config lists;
    events_config events;
    objects_config objects;
    std::vector<fault_rule> faults;
};

// A bad admin request: the message names the JSON path.
class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

nlohmann::ordered_json to_json(const emulator_config& c);
nlohmann::ordered_json to_json(const fault_rule& f);
// Applies the keys present in `patch` (all optional); unknown keys and bad values throw config_error and leave
// `c` unchanged. A "faults" key replaces the whole fault list.
void apply_config(emulator_config& c, const nlohmann::json& patch);
fault_rule parse_fault(const nlohmann::json& j, const std::string& path);

}  // namespace hubsync::emulator
