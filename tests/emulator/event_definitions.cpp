// Custom behavioural event definitions: /events/v3/event-definitions (hubspot-api.md §5.2, §8.17).
//
// Choices on UNCONFIRMED points (README.md): a taken or retired name is 409 CONFLICT; objectTypeId is the event
// type's own "6-{id}" and primaryObjectId names the primary object's type; customMatchingId must target a
// hasUniqueValue property of the primary object (so a send resolves it through the unique index); listing pages by
// offset ("after"), default 10 and at most 100 per page, sorted by name.
#include "core/text.hpp"
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/property_model.hpp"

#include <algorithm>
#include <cctype>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

constexpr std::size_t max_definitions = 500;
constexpr std::size_t max_name_length = 50;
constexpr std::size_t max_custom_properties = 50;
constexpr int default_page = 10;
constexpr int max_page = 100;

bool
valid_event_name(const std::string& n)
{
    if (n.empty() || n.size() > max_name_length || !(n[0] >= 'a' && n[0] <= 'z')) return false;
    return std::all_of(n.begin(), n.end(),
                       [](char ch) { return (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '_'; });
}

bool
name_taken(const event_store& s, const std::string& n)
{
    return s.definitions.count(n) || s.retired_names.count(n);
}

// "Signed up (web)!" → "signed_up_web"; a free variant (_2, _3, …) when taken or retired.
std::string
derive_name(const event_store& s, const std::string& label)
{
    std::string base;
    for (unsigned char ch : label) {
        const bool word = std::isalnum(ch) != 0;
        if (word) base += static_cast<char>(std::tolower(ch));
        else if (!base.empty() && base.back() != '_') base += '_';
    }
    while (!base.empty() && base.back() == '_') base.pop_back();
    if (base.empty() || !(base[0] >= 'a' && base[0] <= 'z')) base = "event_" + base;
    if (base.size() > max_name_length) base.resize(max_name_length);
    std::string name = base;
    for (int n = 2; name_taken(s, name); ++n) {
        auto suffix = "_" + std::to_string(n);
        name = base.substr(0, max_name_length - suffix.size()) + suffix;
    }
    return name;
}

std::string
string_field(const call& c, const json& body, const char* key, bool required)
{
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
        if (required)
            throw validation_error(c.cid, std::string("Invalid input JSON: missing required field \"") + key + "\"");
        return {};
    }
    if (!it->is_string())
        throw validation_error(c.cid, std::string("Invalid input JSON: \"") + key + "\" must be a string");
    return it->get<std::string>();
}

void
check_label(const call& c, const std::string& label)
{
    if (label.empty()) throw validation_error(c.cid, "The event label must not be empty");
    if (label.size() > max_name_length)
        throw validation_error(c.cid, "The event label \"" + label + "\" is longer than 50 characters");
}

// A custom property of an event: the CRM property model (fieldType and groupName may be omitted), with the
// event's type set and length rule.
property_def
parse_event_property(const call& c, const json& j)
{
    json input = j;
    if (input.is_object() && input.contains("name") && input["name"].is_string())
        input["name"] = core::ascii_lower(input["name"].get<std::string>());  // names differing only in case are one name
    if (input.is_object() && !input.contains("groupName")) input["groupName"] = "event";
    auto p = parse_property_input(c, input, true);
    static const std::set<std::string> types{"string", "number", "enumeration", "datetime", "bool", "date"};
    if (!types.count(p.type))
        throw validation_error(c.cid, "Invalid event property type \"" + p.type +
                                          "\": use one of string, number, enumeration, datetime, bool, date");
    if (p.name.size() > max_name_length)
        throw validation_error(c.cid, "Event property name \"" + p.name + "\" is longer than 50 characters");
    return p;
}

void
add_custom_property(const call& c, event_definition& d, property_def p)
{
    if (d.find_property(p.name)) {
        auto body = error_body(c.cid, "OBJECT_ALREADY_EXISTS", "Property named '" + p.name + "' already exists.");
        throw hs_error(409, std::move(body));
    }
    if (d.custom_property_count() >= max_custom_properties)
        throw validation_error(c.cid, "An event can have at most 50 custom properties");
    d.add_property(std::move(p));
}

// CONTACT/COMPANY/DEAL/TICKET (any case) or a custom object's name, fullyQualifiedName or 2-x id.
const object_type&
primary_object_type(call& c, const std::string& primary)
{
    static const std::map<std::string, std::string> standard{
        {"CONTACT", "0-1"}, {"COMPANY", "0-2"}, {"DEAL", "0-3"}, {"TICKET", "0-5"}};
    std::string upper = primary;
    for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    if (auto it = standard.find(upper); it != standard.end()) return *c.st.find_type(it->second);
    auto* t = c.st.find_type(primary);
    if (!t || !t->custom)
        throw validation_error(c.cid, "Invalid primaryObject \"" + primary +
                                          "\": use CONTACT, COMPANY, DEAL, TICKET or a custom object");
    return *t;
}

std::string
primary_object_name(const object_type& t)
{
    return t.custom ? t.fully_qualified_name : t.error_name;  // error_name is CONTACT, COMPANY, ...
}

custom_matching_rule
parse_custom_matching(const call& c, const json& j, const object_type& primary, const event_definition& d)
{
    const auto* rule = j.is_object() ? &j : nullptr;
    if (rule && rule->contains("primaryObjectRule")) rule = &(*rule)["primaryObjectRule"];
    if (!rule || !rule->is_object())
        throw validation_error(c.cid, "Invalid input JSON: customMatchingId needs a primaryObjectRule object");
    custom_matching_rule r;
    r.target_object_property = string_field(c, *rule, "targetObjectPropertyName", true);
    r.event_property = string_field(c, *rule, "eventPropertyName", true);
    const auto* target = primary.find_property(r.target_object_property);
    if (!target || !target->has_unique_value)
        throw validation_error(c.cid, "customMatchingId: " + r.target_object_property + " is not a unique property of " +
                                          primary.id);
    const auto* source = d.find_property(r.event_property);
    if (!source || source->hubspot_defined)
        throw validation_error(c.cid, "customMatchingId: " + r.event_property + " is not a custom property of the event");
    return r;
}

ojson
definition_json(const event_definition& d, bool with_properties)
{
    ojson j = reserved_object(18);
    j["id"] = std::to_string(d.id);
    j["name"] = d.name;
    j["fullyQualifiedName"] = d.fully_qualified_name;
    j["objectTypeId"] = "6-" + std::to_string(d.id);
    j["primaryObject"] = d.primary_object;
    j["primaryObjectId"] = d.primary_object_type_id;
    j["labels"]["singular"] = d.label;
    j["labels"]["plural"] = d.plural_label.empty() ? ojson(nullptr) : ojson(d.plural_label);
    j["description"] = d.description;
    j["archived"] = false;
    j["associations"] = ojson::array();
    ojson props = ojson::array();
    if (with_properties)
        for (const auto& p : d.properties) props.push_back(property_json(p));
    j["properties"] = std::move(props);
    j["trackingType"] = "MANUAL";
    j["createdAt"] = iso8601_ms(d.created_ms);
    j["updatedAt"] = iso8601_ms(d.updated_ms);
    j["createdUserId"] = std::to_string(d.created_by);
    if (d.custom_matching) {
        auto& rule = j["customMatchingId"]["primaryObjectRule"];
        rule["targetObjectPropertyName"] = d.custom_matching->target_object_property;
        rule["eventPropertyName"] = d.custom_matching->event_property;
    }
    return j;
}

// The {eventName} of a path: the name or the fully qualified name.
event_definition&
definition_param(call& c)
{
    const auto& key = c.param("eventName");
    auto& s = c.st.events;
    auto it = s.definitions.find(key);
    if (it == s.definitions.end())
        if (auto f = s.by_fully_qualified_name.find(key); f != s.by_fully_qualified_name.end())
            it = s.definitions.find(f->second);
    if (it == s.definitions.end()) throw object_not_found(c.cid, "Event definition " + key + " does not exist.");
    return it->second;
}

int
int_query(const call& c, const std::string& name, int fallback, int max)
{
    if (!c.has_query(name)) return fallback;
    const auto s = c.query(name);
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
        throw validation_error(c.cid, name + " must be a non-negative integer");
    return std::min(std::stoi(s), max);
}
}  // namespace

reply
list_event_definitions(call& c)
{
    c.require(event_definition_scopes());
    const int limit = std::max(1, int_query(c, "limit", default_page, max_page));
    const int offset = int_query(c, "after", 0, 1'000'000'000);
    const bool with_properties = c.query("includeProperties") == "true";
    const auto search = core::ascii_lower(c.query("searchString"));
    std::vector<const event_definition*> matched;
    for (const auto& [name, d] : c.st.events.definitions)
        if (search.empty() || name.find(search) != std::string::npos || core::ascii_lower(d.label).find(search) != std::string::npos)
            matched.push_back(&d);
    if (c.query("sortOrder") == "DESC") std::reverse(matched.begin(), matched.end());
    ojson results = ojson::array();
    const auto total = static_cast<int>(matched.size());
    for (int i = offset; i < total && i < offset + limit; ++i)
        results.push_back(definition_json(*matched[static_cast<std::size_t>(i)], with_properties));
    ojson body = reserved_object(3);
    body["results"] = std::move(results);
    body["total"] = total;
    if (offset + limit < total) body["paging"]["next"]["after"] = std::to_string(offset + limit);
    return json_reply(200, std::move(body));
}

reply
get_event_definition(call& c)
{
    c.require(event_definition_scopes());
    return json_reply(200, definition_json(definition_param(c), true));
}

reply
create_event_definition(call& c)
{
    c.require(event_definition_scopes());
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    auto& store = c.st.events;
    event_definition d;
    d.label = string_field(c, body, "label", true);
    check_label(c, d.label);
    d.plural_label = string_field(c, body, "pluralLabel", false);
    d.description = string_field(c, body, "description", false);
    auto name = string_field(c, body, "name", false);
    if (name.empty()) {
        name = derive_name(store, d.label);
    } else {
        if (!valid_event_name(name))
            throw validation_error(c.cid, "Event name \"" + name +
                                              "\" is invalid: use at most 50 lower-case letters, digits and "
                                              "underscores, starting with a letter");
        if (store.definitions.count(name))
            throw hs_error(409, error_body(c.cid, "CONFLICT", "An event definition named " + name + " already exists."));
        if (store.retired_names.count(name))
            throw hs_error(409, error_body(c.cid, "CONFLICT",
                                           "The event name " + name +
                                               " belonged to a deleted event definition and can never be reused."));
    }
    if (store.definitions.size() >= max_definitions)
        throw validation_error(c.cid, "This account already has the maximum of 500 event definitions");
    auto primary_key = string_field(c, body, "primaryObject", false);
    const auto& primary = primary_object_type(c, primary_key.empty() ? "CONTACT" : primary_key);
    d.primary_object = primary_object_name(primary);
    d.primary_object_type_id = primary.id;
    if (auto inc = body.find("includeDefaultProperties"); inc != body.end() && !inc->is_null()) {
        if (!inc->is_boolean())
            throw validation_error(c.cid, "Invalid input JSON: \"includeDefaultProperties\" must be a boolean");
        d.include_default_properties = inc->get<bool>();
    }
    if (d.include_default_properties)
        for (auto& p : default_event_properties()) d.add_property(std::move(p));
    if (auto props = body.find("propertyDefinitions"); props != body.end() && !props->is_null()) {
        if (!props->is_array())
            throw validation_error(c.cid, "Invalid input JSON: \"propertyDefinitions\" must be an array");
        for (const auto& pj : *props) add_custom_property(c, d, parse_event_property(c, pj));
    }
    if (auto m = body.find("customMatchingId"); m != body.end() && !m->is_null())
        d.custom_matching = parse_custom_matching(c, *m, primary, d);
    d.name = name;
    d.fully_qualified_name = "pe" + std::to_string(c.st.portal_id()) + "_" + name;
    d.id = store.next_id++;
    d.created_ms = d.updated_ms = c.now_ms();
    d.created_by = c.who ? c.who->user_id : 0;
    store.by_fully_qualified_name[d.fully_qualified_name] = name;
    auto& stored = store.definitions[name] = std::move(d);
    return json_reply(201, definition_json(stored, true));
}

reply
update_event_definition(call& c)
{
    c.require(event_definition_scopes());
    auto& d = definition_param(c);
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    if (body.contains("name") && body["name"] != d.name)
        throw validation_error(c.cid, "The name of an event definition cannot be changed");
    if (body.contains("primaryObject") && body["primaryObject"] != d.primary_object)
        throw validation_error(c.cid, "The primaryObject of an event definition cannot be changed");
    if (body.contains("label")) {
        auto label = string_field(c, body, "label", true);
        check_label(c, label);
        d.label = std::move(label);
    }
    if (body.contains("pluralLabel")) d.plural_label = string_field(c, body, "pluralLabel", false);
    if (body.contains("description")) d.description = string_field(c, body, "description", false);
    d.updated_ms = c.now_ms();
    return json_reply(200, definition_json(d, true));
}

reply
delete_event_definition(call& c)
{
    c.require(event_definition_scopes());
    auto& d = definition_param(c);
    auto& store = c.st.events;
    const auto name = d.name;
    store.by_fully_qualified_name.erase(d.fully_qualified_name);
    store.retired_names.insert(name);
    store.definitions.erase(name);
    return empty_reply(204);
}

reply
create_event_property(call& c)
{
    c.require(event_definition_scopes());
    auto& d = definition_param(c);
    auto p = parse_event_property(c, c.json_body());
    add_custom_property(c, d, p);
    d.updated_ms = c.now_ms();
    return json_reply(201, property_json(p));
}

}  // namespace hubsync::emulator
