#include "hubspot/portal_schema.hpp"
#include "core/text.hpp"

#include <algorithm>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

json
property_json(const property_info& p)
{
    json j = {{"name", p.name},         {"label", p.label},           {"type", p.type},
              {"field_type", p.field_type}, {"unique", p.unique},   {"read_only", p.read_only},
              {"calculated", p.calculated}};
    if (!p.options.empty()) j["options"] = p.options;
    return j;
}
}  // namespace

const property_info*
object_info::property(const std::string& n) const
{
    for (const auto& p : properties)
        if (p.name == n) return &p;
    return nullptr;
}

bool
object_info::can_match_by(const property_info& p) const
{
    return p.unique || p.name == "hs_object_id" || (object_type_id == "0-1" && p.name == "email");
}

const event_property_info*
event_info::property(const std::string& n) const
{
    for (const auto& p : properties)
        if (p.name == n) return &p;
    return nullptr;
}

const object_info*
portal_schema::object(const std::string& ref) const
{
    auto r = core::ascii_lower(ref);
    for (const auto& o : objects) {
        if (o.object_type_id == ref || core::ascii_lower(o.name) == r || core::ascii_lower(o.fully_qualified_name) == r) return &o;
        if (!o.singular.empty() && core::ascii_lower(o.singular) == r) return &o;
    }
    // Singular API names of the standard objects ("contact" for "contacts").
    for (const auto& o : objects)
        if (!o.custom && core::ascii_lower(o.name) == r + "s") return &o;
    return nullptr;
}

const association_pair*
portal_schema::association(const std::string& from, const std::string& to) const
{
    for (const auto& a : associations)
        if (a.from == from && a.to == to) return &a;
    return nullptr;
}

const event_info*
portal_schema::event(const std::string& ref) const
{
    for (const auto& e : events)
        if (e.fully_qualified_name == ref || e.name == ref) return &e;
    return nullptr;
}

json
to_json(const portal_schema& s)
{
    json objects = json::array();
    for (const auto& o : s.objects) {
        json props = json::array();
        for (const auto& p : o.properties) props.push_back(property_json(p));
        json j = {{"name", o.name},     {"object_type_id", o.object_type_id}, {"singular", o.singular},
                  {"plural", o.plural}, {"custom", o.custom},                 {"properties", props}};
        if (!o.fully_qualified_name.empty()) j["fully_qualified_name"] = o.fully_qualified_name;
        if (!o.problem.empty()) j["problem"] = o.problem;
        objects.push_back(std::move(j));
    }
    json associations = json::array();
    for (const auto& a : s.associations) {
        json types = json::array();
        for (const auto& t : a.types)
            types.push_back({{"category", t.category}, {"type_id", t.type_id},
                             {"label", t.label ? json(*t.label) : json(nullptr)}});
        json j = {{"from", a.from}, {"to", a.to}, {"types", types}};
        if (!a.problem.empty()) j["problem"] = a.problem;
        associations.push_back(std::move(j));
    }
    json events = json::array();
    for (const auto& e : s.events) {
        json props = json::array();
        for (const auto& p : e.properties) props.push_back({{"name", p.name}, {"type", p.type}, {"label", p.label}});
        events.push_back({{"name", e.name}, {"fully_qualified_name", e.fully_qualified_name}, {"label", e.label},
                          {"primary_object", e.primary_object}, {"properties", props}});
    }
    json out = {{"fetched_at", s.fetched_at}, {"objects", objects}, {"associations", associations}, {"events", events}};
    if (!s.custom_objects_problem.empty()) out["custom_objects_problem"] = s.custom_objects_problem;
    if (!s.events_problem.empty()) out["events_problem"] = s.events_problem;
    return out;
}

}  // namespace hubsync::hubspot
