#include "tests/emulator/property_model.hpp"

#include "tests/emulator/catalog.hpp"

#include <map>
#include <set>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

// Valid fieldType values per type (hubspot-api.md §2.5; developers.hubspot.com properties guide).
const std::map<std::string, std::set<std::string>>&
field_types()
{
    static const std::map<std::string, std::set<std::string>> table = {
        {"bool", {"booleancheckbox", "calculation_equation"}},
        {"enumeration", {"booleancheckbox", "checkbox", "radio", "select", "calculation_equation"}},
        {"date", {"date"}},
        {"datetime", {"date"}},
        {"string", {"file", "text", "textarea", "calculation_equation", "html", "phonenumber"}},
        {"number", {"number", "calculation_equation"}},
        {"phone_number", {"phonenumber"}},
    };
    return table;
}

std::string
default_field_type(const std::string& type)
{
    if (type == "enumeration") return "select";
    if (type == "number") return "number";
    if (type == "bool") return "booleancheckbox";
    if (type == "date" || type == "datetime") return "date";
    if (type == "phone_number") return "phonenumber";
    return "text";
}

bool
valid_name(const std::string& n)
{
    if (n.empty() || n.size() > 100 || !(n[0] >= 'a' && n[0] <= 'z')) return false;
    for (char ch : n)
        if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_')) return false;
    return true;
}

std::string
string_field(const call& c, const json& j, const char* key, bool required)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) {
        if (required)
            throw validation_error(c.cid, std::string("Invalid input JSON: missing required field \"") + key + "\"");
        return {};
    }
    if (!it->is_string())
        throw validation_error(c.cid, std::string("Invalid input JSON: \"") + key + "\" must be a string");
    return it->get<std::string>();
}

bool
bool_field(const call& c, const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return false;
    if (!it->is_boolean())
        throw validation_error(c.cid, std::string("Invalid input JSON: \"") + key + "\" must be a boolean");
    return it->get<bool>();
}
}  // namespace

ojson
property_json(const property_def& p)
{
    ojson j;
    if (!p.updated_at.empty()) j["updatedAt"] = p.updated_at;
    if (!p.created_at.empty()) j["createdAt"] = p.created_at;
    j["name"] = p.name;
    j["label"] = p.label;
    j["type"] = p.type;
    j["fieldType"] = p.field_type;
    j["description"] = p.description;
    j["groupName"] = p.group_name;
    ojson options = ojson::array();
    for (const auto& o : p.options) {
        ojson oj;
        oj["label"] = o.label;
        oj["value"] = o.value;
        oj["description"] = o.description;
        oj["displayOrder"] = o.display_order;
        oj["hidden"] = o.hidden;
        options.push_back(std::move(oj));
    }
    j["options"] = std::move(options);
    j["displayOrder"] = p.display_order;
    j["calculated"] = p.calculated;
    j["externalOptions"] = false;
    j["hasUniqueValue"] = p.has_unique_value;
    j["hidden"] = p.hidden;
    j["hubspotDefined"] = p.hubspot_defined;
    j["modificationMetadata"]["archivable"] = p.archivable;
    j["modificationMetadata"]["readOnlyDefinition"] = p.read_only_definition;
    j["modificationMetadata"]["readOnlyValue"] = p.read_only_value;
    j["formField"] = p.form_field;
    j["dataSensitivity"] = "non_sensitive";
    j["archived"] = false;
    return j;
}

property_def
parse_property_input(const call& c, const json& j, bool schema_property)
{
    if (!j.is_object()) throw validation_error(c.cid, "Invalid input JSON: a property must be an object");
    auto name = string_field(c, j, "name", true);
    auto label = string_field(c, j, "label", true);
    auto type = string_field(c, j, "type", true);
    auto field_type = string_field(c, j, "fieldType", !schema_property);
    auto group = string_field(c, j, "groupName", !schema_property);
    if (!valid_name(name))
        throw validation_error(c.cid, "Property name \"" + name +
                                          "\" is invalid: use lower-case letters, digits and underscores, starting "
                                          "with a letter");
    const auto& table = field_types();
    auto allowed = table.find(type);
    if (allowed == table.end())
        throw validation_error(c.cid, "Invalid property type \"" + type +
                                          "\": use one of bool, date, datetime, enumeration, number, phone_number, "
                                          "string");
    if (field_type.empty()) field_type = default_field_type(type);
    if (!allowed->second.count(field_type))
        throw validation_error(c.cid, "The fieldType \"" + field_type + "\" is not valid for a property of type \"" +
                                          type + "\"");
    property_def p = make_property(name, label, type, field_type, group);
    p.description = string_field(c, j, "description", false);
    p.has_unique_value = bool_field(c, j, "hasUniqueValue");
    p.hidden = bool_field(c, j, "hidden");
    if (j.contains("formField")) p.form_field = bool_field(c, j, "formField");
    if (j.contains("displayOrder") && j["displayOrder"].is_number_integer())
        p.display_order = j["displayOrder"].get<int>();
    if (j.contains("options")) {
        if (!j["options"].is_array()) throw validation_error(c.cid, "Invalid input JSON: options must be an array");
        std::set<std::string> seen;
        int order = 0;
        for (const auto& o : j["options"]) {
            if (!o.is_object()) throw validation_error(c.cid, "Invalid input JSON: an option must be an object");
            option_def od;
            od.label = string_field(c, o, "label", true);
            od.value = string_field(c, o, "value", true);
            od.description = string_field(c, o, "description", false);
            od.hidden = bool_field(c, o, "hidden");
            od.display_order = o.contains("displayOrder") && o["displayOrder"].is_number_integer()
                                   ? o["displayOrder"].get<int>()
                                   : order;
            ++order;
            if (!seen.insert(od.value).second)
                throw validation_error(c.cid, "Duplicate option value \"" + od.value + "\" for property " + name);
            p.options.push_back(std::move(od));
        }
    }
    if (type == "bool" && p.options.empty()) {
        p.options.push_back({"True", "true", "", 0, false});
        p.options.push_back({"False", "false", "", 1, false});
    }
    if (type == "enumeration" && p.options.empty())
        throw validation_error(c.cid, "Enumeration property " + name + " needs at least one option");
    const auto stamp = iso8601(c.now);
    p.created_at = p.updated_at = stamp;
    return p;
}

int
custom_unique_count(const object_type& t)
{
    int n = 0;
    for (const auto& p : t.properties)
        if (p.has_unique_value && !p.hubspot_defined && !p.archived) ++n;
    return n;
}

}  // namespace hubsync::emulator
