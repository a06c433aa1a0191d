#include "api/sync_validation.hpp"

#include "scheduler/cron.hpp"

#include <algorithm>
#include <regex>
#include <set>

namespace hubsync::api {

namespace {
constexpr std::int64_t max_id = std::numeric_limits<std::int64_t>::max();

class column_checker {
public:
    explicit column_checker(const model_shape& m) : model_(m) {}

    // A column reference: must name a model column; suggests the closest one.
    std::optional<std::string> column(validator& v, const json& obj, const std::string& parent, std::string_view key,
                                      bool required) const
    {
        auto c = v.string(obj, parent, key, required, 200);
        if (!c) return std::nullopt;
        if (std::find(model_.columns.begin(), model_.columns.end(), *c) == model_.columns.end()) {
            std::string message = "the model has no column '" + *c + "'";
            if (auto s = did_you_mean(*c, model_.columns)) message += "; did you mean '" + *s + "'?";
            v.fail(join_path(parent, key), message);
            return std::nullopt;
        }
        return c;
    }

private:
    const model_shape& model_;
};

bool
valid_object_name(const std::string& s)
{
    // Standard or custom object name, an object type id ("0-1", "2-1234567") or a fully qualified name ("p123_cars").
    static const std::regex re(R"(^([A-Za-z][A-Za-z0-9_]*|[02]-[0-9]+|p[0-9]+_[A-Za-z0-9_]+)$)");
    return std::regex_match(s, re);
}

bool
valid_property_name(const std::string& s)
{
    static const std::regex re(R"(^[A-Za-z0-9_][A-Za-z0-9_.\-]*$)");
    return std::regex_match(s, re);
}

std::optional<std::string>
property(validator& v, const json& obj, const std::string& parent, std::string_view key)
{
    auto p = v.string(obj, parent, key, true, 200);
    if (p && !valid_property_name(*p)) {
        v.fail(join_path(parent, key), "is not a HubSpot property name (letters, digits, '_', '-', '.')");
        return std::nullopt;
    }
    return p;
}

// [{"column","property"}]: columns exist, no property is written twice.
json
mappings(validator& v, const column_checker& cols, const json& cfg, const std::string& parent,
         std::set<std::string> taken_properties, std::set<std::string> refused_properties)
{
    json out = json::array();
    const json* list = v.array(cfg, parent, "mappings", false);
    if (!list) return out;
    std::string path = join_path(parent, "mappings");
    for (std::size_t i = 0; i < list->size(); ++i) {
        const json& m = (*list)[i];
        std::string at = index_path(path, i);
        if (!m.is_object()) {
            v.fail(at, "must be an object {\"column\", \"property\"}");
            continue;
        }
        v.only(m, at, {"column", "property"});
        auto c = cols.column(v, m, at, "column", true);
        auto p = property(v, m, at, "property");
        if (!p) continue;
        if (refused_properties.count(*p)) {
            v.fail(join_path(at, "property"), "'" + *p + "' is read-only in HubSpot and cannot be mapped");
            continue;
        }
        if (!taken_properties.insert(*p).second) {
            v.fail(join_path(at, "property"), "property '" + *p + "' is already written by another mapping");
            continue;
        }
        if (c) out.push_back({{"column", *c}, {"property", *p}});
    }
    return out;
}

json
object_config(validator& v, const column_checker& cols, const json& cfg)
{
    const std::string base = "config";
    v.only(cfg, base, {"object", "mode", "match", "mappings", "associations"});
    json out = json::object();
    auto object = v.string(cfg, base, "object", true, 200);
    if (object && !valid_object_name(*object))
        v.fail("config.object", "is not an object name, object type id (2-…) or fully qualified name (p…_name)");
    auto mode = v.one_of(cfg, base, "mode", true, {"upsert", "update", "insert"});
    std::set<std::string> taken;
    if (const json* match = v.object(cfg, base, "match", true)) {
        v.only(*match, "config.match", {"column", "property"});
        auto c = cols.column(v, *match, "config.match", "column", true);
        auto p = property(v, *match, "config.match", "property");
        if (p && (*p == "hs_object_id" || *p == "id") && mode && *mode != "update")
            v.fail("config.match.property", "'" + *p + "' is set by HubSpot: matching on it is only possible in update "
                                            "mode; use a unique property to " + *mode);
        if (c && p) out["match"] = {{"column", *c}, {"property", *p}};
        if (p) taken.insert(*p);
    }
    out["mappings"] = mappings(v, cols, cfg, base, taken, {"hs_object_id", "id", "createdate", "hs_lastmodifieddate"});
    json associations = json::array();
    if (const json* list = v.array(cfg, base, "associations", false)) {
        for (std::size_t i = 0; i < list->size(); ++i) {
            const json& a = (*list)[i];
            std::string at = index_path("config.associations", i);
            if (!a.is_object()) {
                v.fail(at, "must be an object {\"to_object\", \"type\", \"match\"}");
                continue;
            }
            v.only(a, at, {"to_object", "type", "match"});
            auto to = v.string(a, at, "to_object", true, 200);
            if (to && !valid_object_name(*to)) v.fail(join_path(at, "to_object"), "is not an object name");
            json type = "default";
            if (auto it = a.find("type"); it != a.end() && !it->is_null()) {
                if (it->is_number_integer() && it->get<std::int64_t>() > 0) type = *it;
                else if (it->is_string() && !it->get<std::string>().empty()) type = *it;
                else v.fail(join_path(at, "type"), "must be \"default\", a label name or a positive association type id");
            }
            std::optional<std::string> c, p;
            if (const json* match = v.object(a, at, "match", true)) {
                std::string mp = join_path(at, "match");
                v.only(*match, mp, {"column", "property"});
                c = cols.column(v, *match, mp, "column", true);
                p = property(v, *match, mp, "property");
            }
            if (to && c && p)
                associations.push_back({{"to_object", *to}, {"type", type}, {"match", {{"column", *c}, {"property", *p}}}});
        }
    }
    if (object) out["object"] = *object;
    if (mode) out["mode"] = *mode;
    out["associations"] = associations;
    return out;
}

json
event_config(validator& v, const column_checker& cols, const json& cfg)
{
    const std::string base = "config";
    v.only(cfg, base, {"event_name", "contact", "occurred_at_column", "mappings"});
    json out = json::object();
    auto name = v.string(cfg, base, "event_name", true, 200);
    if (name && !valid_property_name(*name))
        v.fail("config.event_name", "must be the event's internal name, e.g. pe123456_signed_up");
    if (const json* contact = v.object(cfg, base, "contact", true)) {
        v.only(*contact, "config.contact", {"column", "by"});
        auto c = cols.column(v, *contact, "config.contact", "column", true);
        auto by = v.one_of(*contact, "config.contact", "by", true, {"email", "object_id", "utk"});
        if (c && by) out["contact"] = {{"column", *c}, {"by", *by}};
    }
    auto occurred = cols.column(v, cfg, base, "occurred_at_column", false);
    out["mappings"] = mappings(v, cols, cfg, base, {}, {});
    if (name) out["event_name"] = *name;
    out["occurred_at_column"] = occurred ? json(*occurred) : json(nullptr);
    return out;
}

json
list_config(validator& v, const column_checker& cols, const json& cfg)
{
    const std::string base = "config";
    v.only(cfg, base, {"list_name", "match"});
    json out = json::object();
    auto name = v.string(cfg, base, "list_name", false, 200);
    out["list_name"] = name ? json(*name) : json(nullptr);
    if (const json* match = v.object(cfg, base, "match", true)) {
        v.only(*match, "config.match", {"column", "by"});
        auto c = cols.column(v, *match, "config.match", "column", true);
        auto by = v.one_of(*match, "config.match", "by", true, {"email", "contact_id"});
        if (c && by) out["match"] = {{"column", *c}, {"by", *by}};
    }
    return out;
}
}  // namespace

void
validate_schedule(validator& v, const json& schedule, const std::string& path)
{
    auto type = v.one_of(schedule, path, "type", true, {"manual", "interval", "cron"});
    if (!type) return;
    if (*type == "manual") {
        v.only(schedule, path, {"type"});
    } else if (*type == "interval") {
        v.only(schedule, path, {"type", "every_seconds"});
        v.integer(schedule, path, "every_seconds", true, 60, 31 * 24 * 3600);
    } else {
        v.only(schedule, path, {"type", "expression"});
        if (auto e = v.string(schedule, path, "expression", true, 200)) {
            auto parsed = scheduler::cron_expression::parse(*e);
            if (auto* err = std::get_if<scheduler::cron_parse_error>(&parsed))
                v.fail(join_path(path, "expression"), err->message);
        }
    }
}

sync_references
validate_sync_references(const json& body)
{
    validator v;
    auto model_id = v.integer(body, "", "model_id", true, 1, max_id);
    auto destination_id = v.integer(body, "", "destination_id", true, 1, max_id);
    v.throw_if_failed();
    return {*model_id, *destination_id};
}

store::sync_fields
validate_sync(const json& body, const model_shape& model)
{
    validator v;
    v.only(body, "", {"name", "model_id", "destination_id", "type", "config", "schedule", "enabled"});
    auto name = v.string(body, "", "name", true, 200);
    auto model_id = v.integer(body, "", "model_id", true, 1, max_id);
    auto destination_id = v.integer(body, "", "destination_id", true, 1, max_id);
    auto type = v.one_of(body, "", "type", true, {"object", "event", "list"});
    const json* cfg = v.object(body, "", "config", true);
    auto enabled = v.boolean(body, "", "enabled", false);
    json schedule = {{"type", "manual"}};
    if (const json* s = v.object(body, "", "schedule", false)) {
        validate_schedule(v, *s, "schedule");
        schedule = *s;
    }
    column_checker cols(model);
    json config;
    if (cfg && type) {
        if (*type == "object") config = object_config(v, cols, *cfg);
        else if (*type == "event") config = event_config(v, cols, *cfg);
        else config = list_config(v, cols, *cfg);
    }
    v.throw_if_failed();
    store::sync_fields f;
    f.name = *name;
    f.model_id = *model_id;
    f.destination_id = *destination_id;
    f.type = *type;
    f.config = config;
    f.schedule = schedule;
    f.enabled = enabled.value_or(true);
    return f;
}

}  // namespace hubsync::api
