#pragma once
// What a portal offers a sync (hubspot-api.md §2.5, §2.6, §3, §5.2): its objects with their properties, the
// association types between them and the custom event definitions. Fetched by fetch_portal_schema, kept per
// destination by schema_cache, shown by GET /v1/destinations/{id}/schema and used to validate syncs.
#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace hubsync::hubspot {

struct property_info {
    std::string name;
    std::string label;
    std::string type;            // bool, date, datetime, enumeration, number, phone_number, string, …
    std::string field_type;
    bool unique = false;         // hasUniqueValue
    bool read_only = false;      // modificationMetadata.readOnlyValue
    bool calculated = false;
    std::vector<std::string> options;  // enumeration values (the option `value`, which writes must use)
};

struct object_info {
    std::string name;            // "contacts"; for custom objects the schema name
    std::string object_type_id;  // "0-1", "2-7282133"
    std::string fully_qualified_name;  // custom objects: "p1234_lender"
    std::string singular;
    std::string plural;
    bool custom = false;
    std::vector<property_info> properties;
    std::string problem;         // why the properties could not be read (e.g. a missing scope); "" when fine

    const property_info* property(const std::string& name) const;
    // Whether batch upsert/update may use this property as idProperty: hasUniqueValue, or contact email (which
    // HubSpot accepts as idProperty though it does not flag it unique).
    bool can_match_by(const property_info& p) const;
};

struct association_label_info {
    std::string category;        // HUBSPOT_DEFINED, USER_DEFINED, …
    int type_id = 0;
    std::optional<std::string> label;  // null for the unlabeled default type
};

struct association_pair {
    std::string from;            // object type ids
    std::string to;
    std::vector<association_label_info> types;
    std::string problem;
};

struct event_property_info {
    std::string name;
    std::string type;
    std::string label;
};

struct event_info {
    std::string name;
    std::string fully_qualified_name;  // pe{portal}_{name}: the eventName to send
    std::string label;
    std::string primary_object;
    std::vector<event_property_info> properties;

    const event_property_info* property(const std::string& name) const;
};

struct portal_schema {
    std::string fetched_at;      // ISO-8601 UTC
    std::vector<object_info> objects;
    std::vector<association_pair> associations;
    std::vector<event_info> events;
    std::string custom_objects_problem;  // why custom object schemas could not be read; "" when fine
    std::string events_problem;  // e.g. the token lacks the event scopes, or the portal is not Enterprise

    // By name ("contacts", "contact"), object type id ("0-1", "2-…") or fully qualified name ("p…_name").
    const object_info* object(const std::string& ref) const;
    const association_pair* association(const std::string& from_type_id, const std::string& to_type_id) const;
    // By fully qualified name or internal name.
    const event_info* event(const std::string& ref) const;
};

nlohmann::json to_json(const portal_schema& s);

}  // namespace hubsync::hubspot
