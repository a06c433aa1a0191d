#pragma once
#include "core/error.hpp"
#include "hubspot/portal_schema.hpp"
#include "sync/sync_config.hpp"

#include <map>
#include <string>
#include <vector>

namespace hubsync::sync {

struct schema_findings {
    std::vector<core::error_detail> problems;   // the sync cannot work: a 422
    std::vector<core::error_detail> warnings;   // it works, with a cost the user should know
    bool unknown_names = false;                 // some problem names a thing the schema lacks (maybe only stale)
};

// Checks a validated sync against the destination's portal schema: the object, match and mapped properties
// (which must exist and be writable), association targets and types, the event definition and its properties.
// Pure: the caller decides whether a stale schema deserves a refresh (unknown_names) before failing.
// `column_types`: the model's column types by name (PostgreSQL's names); a column whose type cannot feed its
// property (a boolean column to a date property) is a problem too. Empty: types are not checked.
schema_findings check_against_schema(const sync_config& sync, const hubspot::portal_schema& schema,
                                     const std::map<std::string, std::string>& column_types = {});

}  // namespace hubsync::sync
