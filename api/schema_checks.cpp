#include "api/schema_checks.hpp"
#include "core/text.hpp"

#include "api/validation.hpp"
#include "sync/value_conversion.hpp"

#include <algorithm>

namespace hubsync::api {

namespace {
using json = nlohmann::json;

std::string
with_hint(std::string message, const std::string& word, const std::vector<std::string>& candidates)
{
    if (auto hint = did_you_mean(word, candidates)) message += "; did you mean '" + *hint + "'?";
    return message;
}

class checker {
public:
    checker(const hubspot::portal_schema& s, schema_findings& out, const std::map<std::string, std::string>& types)
        : s_(s), out_(out), types_(types)
    {
    }

    void problem(const std::string& path, const std::string& message) { out_.problems.push_back({path, message}); }
    void unknown(const std::string& path, const std::string& message)
    {
        out_.unknown_names = true;
        problem(path, message + " (if it was just created in HubSpot, POST /v1/destinations/{id}/schema/refresh)");
    }
    void warn(const std::string& path, const std::string& message) { out_.warnings.push_back({path, message}); }

    const hubspot::object_info* object(const std::string& path, const std::string& ref)
    {
        if (const auto* o = s_.object(ref)) {
            if (!o->problem.empty()) {
                warn(path, "the properties of '" + ref + "' could not be read, so they were not checked: " + o->problem);
                return nullptr;
            }
            return o;
        }
        std::vector<std::string> names;
        for (const auto& o : s_.objects) names.push_back(o.name);
        std::string message = with_hint("the portal has no object '" + ref + "'", ref, names);
        if (!s_.custom_objects_problem.empty())
            message += " (custom objects could not be read: " + s_.custom_objects_problem + ")";
        unknown(path, message);
        return nullptr;
    }

    const hubspot::property_info* property(const hubspot::object_info& o, const std::string& path,
                                            const std::string& name)
    {
        if (const auto* p = o.property(name)) return p;
        std::vector<std::string> names;
        for (const auto& p : o.properties) names.push_back(p.name);
        unknown(path, with_hint(o.name + " has no property '" + name + "'", name, names));
        return nullptr;
    }

    void writable(const hubspot::object_info& o, const std::string& path, const std::string& name,
                  const std::string& column)
    {
        const auto* p = property(o, path, name);
        if (!p) return;
        if (p->calculated)
            problem(path, "'" + name + "' is calculated by HubSpot and cannot be written");
        else if (p->read_only)
            problem(path, "'" + name + "' is a read-only property of " + o.name + " and cannot be written");
        else
            fits(path, *p, column);
    }

    // The column's type must be able to feed the property at all; values are still checked one by one at run time.
    void fits(const std::string& path, const hubspot::property_info& p, const std::string& column)
    {
        auto t = types_.find(column);
        if (t == types_.end()) return;
        if (auto why = sync::type_mismatch(sync::kind_of(t->second), p))
            problem(path, "column '" + column + "' (" + t->second + "): " + *why);
    }

    void object_sync(const json& cfg)
    {
        const auto* o = object("config.object", cfg.value("object", ""));
        if (!o) return;
        if (auto m = cfg.find("match"); m != cfg.end() && m->is_object()) {
            auto name = m->value("property", "");
            const auto* p = name == "id" || name == "hs_object_id" ? nullptr : property(*o, "config.match.property", name);
            if (p) {
                fits("config.match.property", *p, m->value("column", ""));
                // The seed's rule: contacts are exempt, since HubSpot lets no contact property be unique.
                if (!o->can_match_by(*p) && o->object_type_id != "0-1")
                    warn("config.match.property",
                         "'" + name + "' is not a unique property of " + o->name +
                             ": rows are matched by search (5 requests/s per portal, so slower), and two records "
                             "with the same value make the match ambiguous; a unique property is faster and safer");
            }
        }
        const auto& mappings = cfg.value("mappings", json::array());
        for (std::size_t i = 0; i < mappings.size(); ++i)
            writable(*o, index_path("config.mappings", i) + ".property", mappings[i].value("property", ""),
                     mappings[i].value("column", ""));
        const auto& associations = cfg.value("associations", json::array());
        for (std::size_t i = 0; i < associations.size(); ++i)
            association(*o, associations[i], index_path("config.associations", i));
    }

    void association(const hubspot::object_info& from, const json& a, const std::string& at)
    {
        const auto* to = object(at + ".to_object", a.value("to_object", ""));
        if (!to) return;
        if (auto m = a.find("match"); m != a.end() && m->is_object())
            property(*to, at + ".match.property", m->value("property", ""));
        const auto* pair = s_.association(from.object_type_id, to->object_type_id);
        if (!pair) {
            unknown(at + ".to_object", "HubSpot has no association type from " + from.name + " to " + to->name);
            return;
        }
        if (!pair->problem.empty()) {
            warn(at + ".type", "the association types from " + from.name + " to " + to->name +
                                   " could not be read, so the type was not checked: " + pair->problem);
            return;
        }
        const json& type = a.contains("type") ? a["type"] : json("default");
        if (type.is_string() && type.get<std::string>() == "default") return;
        std::vector<std::string> labels;
        for (const auto& t : pair->types) {
            if (type.is_number_integer() && t.type_id == type.get<int>()) return;
            if (t.label) {
                if (type.is_string() && core::ascii_lower(*t.label) == core::ascii_lower(type.get<std::string>())) return;
                labels.push_back(*t.label);
            }
        }
        std::string what = type.is_string() ? "label '" + type.get<std::string>() + "'" : "type id " + type.dump();
        std::string message = "there is no association " + what + " from " + from.name + " to " + to->name;
        message += labels.empty() ? " (none is labelled)" : "; labels: ";
        for (std::size_t i = 0; i < labels.size(); ++i) message += (i ? ", " : "") + labels[i];
        if (type.is_string()) message = with_hint(message, type.get<std::string>(), labels);
        unknown(at + ".type", message);
    }

    void event_sync(const json& cfg)
    {
        auto name = cfg.value("event_name", "");
        const auto* e = s_.event(name);
        if (!e) {
            if (!s_.events_problem.empty()) {
                problem("config.event_name", "the portal's event definitions could not be read: " + s_.events_problem);
                return;
            }
            std::vector<std::string> names;
            for (const auto& d : s_.events) names.push_back(d.fully_qualified_name);
            unknown("config.event_name", with_hint("the portal has no event definition '" + name + "'", name, names));
            return;
        }
        const auto& mappings = cfg.value("mappings", json::array());
        for (std::size_t i = 0; i < mappings.size(); ++i) {
            auto prop = mappings[i].value("property", "");
            if (e->property(prop)) continue;
            std::vector<std::string> names;
            for (const auto& p : e->properties) names.push_back(p.name);
            unknown(index_path("config.mappings", i) + ".property",
                    with_hint("the event '" + e->fully_qualified_name + "' has no property '" + prop + "'", prop, names));
        }
    }

private:
    const hubspot::portal_schema& s_;
    schema_findings& out_;
    const std::map<std::string, std::string>& types_;
};
}  // namespace

schema_findings
check_against_schema(const store::sync_fields& sync, const hubspot::portal_schema& schema,
                     const std::map<std::string, std::string>& column_types)
{
    schema_findings out;
    checker c(schema, out, column_types);
    if (sync.type == "object") c.object_sync(sync.config);
    else if (sync.type == "event") c.event_sync(sync.config);
    return out;
}

}  // namespace hubsync::api
