#include "tests/emulator/association_calls.hpp"

#include "tests/emulator/catalog.hpp"
#include "tests/emulator/values.hpp"

#include <charconv>
#include <limits>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

object_type&
path_type(const call& c, const char* param)
{
    const auto& key = c.param(param);
    auto* t = c.st.find_type(key, true);
    if (!t) throw unknown_object_type(c.cid, key);
    return *t;
}

const json*
id_holder(const json& input, const char* key)
{
    auto it = input.find(key);
    if (it == input.end() || !it->is_object()) return nullptr;
    auto id = it->find("id");
    if (id == it->end() || !(id->is_string() || id->is_number_integer())) return nullptr;
    return &*id;
}
}  // namespace

object_pair
association_pair(const call& c, bool write)
{
    auto& from = path_type(c, "fromObjectType");
    auto& to = path_type(c, "toObjectType");
    c.require(object_scopes(from, write));
    c.require(object_scopes(to, write));
    return {from, to};
}

ojson
association_type_json(const association_definition& d)
{
    ojson j = reserved_object(3);
    j["category"] = category_name(d.key.category);
    j["typeId"] = d.key.id;
    j["label"] = d.label ? ojson(*d.label) : ojson(nullptr);
    return j;
}

const json&
association_inputs(const call& c, std::size_t max)
{
    const auto& body = c.json_body();
    if (!body.is_object() || !body.contains("inputs") || !body["inputs"].is_array())
        throw validation_error(c.cid, "Invalid input JSON: the body must be an object with an \"inputs\" array");
    const auto& inputs = body["inputs"];
    if (inputs.size() > max)
        throw validation_error(c.cid, "The maximum number of inputs supported in a batch request is " +
                                          std::to_string(max) + ". Please reduce the number of items and try again");
    for (const auto& in : inputs)
        if (!in.is_object()) throw validation_error(c.cid, "Invalid input JSON: every input must be an object");
    return inputs;
}

std::optional<std::uint64_t>
record_id_of(const json& v)
{
    if (v.is_number_unsigned()) return v.get<std::uint64_t>();
    if (!v.is_string()) return std::nullopt;
    const auto& s = v.get_ref<const std::string&>();
    std::uint64_t id = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), id);
    if (s.empty() || ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
    return id;
}

std::optional<std::uint64_t>
input_record_id(const call& c, const json& input, const char* key)
{
    const auto* id = id_holder(input, key);
    if (!id)
        throw validation_error(c.cid, std::string("Invalid input JSON: every input needs ") + key + ".id");
    return record_id_of(*id);
}

std::string
id_text(const json& input, const char* key)
{
    const auto* id = id_holder(input, key);
    return id ? scalar_to_string(*id) : std::string{};
}

type_set
input_types(const call& c, const object_pair& p, const json& input)
{
    type_set out;
    auto it = input.find("types");
    if (it == input.end() || it->is_null()) return out;
    if (!it->is_array()) throw validation_error(c.cid, "Invalid input JSON: types must be an array");
    for (const auto& t : *it) {
        const auto category = t.is_object() ? t.value("associationCategory", std::string{}) : std::string{};
        const auto id = t.is_object() ? t.value("associationTypeId", json()) : json();
        const auto parsed = parse_category(category);
        // get<int> would wrap a larger number onto a real id.
        const bool in_range = id.is_number_integer() && id.get<std::int64_t>() >= 0 &&
                              id.get<std::int64_t>() <= std::numeric_limits<int>::max();
        const auto* d = parsed && in_range
                            ? c.st.associations.find_between(p.from.id, p.to.id, {*parsed, id.get<int>()})
                            : nullptr;
        if (!d)
            throw validation_error(c.cid, "Invalid association type: " + p.from.id + " to " + p.to.id +
                                              " has no type " + category + " " +
                                              (id.is_null() ? std::string("(none)") : id.dump()));
        out.insert(d->key);
    }
    return out;
}

const association_definition&
unlabeled_type(const call& c, const object_pair& p)
{
    const auto* d = c.st.associations.unlabeled(p.from.id, p.to.id);
    if (!d) throw validation_error(c.cid, p.from.id + " records cannot be associated with " + p.to.id + " records");
    return *d;
}

}  // namespace hubsync::emulator
