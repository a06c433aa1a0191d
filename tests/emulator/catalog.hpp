#pragma once
// HubSpot's built-in data: the standard object types with a realistic set of default properties, and the scope
// table of hubspot-api.md §1.6.
#include "tests/emulator/state.hpp"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace hubsync::emulator {

// contacts (0-1), companies (0-2), deals (0-3), tickets (0-5), with no records.
std::vector<std::unique_ptr<object_type>> standard_object_types();

// The properties every custom object has: hs_object_id, hs_createdate, hs_lastmodifieddate.
void add_custom_object_defaults(object_type& t);

// A text-like property a client creates (validated elsewhere); fills the defaults of the property model.
property_def make_property(std::string name, std::string label, std::string type, std::string field_type,
                           std::string group);

// Every scope a `--token` token gets.
const std::set<std::string>& all_scopes();

// Alternatives: any one of them grants the call; a 403 lists them as requiredGranularScopes.
std::vector<std::string> object_scopes(const object_type& t, bool write);
std::vector<std::string> property_scopes(const object_type& t, bool write);
std::vector<std::string> schema_scopes(bool write);

}  // namespace hubsync::emulator
