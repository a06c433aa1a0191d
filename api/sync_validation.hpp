#pragma once
#include "api/validation.hpp"
#include "store/syncs.hpp"

#include <string>
#include <vector>

namespace hubsync::api {

// What sync validation needs to know about the model.
struct model_shape {
    std::vector<std::string> columns;
    std::string primary_key;
};

// Validates a whole sync definition (name, model_id, destination_id, type, config, schedule, enabled) against the
// model's columns, and returns it normalised (defaults filled in). Every problem is reported with its JSON path;
// throws core::error{unprocessable} when there is any. Checks that need the HubSpot schema (property existence,
// types, uniqueness) are the schema cache's and come on top of these.
store::sync_fields validate_sync(const json& body, const model_shape& model);

// The shape checks only, for reading model_id before the model is known. Throws like validate_sync.
struct sync_references {
    std::int64_t model_id = 0;
    std::int64_t destination_id = 0;
};
sync_references validate_sync_references(const json& body);

// Checks a schedule object at `path`; a cron expression is parsed, so a typo is caught at definition time.
void validate_schedule(validator& v, const json& schedule, const std::string& path);

}  // namespace hubsync::api
