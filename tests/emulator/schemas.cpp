// /crm-object-schemas/v3/schemas (hubspot-api.md §2.6, §8.14): custom object types.
#include "core/text.hpp"
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/property_model.hpp"

#include <cctype>
#include <set>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

ojson
schema_json(const object_type& t)
{
    ojson j;
    j["id"] = t.schema_id.empty() ? t.id : t.schema_id;
    j["objectTypeId"] = t.id;
    j["fullyQualifiedName"] = t.fully_qualified_name;
    j["name"] = t.name;
    j["labels"]["singular"] = t.label_singular;
    j["labels"]["plural"] = t.label_plural;
    j["requiredProperties"] = t.required_properties;
    j["searchableProperties"] = t.searchable_properties;
    if (!t.primary_display_property.empty()) j["primaryDisplayProperty"] = t.primary_display_property;
    j["secondaryDisplayProperties"] = t.secondary_display_properties;
    j["description"] = t.description;
    j["archived"] = false;
    ojson props = ojson::array();
    for (const auto& p : t.properties)
        if (!p.archived) props.push_back(property_json(p));
    j["properties"] = std::move(props);
    j["associations"] = ojson::array();
    if (t.created_ms) {
        j["createdAt"] = iso8601_ms(t.created_ms);
        j["updatedAt"] = iso8601_ms(t.updated_ms);
    }
    return j;
}

std::vector<std::string>
string_list(const call& c, const json& body, const char* key)
{
    std::vector<std::string> out;
    if (!body.contains(key) || body[key].is_null()) return out;
    if (!body[key].is_array())
        throw validation_error(c.cid, std::string("Invalid input JSON: ") + key + " must be an array");
    for (const auto& v : body[key]) {
        if (!v.is_string())
            throw validation_error(c.cid, std::string("Invalid input JSON: ") + key + " must hold strings");
        out.push_back(v.get<std::string>());
    }
    return out;
}

std::string
upper(std::string s)
{
    for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return s;
}
}  // namespace

reply
list_schemas(call& c)
{
    c.require(schema_scopes(false));
    ojson results = ojson::array();
    for (const auto& t : c.st.types())
        if (t->custom) results.push_back(schema_json(*t));
    ojson body;
    body["results"] = std::move(results);
    return json_reply(200, std::move(body));
}

reply
get_schema(call& c)
{
    c.require(schema_scopes(false));
    const auto& key = c.param("objectType");
    auto* t = c.st.find_type(key);
    if (!t) throw object_not_found(c.cid, "Unable to find object type " + key);
    return json_reply(200, schema_json(*t));
}

reply
create_schema(call& c)
{
    c.require(schema_scopes(true));
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    const auto name = body.value("name", std::string{});
    bool name_ok = !name.empty() && std::isalpha(static_cast<unsigned char>(name[0]));
    for (char ch : name)
        if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') name_ok = false;
    if (!name_ok)
        throw validation_error(c.cid, "Invalid input JSON: name is required and may hold only letters, digits and "
                                      "underscores, starting with a letter");
    if (!body.contains("labels") || !body["labels"].is_object() ||
        !body["labels"].value("singular", json()).is_string() || !body["labels"].value("plural", json()).is_string())
        throw validation_error(c.cid, "Invalid input JSON: labels.singular and labels.plural are required");
    if (!body.contains("properties") || !body["properties"].is_array())
        throw validation_error(c.cid, "Invalid input JSON: properties must be an array");
    const auto portal = std::to_string(c.st.portal_id());
    const auto fqn = "p" + portal + "_" + core::ascii_lower(name);
    if (c.st.find_type(name, true) || c.st.find_type(fqn)) {
        auto err = error_body(c.cid, "OBJECT_ALREADY_EXISTS", "Object type with name " + name + " already exists");
        throw hs_error(409, std::move(err));
    }

    auto t = std::make_unique<object_type>();
    t->custom = true;
    t->name = name;
    t->singular_name = core::ascii_lower(name);
    t->label_singular = body["labels"]["singular"].get<std::string>();
    t->label_plural = body["labels"]["plural"].get<std::string>();
    t->error_name = upper(name);
    t->fully_qualified_name = fqn;
    t->scope_family = "custom";
    t->description = body.value("description", std::string{});
    add_custom_object_defaults(*t);
    int unique = 0;
    for (const auto& pj : body["properties"]) {
        auto p = parse_property_input(c, pj, true);
        if (t->find_property(p.name))
            throw validation_error(
                c.cid, "Property " + p.name + " is defined more than once or clashes with a default property");
        if (p.group_name.empty()) p.group_name = core::ascii_lower(name) + "_information";
        if (p.has_unique_value && ++unique > max_unique_properties)
            throw validation_error(c.cid, "An object can have at most " + std::to_string(max_unique_properties) +
                                              " unique value properties");
        t->add_property(std::move(p));
    }
    auto known = [&](const std::string& n) { return t->find_property(n) != nullptr; };
    t->required_properties = string_list(c, body, "requiredProperties");
    t->searchable_properties = string_list(c, body, "searchableProperties");
    t->secondary_display_properties = string_list(c, body, "secondaryDisplayProperties");
    t->associated_objects = string_list(c, body, "associatedObjects");
    t->primary_display_property = body.value("primaryDisplayProperty", std::string{});
    for (const auto* list : {&t->required_properties, &t->searchable_properties, &t->secondary_display_properties})
        for (const auto& n : *list)
            if (!known(n))
                throw validation_error(c.cid, "Property " + n + " is referenced but not defined in properties");
    if (!t->primary_display_property.empty() && !known(t->primary_display_property))
        throw validation_error(
            c.cid, "primaryDisplayProperty " + t->primary_display_property + " is not defined in properties");

    const auto number = 1'000'000 + c.st.next_custom_type_number();
    t->schema_id = std::to_string(number);
    t->id = "2-" + t->schema_id;
    t->created_ms = t->updated_ms = c.now_ms();
    std::set<std::string> defaults{"hs_createdate", "hs_lastmodifieddate", "hs_object_id"};
    if (!t->primary_display_property.empty()) defaults.insert(t->primary_display_property);
    for (const auto& n : t->secondary_display_properties) defaults.insert(n);
    t->default_properties.assign(defaults.begin(), defaults.end());
    t->query_properties = t->searchable_properties;
    if (!t->primary_display_property.empty()) t->query_properties.push_back(t->primary_display_property);

    auto& added = c.st.add_custom_type(std::move(t));
    c.st.schema_changed();
    return json_reply(201, schema_json(added));
}

}  // namespace hubsync::emulator
