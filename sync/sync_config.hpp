#pragma once
// A sync's configuration as typed values (DESIGN §5 "syncs"), parsed once from the stored JSON. The API validates
// a request's JSON with precise paths and stores it normalised; the schema checks, the scope list and the jobs all
// read this parsed form, never the raw JSON.
#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace hubsync::sync {

enum class sync_type { object, event, list };
enum class write_mode { upsert, update, insert };

// A model column and the HubSpot property it feeds or is matched against.
struct column_property {
    std::string column;
    std::string property;
};

// An association's type: the default (unlabelled) one, a label by name, or a type id.
struct association_type {
    enum class kind { default_type, label, type_id };
    kind what = kind::default_type;
    std::string label;          // kind::label, as the user wrote it (matched case-insensitively)
    std::int64_t type_id = 0;   // kind::type_id
};

struct association_config {
    std::string to_object;
    association_type type;
    column_property match;      // model column ↔ a property of the associated object
};

struct object_config {
    std::string object;         // name, object type id or fully qualified name
    write_mode mode = write_mode::upsert;
    column_property match;
    std::vector<column_property> mappings;
    std::vector<association_config> associations;

    // The match property is the record id itself (update mode only).
    bool matches_by_id() const { return match.property == "hs_object_id" || match.property == "id"; }
};

enum class contact_key { email, object_id, utk };

struct event_config {
    std::string event_name;
    std::string contact_column;
    contact_key contact_by = contact_key::email;
    std::optional<std::string> occurred_at_column;
    std::vector<column_property> mappings;
};

enum class member_key { email, contact_id };

struct list_config {
    std::optional<std::string> list_name;   // default: the model's name
    std::string match_column;
    member_key by = member_key::email;
};

struct sync_config {
    sync_type type = sync_type::object;
    std::variant<object_config, event_config, list_config> spec;

    const object_config* object() const { return std::get_if<object_config>(&spec); }
    const event_config* event() const { return std::get_if<event_config>(&spec); }
    const list_config* list() const { return std::get_if<list_config>(&spec); }
};

// Parses a stored (normalised) configuration of a sync of `type`. Throws core::error{unprocessable} naming the
// JSON path of the first thing that does not fit: a stored row edited by hand, or one from a newer version.
sync_config parse_sync_config(std::string_view type, const nlohmann::json& config);

const char* to_string(sync_type t);
const char* to_string(write_mode m);
const char* to_string(contact_key k);
const char* to_string(member_key k);

// The HubSpot scopes a sync needs (hubspot-api.md §1.6).
std::vector<std::string> required_scopes(const sync_config& c);

// Parts of the configuration this version cannot run yet, each as {JSON path, why}. A sync carrying any is
// refused at creation, and a run of one fails naming them: a run never reports success while skipping a part.
std::vector<core::error_detail> unsupported_parts(const sync_config& c);

}  // namespace hubsync::sync
