// /crm/v3/properties/{objectType} (hubspot-api.md §2.5, §8.13).
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/property_model.hpp"

namespace hubsync::emulator {

reply
list_properties(call& c)
{
    auto& t = c.object_type_param();
    c.require(property_scopes(t, false));
    ojson results = ojson::array();
    for (const auto& p : t.properties)
        if (!p.archived) results.push_back(property_json(p));
    ojson body;
    body["results"] = std::move(results);
    return json_reply(200, std::move(body));
}

namespace {
// The path's property of the path's object type, after the scope check; 404 when there is none.
std::pair<object_type*, const property_def*>
property_param(call& c, bool write)
{
    auto& t = c.object_type_param();
    c.require(property_scopes(t, write));
    const auto& name = c.param("propertyName");
    const auto* p = t.find_property(name);
    if (!p) throw object_not_found(c.cid, "Unable to find property " + name + " for object type " + t.id);
    return {&t, p};
}
}  // namespace

reply
get_property(call& c)
{
    return json_reply(200, property_json(*property_param(c, false).second));
}

reply
create_property(call& c)
{
    auto& t = c.object_type_param();
    c.require(property_scopes(t, true));
    auto p = parse_property_input(c, c.json_body(), false);
    if (t.find_property(p.name)) {
        auto body = error_body(c.cid, "OBJECT_ALREADY_EXISTS", "Property named '" + p.name + "' already exists.");
        throw hs_error(409, std::move(body));
    }
    if (p.has_unique_value && custom_unique_count(t) >= max_unique_properties)
        throw validation_error(c.cid, "Unable to create property " + p.name + ": an object can have at most " +
                                          std::to_string(max_unique_properties) + " unique value properties");
    t.add_property(p);
    c.st.schema_changed();
    return json_reply(201, property_json(p));
}

reply
delete_property(call& c)
{
    auto [t, p] = property_param(c, true);
    if (p->hubspot_defined || !p->archivable)
        throw validation_error(c.cid, "Property " + p->name + " is defined by HubSpot and cannot be archived");
    t->archive_property(p->name);
    c.st.schema_changed();
    reply r;
    r.status = 204;
    return r;
}

}  // namespace hubsync::emulator
