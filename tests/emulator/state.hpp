#pragma once
// The in-memory HubSpot portal: everything the emulator knows, behind one mutex. Handlers get the state with the
// lock held and do O(batch) work on it; only search scans a whole object type.
#include "tests/emulator/association_store.hpp"
#include "tests/emulator/config.hpp"
#include "tests/emulator/time_format.hpp"

#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace hubsync::emulator {

struct option_def {
    std::string label;
    std::string value;
    std::string description;
    int display_order = 0;
    bool hidden = false;
};

// One property definition, as the properties API describes it (hubspot-api.md §2.5).
struct property_def {
    std::string name;
    std::string label;
    std::string type;        // bool | date | datetime | enumeration | number | phone_number | string
    std::string field_type;  // text | textarea | select | checkbox | number | date | ...
    std::string group_name;
    std::string description;
    std::vector<option_def> options;
    bool has_unique_value = false;
    bool calculated = false;
    bool hubspot_defined = false;
    bool hidden = false;
    bool form_field = false;
    bool read_only_value = false;
    bool read_only_definition = false;
    bool archivable = true;
    bool lowercase = false;  // values are stored lower-cased (contact email)
    bool archived = false;   // deleted: out of the name index and every listing; kept so history indexes hold
    int display_order = -1;
    std::string created_at;  // ISO; empty for HubSpot-defined properties
    std::string updated_at;
};

enum class history_source : std::uint8_t { api, import };  // sourceType "API", "IMPORT" (seeded)

// One value a property was given (propertiesWithHistory).
struct history_entry {
    std::string value;
    std::int64_t at_ms = 0;
    std::uint32_t property = 0;  // the property's index in its type's `properties` (never removed)
    history_source source = history_source::api;
};

// A hash that lets unordered maps keyed by std::string be searched with a string_view, without building a string.
struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

using property_map = std::map<std::string, std::string>;  // sorted: responses list properties alphabetically

struct record {
    std::uint64_t id = 0;
    property_map properties;  // unset properties are absent; values are always strings
    // Every value written, of every property, oldest first: a write appends to one list and looks nothing up.
    // Bounded: once it reaches `history_trim_at` it keeps only each property's newest values (records.cpp).
    std::vector<history_entry> history;
    std::uint32_t history_trim_at = 0;
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
    std::int64_t archived_ms = 0;
    bool archived = false;

    // Search index lag (hubspot-api.md §2.4). While the lag is on, every write also records a version (the last
    // one equals `properties`); search sees the newest version at least `lag` old (none yet: the record is
    // invisible). Empty: search sees `properties`.
    struct version {
        steady_clock::time_point at;
        std::shared_ptr<const property_map> properties;
    };
    std::vector<version> versions;
};

// What defines a CRM object type: standard (0-x) or custom (2-x), its property definitions and schema fields.
// Everything but the records, so that a copy of it can be read outside the state lock (schema_snapshot).
struct type_definition {
    std::string id;              // "0-1", "2-1000001"
    std::string name;            // "contacts", or the custom schema name
    std::string singular_name;   // "contact" (v4 association paths accept it)
    std::string label_singular;  // "Contact": "Contact already exists. Existing ID: N"
    std::string label_plural;
    std::string error_name;      // "CONTACT": "Could not get some CONTACT objects, ..."
    std::string fully_qualified_name;  // "p12345678_lender" for custom objects, else the name
    std::string scope_family;    // contacts | companies | deals | tickets | custom
    bool custom = false;

    std::vector<property_def> properties;
    std::unordered_map<std::string, std::size_t, string_hash, std::equal_to<>> property_index;
    std::vector<std::string> default_properties;  // returned when a read names none
    std::vector<std::string> query_properties;    // matched by search "query"
    std::vector<std::string> required_properties;
    std::map<std::string, std::string> create_defaults;  // set on create when absent (pipeline "default", ...)
    std::string created_property = "createdate";
    std::string modified_property = "lastmodifieddate";

    // Schema fields (custom objects; hubspot-api.md §2.6).
    std::string schema_id;
    std::string description;
    std::string primary_display_property;
    std::vector<std::string> secondary_display_properties;
    std::vector<std::string> searchable_properties;
    std::vector<std::string> associated_objects;
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;

    const property_def* find_property(std::string_view name) const;
    // The index of one of `properties` (history entries name properties by it).
    std::uint32_t number_of(const property_def& p) const { return static_cast<std::uint32_t>(&p - properties.data()); }
};

// A CRM object type with its records and unique indexes.
struct object_type : type_definition {
    std::map<std::uint64_t, record> records;  // by id: list paging walks it in order
    // unique property → value → record (archived records are not indexed; `records` nodes do not move, and a
    // record leaves its indexes before it is erased: records.cpp index_remove)
    std::unordered_map<std::string, std::unordered_map<std::string, record*>> unique_index;

    // Changes the definitions: the caller (lock held) then calls portal_state::schema_changed().
    void add_property(property_def p);
    // DELETE /crm/v3/properties/{t}/{name}: gone for every later request; false when there is no such property.
    bool archive_property(const std::string& name);
    record* find_record(std::uint64_t id);
    // A live (not archived) record by id or by a unique property's value; null when absent.
    record* find_live(std::uint64_t id);
    record* find_by_unique(const std::string& property, const std::string& value);
};

// The object types' definitions as they were at one moment, never changed once published: batch writes resolve
// the path's type and convert their values against it outside the state lock, then check under the lock that
// `version` is still the state's (otherwise they convert again, under the lock).
struct schema_snapshot {
    std::uint64_t version = 0;
    std::vector<std::unique_ptr<const type_definition>> types;
    std::unordered_map<std::string, const type_definition*> type_keys;      // as portal_state's
    std::unordered_map<std::string, const type_definition*> singular_keys;

    // As portal_state::find_type.
    const type_definition* find_type(std::string_view key, bool singular = false) const;
};

// One ILS list (hubspot-api.md §4). Filters are stored, never evaluated: DYNAMIC lists stay empty and SNAPSHOT
// lists start empty.
struct crm_list {
    std::uint64_t id = 0;
    std::string name;
    std::string object_type_id;   // "0-1", "2-1000001"
    std::string processing_type;  // MANUAL | SNAPSHOT | DYNAMIC
    nlohmann::json filter_branch;  // as sent (null when none)
    nlohmann::json membership_settings;
    nlohmann::json list_permissions;
    nlohmann::json custom_properties;
    std::optional<std::int64_t> folder_id;
    std::map<std::uint64_t, std::int64_t> members;  // record id → added at (ms): paging walks ids in order
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
    std::int64_t filters_updated_ms = 0;
    std::int64_t deleted_ms = 0;
    bool deleted = false;
    int version = 1;
    std::uint64_t created_by = 0;
    std::uint64_t updated_by = 0;
};

struct list_store {
    std::map<std::uint64_t, crm_list> lists;                   // deleted ones stay, flagged (soft delete)
    std::unordered_map<std::string, std::uint64_t> by_name;    // lower-cased name of each live list
    std::uint64_t next_id = 1;
};

// Identifies the record an occurrence belongs to through a unique property of the primary object, fed from one
// of the event's own properties (hubspot-api.md §5.1).
struct custom_matching_rule {
    std::string target_object_property;
    std::string event_property;
};

// A custom behavioural event definition (hubspot-api.md §5.2). Properties use the CRM property model.
struct event_definition {
    std::uint64_t id = 0;
    std::string name;                  // immutable, ^[a-z][a-z0-9_]*$
    std::string fully_qualified_name;  // pe{portal}_{name}: the eventName of occurrences
    std::string label;
    std::string plural_label;
    std::string description;
    std::string primary_object;        // CONTACT | COMPANY | DEAL | TICKET | a custom object's fullyQualifiedName
    std::string primary_object_type_id;  // "0-1", ...
    bool include_default_properties = true;
    std::optional<custom_matching_rule> custom_matching;
    std::vector<property_def> properties;  // the defaults first (when included), then custom ones
    std::unordered_map<std::string, std::size_t> property_index;
    std::unordered_set<std::string> seen_uuids;  // dedupe: the first occurrence with a uuid wins
    std::int64_t created_ms = 0;
    std::int64_t updated_ms = 0;
    std::uint64_t created_by = 0;

    const property_def* find_property(const std::string& name) const;
    void add_property(property_def p);
    std::size_t custom_property_count() const;
};

// An accepted occurrence, kept so tests can assert what a client sent (GET /__emulator/events).
struct event_occurrence {
    std::string event_name;        // fully qualified
    std::string uuid;              // empty when none was sent
    std::int64_t occurred_ms = 0;
    std::int64_t received_ms = 0;
    std::string object_type_id;    // the definition's primary object
    std::optional<std::uint64_t> object_id;  // the resolved record; empty when nothing matched
    std::string matched_by;        // customMatchingId | objectId | email | utk; empty when nothing matched
    std::string sent_object_id, email, utk;  // the identifiers as sent
    std::map<std::string, std::string> properties;
};

struct event_store {
    std::map<std::string, event_definition> definitions;          // live ones by name (listing is by name)
    std::unordered_map<std::string, std::string> by_fully_qualified_name;  // → name
    std::unordered_set<std::string> retired_names;                // deleted names can never be reused
    std::vector<event_occurrence> occurrences;
    std::uint64_t duplicates_ignored = 0;                        // occurrences dropped by uuid dedupe
    std::uint64_t next_id = 1'000'001;                           // id, and objectTypeId "6-{id}"
};

enum class token_kind { private_app, oauth };

struct token_info {
    std::string token;
    token_kind kind = token_kind::private_app;
    std::set<std::string> scopes;
    std::optional<sys_clock::time_point> expires_at;  // OAuth access tokens only
    std::string bucket;         // rate-limit bucket: the app (installation) the token belongs to
    std::string refresh_token;  // the refresh token that minted it (OAuth)
    std::string client_id;
    std::uint64_t user_id = 0;
    std::uint64_t app_id = 0;
};

struct refresh_token_info {
    std::string token;
    std::set<std::string> scopes;
    std::string client_id;
    std::string bucket;
    std::uint64_t user_id = 0;
    std::uint64_t app_id = 0;
    bool revoked = false;
};

struct auth_code {
    std::string code;
    std::set<std::string> scopes;
    std::string redirect_uri;  // checked when set
};

// Request timestamps within a rolling window; O(1) amortised per request.
struct rolling_window {
    std::deque<steady_clock::time_point> hits;
    void prune(steady_clock::time_point now, std::chrono::milliseconds window);
    std::size_t count_since(steady_clock::time_point since) const;  // scans from the newest end
};

struct rate_state {
    std::unordered_map<std::string, rolling_window> burst;  // per bucket (app)
    rolling_window search;                                  // per portal
    std::uint64_t daily_count = 0;
    std::int64_t daily_day = 0;  // UTC day number the count belongs to
};

struct request_counters {
    std::uint64_t total = 0;
    std::map<std::string, std::uint64_t> by_route;   // "POST /crm/v3/objects/{objectType}/batch/create"
    std::map<std::string, std::uint64_t> by_status;  // "201", "reset", ...
};

// What `--portal-id` and `--token` set; `reset` returns to it.
struct startup_options {
    std::uint64_t portal_id = 12345678;
    std::vector<std::string> tokens;  // private-app tokens with every scope
};

class portal_state {
public:
    explicit portal_state(startup_options opts);

    // Guards every member below. Never held across a co_await.
    std::mutex mutex;

    // Back to the start-up state: standard objects only, no records, no associations or labels, start-up tokens,
    // default config.
    void reset();

    std::uint64_t portal_id() const noexcept { return opts_.portal_id; }

    // Resolves a path's {objectType}: name, objectTypeId, or (custom) fullyQualifiedName. `singular` also accepts
    // "contact"-style names (v4 paths).
    object_type* find_type(std::string_view key, bool singular = false);
    const std::vector<std::unique_ptr<object_type>>& types() const noexcept { return types_; }
    object_type& add_custom_type(std::unique_ptr<object_type> t);

    // To be called, with the lock held, after anything changes a type's definitions or the set of types (a
    // property or schema created, reset): publishes a new schema_snapshot with the next version.
    void schema_changed();
    std::uint64_t schema_version() const noexcept { return schema_version_; }  // lock held
    // The latest published definitions; callable without the state lock, from any thread.
    std::shared_ptr<const schema_snapshot> schema() const;
    std::uint64_t next_custom_type_number() { return next_custom_type_++; }

    std::uint64_t allocate_record_id() { return next_record_id_++; }
    // Undo of the last allocations (batch rollback keeps ids dense).
    void rewind_record_id(std::uint64_t next) { next_record_id_ = next; }
    std::uint64_t peek_record_id() const noexcept { return next_record_id_; }

    token_info* find_token(const std::string& token);
    token_info& add_token(token_info t);
    std::unordered_map<std::string, token_info>& tokens() { return tokens_; }
    std::unordered_map<std::string, refresh_token_info> refresh_tokens;
    std::unordered_map<std::string, auth_code> auth_codes;
    std::uint64_t next_app_id = 3001;

    association_store associations;  // definitions (labels) and links between records
    emulator_config config;
    // !config.faults.empty(), kept by the pipeline (emulator.cpp) whenever it releases the lock after a handler or a
    // fault: a request reads it without the lock and takes the lock for its fault check only when it is set, so
    // requests do not queue on the lock just to learn there is no fault.
    std::atomic<bool> faults_armed{false};
    rate_state rates;
    request_counters counters;
    list_store lists;
    event_store events;

private:
    void install_standard_types();

    startup_options opts_;
    std::vector<std::unique_ptr<object_type>> types_;
    std::unordered_map<std::string, object_type*> type_keys_;           // name, id, fqn
    std::unordered_map<std::string, object_type*> singular_keys_;       // "contact", ...
    std::unordered_map<std::string, token_info> tokens_;
    std::uint64_t next_record_id_ = 1001;
    std::uint64_t next_custom_type_ = 1;
    std::uint64_t schema_version_ = 0;
    mutable std::mutex schema_mutex_;  // guards schema_ alone (held for a pointer copy)
    std::shared_ptr<const schema_snapshot> schema_;
};

}  // namespace hubsync::emulator
