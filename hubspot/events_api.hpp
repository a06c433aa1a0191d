#pragma once
#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"
#include "hubspot/paths.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::hubspot {

// Occurrences per batch send (hubspot-api.md §5.1).
inline constexpr std::size_t max_event_batch_inputs = 500;

// One occurrence of a custom behavioural event (hubspot-api.md §5.1).
struct event_occurrence {
    std::string event_name;                          // the definition's fully_qualified_name, pe{portal}_{name}
    std::map<std::string, std::string> properties;   // at most 50; values up to 256 characters (URLs 1,024)
    std::string occurred_at;                         // ISO-8601 or epoch ms; empty: HubSpot uses the time received
    // The record: HubSpot matches a customMatchingId property first, then object_id, email (contacts), utk.
    std::optional<std::string> object_id;
    std::optional<std::string> email;
    std::optional<std::string> utk;
    // Idempotency key, unique within the event type: HubSpot keeps the first occurrence with a uuid. Set it to
    // make sends retry-safe.
    std::string uuid;
};

struct event_property {
    std::string name;
    std::string type;                                // string | number | enumeration | datetime | bool | date
    std::string label;
};

// An event definition as HubSpot describes it (hubspot-api.md §5.2), with its properties (the defaults included).
struct event_definition {
    std::string name;
    std::string fully_qualified_name;                // what occurrences send as event_name
    std::string label;
    std::string primary_object;                      // CONTACT | COMPANY | DEAL | TICKET | a custom object
    std::string object_type_id;                      // the event type's own id ("6-…" in the emulator)
    std::vector<event_property> properties;
};

struct event_option {
    std::string label;
    std::string value;
};

struct event_property_input {
    std::string name;                                // ^[a-z][a-z0-9_]*$, at most 50 characters
    std::string label;
    std::string type = "string";
    std::vector<event_option> options;               // enumeration only (required there)
    std::string description;
};

struct event_definition_input {
    std::string label;                               // required, at most 50 characters
    std::string name;                                // empty: HubSpot derives it from the label; immutable
    std::string description;
    std::string primary_object = "CONTACT";          // immutable
    bool include_default_properties = true;          // hs_city, hs_page_url, hs_utm_*, ...
    std::vector<event_property_input> properties;    // at most 50
    // customMatchingId: match records whose unique `object_property` equals the occurrence's `event_property`.
    struct matching {
        std::string object_property;
        std::string event_property;
    };
    std::optional<matching> custom_matching;
};

// Custom behavioural events (hubspot-api.md §5). Each call throws what client::send throws.
class events_api {
public:
    events_api(client& c, api_paths paths) : client_(c), paths_(std::move(paths)) {}

    // Sends up to max_event_batch_inputs occurrences in one request (std::invalid_argument beyond; callers chunk);
    // nothing is sent for an empty vector. HubSpot records all or none. With a uuid on every input the call is
    // retry-safe, so only then is it re-sent after a lost answer: HubSpot keeps the first occurrence per uuid.
    // Whether it drops later ones silently or refuses them is UNCONFIRMED (hubspot-api.md §9 point 7); a batch
    // refused for a duplicate uuid is re-sent one occurrence at a time, and each duplicate refusal then counts as
    // delivered, so both behaviours end with every occurrence recorded once.
    net::awaitable<void> send_batch(std::vector<event_occurrence> occurrences);
    // One occurrence; retry-safe (and re-sent after a lost answer) only with a uuid. A duplicate uuid refusal
    // counts as delivered.
    net::awaitable<void> send(event_occurrence occurrence);

    // Every event definition of the portal with its properties (all pages).
    net::awaitable<std::vector<event_definition>> list_definitions();
    // Not idempotent: after a lost answer it is not re-sent (transport_error); list_definitions tells whether it
    // was created. A taken or retired name is an api_error.
    net::awaitable<event_definition> create_definition(event_definition_input input);

private:
    net::awaitable<void> post_batch(std::vector<event_occurrence> occurrences);

    client& client_;
    api_paths paths_;
};

// The send body of one occurrence.
nlohmann::json occurrence_json(const event_occurrence& o);
event_definition parse_event_definition(const nlohmann::json& j);
// True when HubSpot refused a send because an occurrence's uuid was already taken (409, or a 400 saying so).
bool duplicate_uuid_refusal(const api_error& e);

}  // namespace hubsync::hubspot
