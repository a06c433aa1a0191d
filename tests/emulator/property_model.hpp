#pragma once
// The property model of the properties and schemas APIs (hubspot-api.md §2.5-2.6): JSON form and the checks on a
// property a client creates.
#include "tests/emulator/call.hpp"

#include <nlohmann/json.hpp>

namespace hubsync::emulator {

ojson property_json(const property_def& p);

// Builds a property from a create body, checking names, the type/fieldType pairs of §2.5 and options. Throws 400.
// `schema_property`: fieldType and groupName may be omitted (schema create fills them in).
property_def parse_property_input(const call& c, const nlohmann::json& j, bool schema_property);

// Properties with hasUniqueValue a client may create per object.
inline constexpr int max_unique_properties = 10;
int custom_unique_count(const object_type& t);

}  // namespace hubsync::emulator
