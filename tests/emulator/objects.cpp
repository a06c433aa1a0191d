// Single-record endpoints and the paged list (hubspot-api.md §2.2-2.3, §8.5-7, §8.11).
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/records.hpp"

namespace hubsync::emulator {

namespace {
std::vector<std::string>
requested_names(const call& c, const object_type& t)
{
    if (!c.has_query("properties")) return prepare_names(t.default_properties);
    return prepare_names(split_list(c.query("properties")));
}

bool
archived_query(const call& c)
{
    return c.query("archived") == "true";
}

hs_error
record_not_found(const call& c)
{
    return object_not_found(c.cid, "resource not found");
}

int
limit_query(const call& c, int fallback, int max)
{
    if (!c.has_query("limit")) return fallback;
    const auto s = c.query("limit");
    if (s.empty() || s.size() > 9 || s.find_first_not_of("0123456789") != std::string::npos)
        throw validation_error(c.cid, "limit must be a positive integer");
    return std::min(std::stoi(s), max);  // HubSpot caps rather than refuses (UNCONFIRMED)
}
}  // namespace

reply
list_objects(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, false));
    const int limit = limit_query(c, 10, 100);
    const bool archived = archived_query(c);
    std::uint64_t after = 0;
    if (c.has_query("after")) {
        const auto s = c.query("after");
        if (s.empty() || s.size() > 19 || s.find_first_not_of("0123456789") != std::string::npos)
            throw validation_error(c.cid, "after must be a paging cursor returned by a previous page");
        after = std::stoull(s);
    }
    const auto names = requested_names(c, t);
    const auto history = prepare_names(split_list(c.query("propertiesWithHistory")));
    ojson results = ojson::array();
    auto it = t.records.lower_bound(after);
    for (; it != t.records.end() && static_cast<int>(results.size()) < limit; ++it)
        if (it->second.archived == archived) results.push_back(record_json(t, it->second, &names, &history));
    while (it != t.records.end() && it->second.archived != archived) ++it;
    ojson body;
    body["results"] = std::move(results);
    if (it != t.records.end()) {
        const auto next = std::to_string(it->first);
        body["paging"]["next"]["after"] = next;
        body["paging"]["next"]["link"] = "?after=" + next;
    }
    return json_reply(200, std::move(body));
}

reply
create_object(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, true));
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    input_failure why;
    auto* r = create_record(c, t, properties_of(body), nullptr, why);
    if (!r) throw to_error(c, why);
    return json_reply(201, record_json(t, *r, nullptr));
}

reply
get_object(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, false));
    auto* r = find_record_by(c, t, c.param("objectId"), c.query("idProperty"), archived_query(c));
    if (!r) throw record_not_found(c);
    const auto names = requested_names(c, t);
    const auto history = prepare_names(split_list(c.query("propertiesWithHistory")));
    return json_reply(200, record_json(t, *r, &names, &history));
}

reply
update_object(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, true));
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    auto* r = find_record_by(c, t, c.param("objectId"), c.query("idProperty"));
    if (!r) throw record_not_found(c);
    input_failure why;
    if (!update_record(c, t, *r, properties_of(body), nullptr, why)) throw to_error(c, why);
    return json_reply(200, record_json(t, *r, nullptr));
}

reply
archive_object(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, true));
    // Archiving an absent record is not an error: the end state is the same.
    if (auto* r = find_record_by(c, t, c.param("objectId"), {})) archive_record(c, t, *r);
    return empty_reply(204);
}

}  // namespace hubsync::emulator
