#pragma once
// An object sync's configuration resolved against the portal schema and the model, once per run: which columns
// are read, which properties they feed, and how the match works. Also turns a planned row into what is sent.
#include "connectors/postgres/warehouse.hpp"
#include "hubspot/portal_schema.hpp"
#include "sync/object_decisions.hpp"
#include "sync/planner.hpp"
#include "sync/sync_config.hpp"
#include "sync/value_conversion.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hubsync::sync {

struct object_mapping {
    std::string object_path;   // object type id, for the API paths
    std::string object_name;
    write_mode mode = write_mode::upsert;
    std::string match_column;
    std::string match_property;
    bool match_is_id = false;  // hs_object_id / id: the column holds record ids
    bool match_unique = false; // usable as idProperty
    bool match_is_text = true; // search's IN wants lower-case values of string properties
    hubspot::property_info match_info;
    std::vector<connectors::postgres::column> columns;  // what the reader reads: the match column, then mappings
    std::vector<column_kind> kinds;
    std::vector<hubspot::property_info> properties;     // for columns[1..]

    match_shape shape() const { return {mode, match_is_id, match_unique}; }
};

// Throws core::error{unprocessable} naming what no longer fits: an object, property or column that is gone, a
// property that became read-only.
object_mapping resolve_object_mapping(const object_config& cfg, const hubspot::portal_schema& schema,
                                      const nlohmann::json& model_columns);

// One row on its way to HubSpot.
struct outgoing {
    planned_row row;
    nlohmann::json properties = nlohmann::json::object();
    std::string match_value;   // converted; the idProperty value, or the record id when the match is the id
    bool rematched = false;    // its stored record was gone and it was matched again once already
};

// Converts the row's values. A value that cannot be sent gives the row error's message instead.
std::optional<std::string> convert_row(const object_mapping& m, outgoing& o);

}  // namespace hubsync::sync
