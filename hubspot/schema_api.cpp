#include "hubspot/schema_api.hpp"

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

std::string
string_at(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

bool
flag_at(const json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_boolean() && it->get<bool>();
}

json
results_of(const std::string& body)
{
    auto j = json::parse(body, nullptr, false);
    if (!j.is_object() || !j.contains("results") || !j["results"].is_array())
        throw std::runtime_error("HubSpot answered without a results array");
    return j["results"];
}
}  // namespace

property_info
parse_property(const json& j)
{
    property_info p;
    p.name = string_at(j, "name");
    p.label = string_at(j, "label");
    p.type = string_at(j, "type");
    p.field_type = string_at(j, "fieldType");
    p.unique = flag_at(j, "hasUniqueValue");
    p.calculated = flag_at(j, "calculated");
    if (auto m = j.find("modificationMetadata"); m != j.end() && m->is_object()) p.read_only = flag_at(*m, "readOnlyValue");
    if (auto opts = j.find("options"); opts != j.end() && opts->is_array())
        for (const auto& o : *opts)
            if (o.is_object() && o.contains("value")) p.options.push_back(string_at(o, "value"));
    return p;
}

object_info
parse_custom_schema(const json& j)
{
    object_info o;
    o.custom = true;
    o.name = string_at(j, "name");
    o.object_type_id = string_at(j, "objectTypeId");
    if (o.object_type_id.empty()) o.object_type_id = string_at(j, "id");
    o.fully_qualified_name = string_at(j, "fullyQualifiedName");
    if (auto labels = j.find("labels"); labels != j.end() && labels->is_object()) {
        o.singular = string_at(*labels, "singular");
        o.plural = string_at(*labels, "plural");
    }
    if (auto props = j.find("properties"); props != j.end() && props->is_array())
        for (const auto& p : *props)
            if (p.is_object() && !flag_at(p, "archived")) o.properties.push_back(parse_property(p));
    return o;
}

net::awaitable<std::vector<property_info>>
schema_api::properties(std::string object_type)
{
    call c;
    c.target = paths_.properties(object_type) + "?archived=false";
    c.endpoint = "properties.list";
    auto res = co_await client_.send(std::move(c));
    std::vector<property_info> out;
    for (const auto& p : results_of(res.body))
        if (p.is_object()) out.push_back(parse_property(p));
    co_return out;
}

net::awaitable<std::vector<json>>
schema_api::custom_schemas()
{
    call c;
    c.target = paths_.schemas() + "?archived=false";
    c.endpoint = "schemas.list";
    auto res = co_await client_.send(std::move(c));
    std::vector<json> out;
    for (auto& s : results_of(res.body))
        if (s.is_object()) out.push_back(std::move(s));
    co_return out;
}

}  // namespace hubsync::hubspot
