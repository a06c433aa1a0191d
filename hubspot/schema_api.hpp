#pragma once
#include "hubspot/client.hpp"
#include "hubspot/paths.hpp"
#include "hubspot/portal_schema.hpp"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace hubsync::hubspot {

// The properties API and custom object schemas (hubspot-api.md §2.5, §2.6). Each throws what client::send throws.
class schema_api {
public:
    schema_api(client& c, api_paths paths) : client_(c), paths_(std::move(paths)) {}

    // Every non-archived property of an object type.
    net::awaitable<std::vector<property_info>> properties(std::string object_type);
    // Every custom object schema, with its properties and associations.
    net::awaitable<std::vector<nlohmann::json>> custom_schemas();

private:
    client& client_;
    api_paths paths_;
};

property_info parse_property(const nlohmann::json& j);
// A schema of GET …/schemas as an object_info (custom = true).
object_info parse_custom_schema(const nlohmann::json& j);

}  // namespace hubsync::hubspot
