// fetch_portal_schema: one read of everything a sync may refer to.
#include "hubspot/api_error.hpp"
#include "hubspot/associations_api.hpp"
#include "hubspot/events_api.hpp"
#include "hubspot/schema_api.hpp"
#include "hubspot/schema_cache.hpp"

#include <chrono>
#include <set>
#include <utility>

namespace hubsync::hubspot {

namespace {
struct standard_object {
    const char* name;
    const char* type_id;
    const char* singular;
    const char* plural;
};

// The objects syncs write besides custom ones (hubspot-api.md §2.1).
constexpr standard_object standard_objects[] = {
    {"contacts", "0-1", "Contact", "Contacts"},
    {"companies", "0-2", "Company", "Companies"},
    {"deals", "0-3", "Deal", "Deals"},
    {"tickets", "0-5", "Ticket", "Tickets"},
};

// A part of the schema the token may not read: worth showing, not worth failing the rest for.
bool
unreadable(const api_error& e)
{
    return e.status() == 403 || e.status() == 404;
}

std::string
problem_of(const api_error& e)
{
    std::string m = "HubSpot answered " + std::to_string(e.status()) + ": " + e.info().message;
    if (!e.info().required_scopes.empty()) {
        m += " (missing scope";
        for (std::size_t i = 0; i < e.info().required_scopes.size(); ++i)
            m += (i ? ", " : " ") + e.info().required_scopes[i];
        m += ")";
    }
    return m;
}

std::string
now_iso()
{
    auto now = std::chrono::system_clock::now();
    auto secs = std::chrono::system_clock::to_time_t(now);
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    char out[40];
    std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms));
    return out;
}
}  // namespace

net::awaitable<portal_schema>
fetch_portal_schema(client& c, api_paths paths)
{
    portal_schema s;
    schema_api schemas(c, paths);
    for (const auto& so : standard_objects) {
        object_info o{so.name, so.type_id, "", so.singular, so.plural, false, {}, ""};
        try {
            o.properties = co_await schemas.properties(so.name);
        } catch (const api_error& e) {
            if (!unreadable(e)) throw;
            o.problem = problem_of(e);
        }
        s.objects.push_back(std::move(o));
    }

    // Association types between every pair of standard objects (both directions, self pairs included) and along
    // each custom object's declared associations.
    std::set<std::pair<std::string, std::string>> pairs;
    for (const auto& a : standard_objects)
        for (const auto& b : standard_objects) pairs.emplace(a.type_id, b.type_id);
    try {
        for (const auto& j : co_await schemas.custom_schemas()) {
            s.objects.push_back(parse_custom_schema(j));
            if (auto assoc = j.find("associations"); assoc != j.end() && assoc->is_array())
                for (const auto& a : *assoc) {
                    auto from = a.value("fromObjectTypeId", "");
                    auto to = a.value("toObjectTypeId", "");
                    if (from.empty() || to.empty()) continue;
                    pairs.emplace(from, to);
                    pairs.emplace(to, from);
                }
        }
    } catch (const api_error& e) {
        if (!unreadable(e)) throw;
        s.custom_objects_problem = problem_of(e);
    }

    associations_api associations(c, paths);
    for (const auto& [from, to] : pairs) {
        association_pair p{from, to, {}, ""};
        try {
            for (const auto& t : co_await associations.labels(from, to))
                p.types.push_back({t.category, t.type_id, t.label});
        } catch (const api_error& e) {
            if (!unreadable(e)) throw;
            p.problem = problem_of(e);
        }
        s.associations.push_back(std::move(p));
    }

    events_api events(c, paths);
    try {
        for (const auto& d : co_await events.list_definitions()) {
            event_info e{d.name, d.fully_qualified_name, d.label, d.primary_object, {}};
            for (const auto& p : d.properties) e.properties.push_back({p.name, p.type, p.label});
            s.events.push_back(std::move(e));
        }
    } catch (const api_error& e) {
        if (!unreadable(e)) throw;
        s.events_problem = problem_of(e);
    }
    s.fetched_at = now_iso();
    co_return s;
}

}  // namespace hubsync::hubspot
