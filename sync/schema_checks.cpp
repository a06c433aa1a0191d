#include "sync/schema_checks.hpp"

#include "core/text.hpp"
#include "sync/value_conversion.hpp"

#include <algorithm>

namespace hubsync::sync {

namespace {
std::string
index_path(const std::string& parent, std::size_t i)
{
    return parent + "[" + std::to_string(i) + "]";
}


std::string
with_hint(std::string message, const std::string& word, const std::vector<std::string>& candidates)
{
    if (auto hint = core::did_you_mean(word, candidates)) message += "; did you mean '" + *hint + "'?";
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
        if (auto why = type_mismatch(kind_of(t->second), p))
            problem(path, "column '" + column + "' (" + t->second + "): " + *why);
    }

    void object_sync(const object_config& cfg)
    {
        const auto* o = object("config.object", cfg.object);
        if (!o) return;
        if (!cfg.matches_by_id()) {
            const auto& name = cfg.match.property;
            if (const auto* p = property(*o, "config.match.property", name)) {
                fits("config.match.property", *p, cfg.match.column);
                // The seed's rule: contacts are exempt, since HubSpot lets no contact property be unique.
                if (!o->can_match_by(*p) && o->object_type_id != "0-1")
                    warn("config.match.property",
                         "'" + name + "' is not a unique property of " + o->name +
                             ": rows are matched by search (5 requests/s per portal, so slower), and two records "
                             "with the same value make the match ambiguous; a unique property is faster and safer");
            }
        }
        for (std::size_t i = 0; i < cfg.mappings.size(); ++i)
            writable(*o, index_path("config.mappings", i) + ".property", cfg.mappings[i].property,
                     cfg.mappings[i].column);
        for (std::size_t i = 0; i < cfg.associations.size(); ++i)
            association(*o, cfg.associations[i], index_path("config.associations", i));
    }

    void association(const hubspot::object_info& from, const association_config& a, const std::string& at)
    {
        const auto* to = object(at + ".to_object", a.to_object);
        if (!to) return;
        property(*to, at + ".match.property", a.match.property);
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
        if (a.type.what == association_type::kind::default_type) return;
        const bool by_label = a.type.what == association_type::kind::label;
        std::vector<std::string> labels;
        for (const auto& t : pair->types) {
            if (!by_label && t.type_id == a.type.type_id) return;
            if (t.label) {
                if (by_label && core::ascii_lower(*t.label) == core::ascii_lower(a.type.label)) return;
                labels.push_back(*t.label);
            }
        }
        std::string what = by_label ? "label '" + a.type.label + "'" : "type id " + std::to_string(a.type.type_id);
        std::string message = "there is no association " + what + " from " + from.name + " to " + to->name;
        message += labels.empty() ? " (none is labelled)" : "; labels: ";
        for (std::size_t i = 0; i < labels.size(); ++i) message += (i ? ", " : "") + labels[i];
        if (by_label) message = with_hint(message, a.type.label, labels);
        unknown(at + ".type", message);
    }

    void event_sync(const event_config& cfg)
    {
        const auto& name = cfg.event_name;
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
        for (std::size_t i = 0; i < cfg.mappings.size(); ++i) {
            const auto& prop = cfg.mappings[i].property;
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
check_against_schema(const sync_config& sync, const hubspot::portal_schema& schema,
                     const std::map<std::string, std::string>& column_types)
{
    schema_findings out;
    checker c(schema, out, column_types);
    if (const auto* o = sync.object()) c.object_sync(*o);
    else if (const auto* e = sync.event()) c.event_sync(*e);
    return out;
}

}  // namespace hubsync::sync
