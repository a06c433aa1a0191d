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

// The properties a custom event definition gets unless it sets includeDefaultProperties:false (hubspot-api.md
// §5.2). The doc names hs_city, hs_country, hs_page_id, hs_page_content_type, hs_device_type, hs_touchpoint_source
// and hs_utm_*; the rest follow HubSpot's list of default event properties (UNCONFIRMED).
std::vector<property_def> default_event_properties();

// Every scope a `--token` token gets.
const std::set<std::string>& all_scopes();

// Alternatives: any one of them grants the call; a 403 lists them as requiredGranularScopes.
std::vector<std::string> object_scopes(const object_type& t, bool write);
std::vector<std::string> property_scopes(const object_type& t, bool write);
std::vector<std::string> schema_scopes(bool write);
std::vector<std::string> event_send_scopes();
std::vector<std::string> event_definition_scopes();

}  // namespace hubsync::emulator
