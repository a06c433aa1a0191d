#include "sync/object_mapping.hpp"

#include "core/error.hpp"

#include <map>

namespace hubsync::sync {

namespace {
core::error
run_failure(const std::string& message)
{
    return core::error(core::errc::unprocessable, message);
}
}  // namespace

object_mapping
resolve_object_mapping(const object_config& cfg, const hubspot::portal_schema& schema,
                       const nlohmann::json& model_columns)
{
    object_mapping p;
    const auto* object = schema.object(cfg.object);
    if (!object)
        throw run_failure("the portal has no object '" + cfg.object +
                          "' (refresh the destination's schema if it was just created)");
    p.object_path = object->object_type_id;
    p.object_name = object->name;
    p.mode = cfg.mode;
    p.match_column = cfg.match.column;
    p.match_property = cfg.match.property;
    p.match_is_id = cfg.matches_by_id();
    if (!p.match_is_id) {
        const auto* info = object->property(p.match_property);
        if (!info) throw run_failure(object->name + " has no property '" + p.match_property + "' any more");
        p.match_info = *info;
        p.match_unique = object->can_match_by(*info);
        p.match_is_text = info->type != "number";
    }
    std::map<std::string, std::string> types;
    for (const auto& c : model_columns) types[c.value("name", "")] = c.value("type", "text");
    auto add_column = [&](const std::string& name) {
        auto t = types.find(name);
        if (t == types.end())
            throw run_failure("the model has no column '" + name + "' any more: fix the model or the sync");
        p.columns.push_back({name, t->second});
        p.kinds.push_back(kind_of(t->second));
    };
    add_column(p.match_column);
    for (const auto& m : cfg.mappings) {
        const auto* info = object->property(m.property);
        if (!info) throw run_failure(object->name + " has no property '" + m.property + "' any more");
        if (info->read_only || info->calculated)
            throw run_failure("property '" + m.property + "' of " + object->name + " is read-only in HubSpot now");
        add_column(m.column);
        p.properties.push_back(*info);
    }
    return p;
}

std::optional<std::string>
convert_row(const object_mapping& m, outgoing& o)
{
    const auto& values = o.row.values;
    const auto& match = values.at(0);
    if (!match || match->find_first_not_of(" \t") == std::string::npos)
        return "the match column '" + m.match_column + "' is empty, so the row cannot be matched";
    if (m.match_is_id) {
        o.match_value = *match;
        if (o.match_value.find_first_not_of("0123456789") != std::string::npos)
            return "column " + m.match_column + ": '" + o.match_value + "' is not a HubSpot record id";
    } else {
        auto c = convert_value(m.match_column, std::string_view(*match), m.kinds[0], m.match_info);
        if (!c.ok()) return c.error;
        o.match_value = c.value;
        o.properties[m.match_property] = c.value;
    }
    for (std::size_t i = 0; i < m.properties.size(); ++i) {
        const auto& v = values.at(i + 1);
        std::optional<std::string_view> raw;
        if (v) raw = std::string_view(*v);
        auto c = convert_value(m.columns[i + 1].name, raw, m.kinds[i + 1], m.properties[i]);
        if (!c.ok()) return c.error;
        o.properties[m.properties[i].name] = std::move(c.value);
    }
    return std::nullopt;
}

}  // namespace hubsync::sync
