// Association labels v4 (hubspot-api.md §3.1-3.2): list the types between two object types, and create, rename and
// delete USER_DEFINED labels.
#include "tests/emulator/association_calls.hpp"
#include "tests/emulator/handlers.hpp"

#include <cctype>
#include <limits>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

// hubspot-api.md §3.3.
constexpr std::size_t max_labels_per_pair = 10;

std::string
required_text(const call& c, const json& body, const char* key)
{
    auto it = body.find(key);
    if (it == body.end() || !it->is_string() || it->get_ref<const std::string&>().empty())
        throw validation_error(c.cid, std::string("Invalid input JSON: ") + key + " is required");
    return it->get<std::string>();
}

std::optional<std::string>
optional_text(const call& c, const json& body, const char* key)
{
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return std::nullopt;
    if (!it->is_string() || it->get_ref<const std::string&>().empty())
        throw validation_error(c.cid, std::string("Invalid input JSON: ") + key + " must be a non-empty string");
    return it->get<std::string>();
}

const json&
object_body(const call& c)
{
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    return body;
}

// The USER_DEFINED label `id` of from→to; 404 when the pair has none, 400 for its unlabeled type.
const association_definition&
user_label(const call& c, const object_pair& p, int id)
{
    const auto* d = c.st.associations.find_between(p.from.id, p.to.id, {association_category::user_defined, id});
    if (!d)
        throw object_not_found(c.cid, "No USER_DEFINED association type " + std::to_string(id) + " from " +
                                          p.from.id + " to " + p.to.id);
    if (!d->label) throw validation_error(c.cid, "The unlabeled association type cannot be changed or deleted");
    return *d;
}
}  // namespace

reply
list_association_labels(call& c)
{
    const auto p = association_pair(c, false);
    ojson results = ojson::array();
    for (const auto* d : c.st.associations.definitions(p.from.id, p.to.id))
        results.push_back(association_type_json(*d));
    ojson body;
    body["results"] = std::move(results);
    return json_reply(200, std::move(body));
}

reply
create_association_label(call& c)
{
    const auto p = association_pair(c, true);
    const auto& body = object_body(c);
    const auto label = required_text(c, body, "label");
    const auto name = required_text(c, body, "name");
    const auto inverse = optional_text(c, body, "inverseLabel");
    if (name.find('-') != std::string::npos || std::isdigit(static_cast<unsigned char>(name[0])))
        throw validation_error(c.cid, "Invalid label name " + name +
                                          ": it may not contain hyphens or start with a number");
    auto& store = c.st.associations;
    if (store.name_taken(p.from.id, p.to.id, name))
        throw validation_error(c.cid, "An association label named " + name + " already exists from " + p.from.id +
                                          " to " + p.to.id);
    if (store.user_label_count(p.from.id, p.to.id) >= max_labels_per_pair)
        throw validation_error(c.cid, "At most " + std::to_string(max_labels_per_pair) +
                                          " association labels may exist between two object types");
    const auto key = store.add_label(p.from.id, p.to.id, label, inverse, name);
    const auto* forward = store.find(key);
    ojson results = ojson::array({association_type_json(*forward)});
    if (forward->inverse != key) results.push_back(association_type_json(*store.find(forward->inverse)));
    ojson out;
    out["results"] = std::move(results);
    return json_reply(200, std::move(out));
}

reply
update_association_label(call& c)
{
    const auto p = association_pair(c, true);
    const auto& body = object_body(c);
    auto id = body.find("associationTypeId");
    if (id == body.end() || !id->is_number_integer())
        throw validation_error(c.cid, "Invalid input JSON: associationTypeId is required");
    const auto& d = user_label(c, p, id->get<int>());
    c.st.associations.rename_label(d.key, required_text(c, body, "label"), optional_text(c, body, "inverseLabel"));
    return empty_reply(204);
}

reply
delete_association_label(call& c)
{
    const auto p = association_pair(c, true);
    const auto text = c.param("associationTypeId");
    const auto id = record_id_of(json(text));
    if (!id || *id > static_cast<std::uint64_t>(std::numeric_limits<int>::max()))
        throw validation_error(c.cid, "Invalid association type id " + text);
    c.st.associations.remove_label(user_label(c, p, static_cast<int>(*id)).key);
    return empty_reply(204);
}

}  // namespace hubsync::emulator
