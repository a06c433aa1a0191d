// POST /crm/v3/objects/{objectType}/search (hubspot-api.md §2.4, §8.12): filter groups (OR) of filters (AND),
// one sort, offset paging capped at 10,000, and the search index lag of config.search.lag_ms.
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/records.hpp"
#include "tests/emulator/values.hpp"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <optional>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

constexpr std::size_t max_groups = 5;
constexpr std::size_t max_filters_per_group = 6;
constexpr std::size_t max_filters = 18;
constexpr int max_limit = 200;
constexpr long long max_results = 10'000;

enum class op {
    eq, neq, lt, lte, gt, gte, between, in, not_in, has_property, not_has_property, contains_token, not_contains_token
};

struct filter {
    const property_def* prop = nullptr;
    op operation = op::eq;
    std::string value;
    std::string high_value;
    std::vector<std::string> values;
};

std::string
lower(std::string s)
{
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::optional<op>
parse_op(const std::string& s)
{
    static const std::pair<const char*, op> table[] = {
        {"EQ", op::eq},         {"NEQ", op::neq},           {"LT", op::lt},
        {"LTE", op::lte},       {"GT", op::gt},             {"GTE", op::gte},
        {"BETWEEN", op::between}, {"IN", op::in},           {"NOT_IN", op::not_in},
        {"HAS_PROPERTY", op::has_property}, {"NOT_HAS_PROPERTY", op::not_has_property},
        {"CONTAINS_TOKEN", op::contains_token}, {"NOT_CONTAINS_TOKEN", op::not_contains_token}};
    for (const auto& [name, o] : table)
        if (s == name) return o;
    return std::nullopt;
}

// Numbers, dates and datetimes compare as numbers; everything else as case-insensitive text.
std::optional<double>
as_number(const property_def& p, const std::string& v)
{
    if (p.type == "number") {
        char* end = nullptr;
        double d = std::strtod(v.c_str(), &end);
        if (v.empty() || *end != '\0') return std::nullopt;
        return d;
    }
    if (p.type == "date" || p.type == "datetime") {
        auto ms = parse_instant(v);
        if (!ms) return std::nullopt;
        return static_cast<double>(*ms);
    }
    return std::nullopt;
}

bool
numeric(const property_def& p)
{
    return p.type == "number" || p.type == "date" || p.type == "datetime";
}

// -1, 0, 1; nullopt when the two cannot be compared.
std::optional<int>
compare(const property_def& p, const std::string& a, const std::string& b)
{
    if (numeric(p)) {
        auto x = as_number(p, a), y = as_number(p, b);
        if (!x || !y) return std::nullopt;
        return *x < *y ? -1 : (*x > *y ? 1 : 0);
    }
    auto x = lower(a), y = lower(b);
    return x < y ? -1 : (x > y ? 1 : 0);
}

// Multi-select values hold several options separated by ";".
std::vector<std::string>
values_of(const property_def& p, const std::string& v)
{
    if (p.type != "enumeration" || p.field_type != "checkbox") return {v};
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= v.size()) {
        auto j = v.find(';', i);
        if (j == std::string::npos) j = v.size();
        if (j > i) out.push_back(v.substr(i, j - i));
        i = j + 1;
    }
    return out;
}

bool
glob(const std::string& pattern, const std::string& text)
{
    // Iterative '*' matching with backtracking to the last star.
    std::size_t p = 0, t = 0, star = std::string::npos, mark = 0;
    while (t < text.size()) {
        if (p < pattern.size() && pattern[p] == text[t]) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == '*') {
            star = p++;
            mark = t;
        } else if (star != std::string::npos) {
            p = star + 1;
            t = ++mark;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == '*') ++p;
    return p == pattern.size();
}

bool
contains_token(const std::string& pattern, const std::string& value)
{
    auto pat = lower(pattern), text = lower(value);
    if (glob(pat, text)) return true;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
        auto j = i;
        while (j < text.size() && !std::isspace(static_cast<unsigned char>(text[j]))) ++j;
        if (j > i && glob(pat, text.substr(i, j - i))) return true;
        i = j;
    }
    return false;
}

bool
matches(const filter& f, const property_map& props)
{
    auto it = props.find(f.prop->name);
    const bool has = it != props.end() && !it->second.empty();
    switch (f.operation) {
    case op::has_property: return has;
    case op::not_has_property: return !has;
    case op::neq:
    case op::not_in:
    case op::not_contains_token:
        if (!has) return true;
        break;
    default:
        if (!has) return false;
    }
    const auto vals = values_of(*f.prop, it->second);
    auto any = [&](auto pred) { return std::any_of(vals.begin(), vals.end(), pred); };
    switch (f.operation) {
    case op::eq: return any([&](const std::string& v) { return compare(*f.prop, v, f.value) == 0; });
    case op::neq: return !any([&](const std::string& v) { return compare(*f.prop, v, f.value) == 0; });
    case op::lt: return any([&](const std::string& v) { auto r = compare(*f.prop, v, f.value); return r && *r < 0; });
    case op::lte: return any([&](const std::string& v) { auto r = compare(*f.prop, v, f.value); return r && *r <= 0; });
    case op::gt: return any([&](const std::string& v) { auto r = compare(*f.prop, v, f.value); return r && *r > 0; });
    case op::gte: return any([&](const std::string& v) { auto r = compare(*f.prop, v, f.value); return r && *r >= 0; });
    case op::between:
        return any([&](const std::string& v) {
            auto lo = compare(*f.prop, v, f.value), hi = compare(*f.prop, v, f.high_value);
            return lo && hi && *lo >= 0 && *hi <= 0;
        });
    case op::in:
    case op::not_in: {
        // Values are matched against the lower-cased stored value: HubSpot wants them lower-case, and an
        // upper-case value silently matches nothing.
        bool hit = any([&](const std::string& v) {
            auto lv = lower(v);
            for (const auto& want : f.values) {
                if (numeric(*f.prop) ? compare(*f.prop, v, want) == 0 : lv == want) return true;
            }
            return false;
        });
        return f.operation == op::in ? hit : !hit;
    }
    case op::contains_token: return contains_token(f.value, it->second);
    case op::not_contains_token: return !contains_token(f.value, it->second);
    default: return false;
    }
}

filter
parse_filter(const call& c, const object_type& t, const json& j)
{
    if (!j.is_object()) throw validation_error(c.cid, "Invalid input JSON: a filter must be an object");
    filter f;
    const auto name = j.value("propertyName", std::string{});
    f.prop = t.find_property(name);
    if (!f.prop) throw validation_error(c.cid, "There was a problem with the request. Property \"" + name +
                                                   "\" does not exist on " + t.id + ".");
    const auto o = parse_op(j.value("operator", std::string{"EQ"}));
    if (!o)
        throw validation_error(c.cid, "Invalid input JSON: unknown filter operator \"" +
                                          j.value("operator", std::string{}) + "\"");
    f.operation = *o;
    if (j.contains("value")) f.value = scalar_to_string(j["value"]);
    if (j.contains("highValue")) f.high_value = scalar_to_string(j["highValue"]);
    if (j.contains("values") && j["values"].is_array())
        for (const auto& v : j["values"]) f.values.push_back(scalar_to_string(v));
    const bool needs_value = f.operation != op::has_property && f.operation != op::not_has_property &&
                             f.operation != op::in && f.operation != op::not_in;
    if (needs_value && !j.contains("value"))
        throw validation_error(c.cid, "A value is required for the " + j.value("operator", std::string{"EQ"}) +
                                          " operator on property " + name);
    if (f.operation == op::between && !j.contains("highValue"))
        throw validation_error(c.cid, "A highValue is required for the BETWEEN operator on property " + name);
    if ((f.operation == op::in || f.operation == op::not_in) && f.values.empty())
        throw validation_error(c.cid, "values are required for the IN and NOT_IN operators on property " + name);
    return f;
}

// The properties search sees for `r` now, or null when it is not indexed yet.
const property_map*
indexed_view(record& r, steady_clock::time_point now, int lag_ms)
{
    if (r.archived) return nullptr;
    if (lag_ms <= 0 || r.versions.empty()) return &r.properties;
    const auto cutoff = now - std::chrono::milliseconds(lag_ms);
    if (r.versions.back().at <= cutoff) {
        r.versions.clear();  // fully indexed: the newest version is `properties`
        return &r.properties;
    }
    const property_map* seen = nullptr;
    for (const auto& v : r.versions)
        if (v.at <= cutoff) seen = v.properties.get();
    return seen;
}

struct sort_rule {
    const property_def* prop = nullptr;
    bool descending = false;
};
}  // namespace

reply
search_objects(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, false));
    static const json no_body = json::object();
    const json& body = c.req.body.empty() ? no_body : c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    if (c.req.body.size() > 3000)
        throw validation_error(c.cid, "The request body is longer than the maximum of 3000 characters");

    std::vector<std::vector<filter>> groups;
    if (body.contains("filterGroups")) {
        const auto& gs = body["filterGroups"];
        if (!gs.is_array()) throw validation_error(c.cid, "Invalid input JSON: filterGroups must be an array");
        if (gs.size() > max_groups)
            throw validation_error(c.cid, "Too many filter groups: " + std::to_string(gs.size()) +
                                              ". A search can have at most 5 filterGroups.");
        std::size_t total = 0;
        for (const auto& g : gs) {
            if (!g.is_object() || !g.contains("filters") || !g["filters"].is_array())
                throw validation_error(c.cid, "Invalid input JSON: every filter group needs a filters array");
            const auto& fs = g["filters"];
            if (fs.size() > max_filters_per_group)
                throw validation_error(c.cid, "Too many filters in a group: " + std::to_string(fs.size()) +
                                                  ". A filter group can have at most 6 filters.");
            total += fs.size();
            std::vector<filter> parsed;
            for (const auto& f : fs) parsed.push_back(parse_filter(c, t, f));
            groups.push_back(std::move(parsed));
        }
        if (total > max_filters)
            throw validation_error(c.cid, "Too many filters: " + std::to_string(total) +
                                              ". A search can have at most 18 filters in total.");
    }

    std::optional<sort_rule> sort;
    if (body.contains("sorts") && body["sorts"].is_array() && !body["sorts"].empty()) {
        const auto& ss = body["sorts"];
        if (ss.size() > 1) throw validation_error(c.cid, "A search can have only one sort rule.");
        sort_rule s;
        std::string name;
        if (ss[0].is_string()) {
            // "-createdate" (descending) or "createdate", as some clients send (hubspot-api.md §2.4).
            name = ss[0].get<std::string>();
            if (!name.empty() && name.front() == '-') {
                s.descending = true;
                name.erase(0, 1);
            }
        } else if (ss[0].is_object()) {
            name = ss[0].value("propertyName", std::string{});
            s.descending = ss[0].value("direction", std::string{"ASCENDING"}) == "DESCENDING";
        }
        s.prop = t.find_property(name);
        if (!s.prop)
            throw validation_error(c.cid, "Unable to sort by property \"" + name + "\": it does not exist on " + t.id);
        sort = s;
    }

    int limit = 10;
    if (body.contains("limit")) {
        if (!body["limit"].is_number_integer() || body["limit"].get<long long>() < 0)
            throw validation_error(c.cid, "Invalid input JSON: limit must be a non-negative integer");
        if (body["limit"].get<long long>() > max_limit)
            throw validation_error(c.cid,
                                   "The limit of " + body["limit"].dump() + " is larger than the maximum of 200");
        limit = body["limit"].get<int>();
    }
    long long after = 0;
    if (body.contains("after") && !body["after"].is_null()) {
        auto s = scalar_to_string(body["after"]);
        if (s.empty() || s.size() > 12 || s.find_first_not_of("0123456789") != std::string::npos)
            throw validation_error(c.cid, "Invalid input JSON: after must be a paging cursor from a previous page");
        after = std::stoll(s);
    }
    if (after >= max_results)
        throw validation_error(c.cid, "Paging beyond 10000 results is not supported. Narrow the search with filters.");

    std::vector<std::string> names;
    if (body.contains("properties") && body["properties"].is_array() && !body["properties"].empty())
        for (const auto& n : body["properties"]) names.push_back(scalar_to_string(n));
    else
        names = t.default_properties;
    names = prepare_names(std::move(names));
    const std::string query = lower(body.value("query", std::string{}));

    struct hit {
        const record* r;
        const property_map* view;
    };
    std::vector<hit> hits;
    const int lag = c.st.config.search.lag_ms;
    for (auto& [id, r] : t.records) {
        const auto* view = indexed_view(r, c.now_steady, lag);
        if (!view) continue;
        if (!groups.empty()) {
            bool any_group = false;
            for (const auto& g : groups) {
                bool all = true;
                for (const auto& f : g)
                    if (!matches(f, *view)) {
                        all = false;
                        break;
                    }
                if (all) {
                    any_group = true;
                    break;
                }
            }
            if (!any_group) continue;
        }
        if (!query.empty()) {
            bool found = false;
            for (const auto& q : t.query_properties) {
                auto it = view->find(q);
                if (it != view->end() && lower(it->second).find(query) != std::string::npos) {
                    found = true;
                    break;
                }
            }
            if (!found) continue;
        }
        hits.push_back({&r, view});
    }
    if (sort) {
        const auto& p = *sort->prop;
        std::stable_sort(hits.begin(), hits.end(), [&](const hit& a, const hit& b) {
            auto ia = a.view->find(p.name), ib = b.view->find(p.name);
            const bool ha = ia != a.view->end(), hb = ib != b.view->end();
            if (ha != hb) return ha;  // records without the property come last
            if (!ha) return false;
            auto r = compare(p, ia->second, ib->second);
            if (!r) return false;
            return sort->descending ? *r > 0 : *r < 0;
        });
    }

    ojson results = ojson::array();
    const long long total = static_cast<long long>(hits.size());
    const long long end = std::min({total, after + limit, max_results});
    for (long long i = after; i < end; ++i)
        results.push_back(record_json(t, *hits[i].r, &names, nullptr, hits[i].view));
    ojson out;
    out["total"] = total;
    out["results"] = std::move(results);
    if (end < std::min(total, max_results) && limit > 0) out["paging"]["next"]["after"] = std::to_string(end);
    return json_reply(200, std::move(out));
}

}  // namespace hubsync::emulator
