// Lists v3 (ILS lists; hubspot-api.md §4, §8.16) and the sunset v1 contact lists.
//
// Choices on the UNCONFIRMED points (hubspot-api.md §9 point 6), documented in README.md:
// - a duplicate name (case-insensitive, live lists only) is 400 VALIDATION_ERROR naming the list that has it;
// - membership changes on a DYNAMIC list are 400 VALIDATION_ERROR;
// - get-by-name of an absent list is 404 OBJECT_NOT_FOUND;
// - one membership request carries at most `lists.max_membership_ids` ids (config, default 100,000), else 400;
// - `limit`/`count` above their maximum are capped, not refused (as the objects' list endpoint does).
#include "core/text.hpp"
#include "tests/emulator/handlers.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_set>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

constexpr int default_page = 100;
constexpr int max_page = 250;
constexpr int default_search_count = 20;
constexpr int max_search_count = 500;

const std::vector<std::string> read_scopes{"crm.lists.read"};

bool
all_digits(const std::string& s, std::size_t max_len = 19)
{
    return !s.empty() && s.size() <= max_len && s.find_first_not_of("0123456789") == std::string::npos;
}

// Writes need crm.lists.read together with crm.lists.write (or with cms.membership.access_groups.write):
// call::require only knows single-scope alternatives.
void
require_write(const call& c)
{
    if (!c.who) return;
    const auto& s = c.who->scopes;
    if (s.count("crm.lists.read") && (s.count("crm.lists.write") || s.count("cms.membership.access_groups.write")))
        return;
    throw missing_scopes(c.cid, {"crm.lists.read", "crm.lists.write"});
}

bool
manual_membership(const crm_list& l)
{
    return l.processing_type == "MANUAL" || l.processing_type == "SNAPSHOT";
}

ojson
list_json(const crm_list& l, bool include_filters)
{
    ojson j = reserved_object(18);
    j["listId"] = std::to_string(l.id);
    j["listVersion"] = l.version;
    j["name"] = l.name;
    j["objectTypeId"] = l.object_type_id;
    j["processingType"] = l.processing_type;
    j["processingStatus"] = "COMPLETE";
    j["createdAt"] = iso8601_ms(l.created_ms);
    j["updatedAt"] = iso8601_ms(l.updated_ms);
    j["filtersUpdatedAt"] = iso8601_ms(l.filters_updated_ms);
    if (l.deleted) j["deletedAt"] = iso8601_ms(l.deleted_ms);
    j["createdById"] = std::to_string(l.created_by);
    j["updatedById"] = std::to_string(l.updated_by);
    j["size"] = l.members.size();
    j["additionalProperties"]["hs_list_size"] = std::to_string(l.members.size());
    if (l.folder_id) j["listFolderId"] = *l.folder_id;
    if (!l.membership_settings.is_null()) j["membershipSettings"] = l.membership_settings;
    if (!l.list_permissions.is_null()) j["listPermissions"] = l.list_permissions;
    if (!l.custom_properties.is_null()) j["customProperties"] = l.custom_properties;
    if (include_filters && !l.filter_branch.is_null()) j["filterBranch"] = l.filter_branch;
    return j;
}

reply
list_reply(const call& c, const crm_list& l)
{
    ojson body;
    body["list"] = list_json(l, c.query("includeFilters") == "true");
    return json_reply(200, std::move(body));
}

hs_error
list_not_found(const call& c, const std::string& id)
{
    return object_not_found(c.cid, "List " + id + " does not exist.");
}

crm_list&
list_param(call& c)
{
    const auto& id = c.param("listId");
    if (!all_digits(id)) throw list_not_found(c, id);
    auto it = c.st.lists.lists.find(std::stoull(id));
    if (it == c.st.lists.lists.end() || it->second.deleted) throw list_not_found(c, id);
    return it->second;
}

crm_list&
manual_list_param(call& c)
{
    auto& l = list_param(c);
    if (!manual_membership(l))
        throw validation_error(c.cid, "List " + std::to_string(l.id) + " is a " + l.processing_type +
                                          " list: memberships can only be changed on MANUAL or SNAPSHOT lists.");
    return l;
}

std::string
string_field(const call& c, const json& body, const char* key)
{
    auto it = body.find(key);
    if (it == body.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty()))
        throw validation_error(c.cid, std::string("Invalid input JSON: missing required field \"") + key + "\"");
    if (!it->is_string())
        throw validation_error(c.cid, std::string("Invalid input JSON: \"") + key + "\" must be a string");
    return it->get<std::string>();
}

// Record ids of a membership body: strings or integers.
std::vector<std::string>
id_list(const call& c, const json& j, const char* what)
{
    if (!j.is_array())
        throw validation_error(c.cid, std::string("Invalid input JSON: ") + what + " must be an array of record ids");
    std::vector<std::string> out;
    out.reserve(j.size());
    for (const auto& v : j) {
        if (v.is_string()) out.push_back(v.get<std::string>());
        else if (v.is_number_unsigned()) out.push_back(std::to_string(v.get<std::uint64_t>()));
        else throw validation_error(c.cid, std::string("Invalid input JSON: ") + what + " must hold record ids");
    }
    return out;
}

void
check_cap(const call& c, std::size_t n)
{
    const auto cap = static_cast<std::size_t>(c.st.config.lists.max_membership_ids);
    if (n > cap)
        throw validation_error(c.cid, "A membership request may carry at most " + std::to_string(cap) +
                                          " record ids; this one has " + std::to_string(n) + ".");
}

struct membership_result {
    ojson added = ojson::array();
    ojson removed = ojson::array();
    ojson missing = ojson::array();
};

// Removals first, then additions; an id in both is only added (so it ends up a member). Ids are reported once, in
// request order. Already-members and non-members are ignored; ids of no live record are "missing" unless a
// removal finds them in the list (a record archived after it was added can still be taken out).
membership_result
apply_membership(call& c, crm_list& l, const std::vector<std::string>& to_add,
                 const std::vector<std::string>& to_remove)
{
    auto* type = c.st.find_type(l.object_type_id);
    auto live = [type](const std::string& id) -> std::optional<std::uint64_t> {
        if (!all_digits(id)) return std::nullopt;
        auto n = std::stoull(id);
        if (!type || !type->find_live(n)) return std::nullopt;
        return n;
    };
    membership_result out;
    std::unordered_set<std::string> adding(to_add.begin(), to_add.end());
    std::unordered_set<std::string> reported;
    for (const auto& id : to_remove) {
        if (adding.count(id) || !reported.insert(id).second) continue;
        if (all_digits(id) && l.members.erase(std::stoull(id))) out.removed.push_back(id);
        else if (!live(id)) out.missing.push_back(id);
    }
    reported.clear();
    for (const auto& id : to_add) {
        if (!reported.insert(id).second) continue;
        auto n = live(id);
        if (!n) out.missing.push_back(id);
        else if (l.members.emplace(*n, c.now_ms()).second) out.added.push_back(id);
    }
    if (!out.added.empty() || !out.removed.empty()) {
        l.updated_ms = c.now_ms();
        if (c.who) l.updated_by = c.who->user_id;
    }
    return out;
}

reply
membership_reply(membership_result r)
{
    ojson body = reserved_object(3);
    body["recordsIdsAdded"] = std::move(r.added);  // sic: HubSpot's spelling (hubspot-api.md §4.2)
    body["recordIdsRemoved"] = std::move(r.removed);
    body["recordIdsMissing"] = std::move(r.missing);
    return json_reply(200, std::move(body));
}

int
int_query(const call& c, const std::string& name, int fallback, int max)
{
    if (!c.has_query(name)) return fallback;
    const auto s = c.query(name);
    if (!all_digits(s, 9)) throw validation_error(c.cid, name + " must be a positive integer");
    return std::min(std::stoi(s), max);
}

std::uint64_t
cursor_query(const call& c, const std::string& name)
{
    const auto s = c.query(name);
    if (!all_digits(s)) throw validation_error(c.cid, name + " must be a paging cursor returned by a previous page");
    return std::stoull(s);
}

int
int_field(const call& c, const json& body, const char* key, int fallback, int max)
{
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return fallback;
    if (!it->is_number_integer() || it->get<long long>() < 0)
        throw validation_error(c.cid, std::string("Invalid input JSON: \"") + key + "\" must be a non-negative integer");
    return static_cast<int>(std::min<long long>(it->get<long long>(), max));
}

std::vector<std::string>
strings_field(const call& c, const json& body, const char* key)
{
    std::vector<std::string> out;
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) return out;
    if (!it->is_array())
        throw validation_error(c.cid, std::string("Invalid input JSON: \"") + key + "\" must be an array");
    return id_list(c, *it, key);
}
}  // namespace

reply
create_list(call& c)
{
    require_write(c);
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    auto name = string_field(c, body, "name");
    auto type_key = string_field(c, body, "objectTypeId");
    auto processing = string_field(c, body, "processingType");
    auto* type = c.st.find_type(type_key);
    if (!type) throw unknown_object_type(c.cid, type_key);
    if (processing != "MANUAL" && processing != "SNAPSHOT" && processing != "DYNAMIC")
        throw validation_error(c.cid, "Invalid processingType \"" + processing +
                                          "\": use one of MANUAL, SNAPSHOT, DYNAMIC");
    auto& store = c.st.lists;
    const auto key = core::ascii_lower(name);
    if (auto taken = store.by_name.find(key); taken != store.by_name.end()) {
        auto err = error_head(c.cid, "A list named \"" + name + "\" already exists (list " +
                                         std::to_string(taken->second) + "); list names must be unique.");
        err["context"]["listName"] = ojson::array({name});
        err["context"]["listId"] = ojson::array({std::to_string(taken->second)});
        err["category"] = "VALIDATION_ERROR";
        throw hs_error(400, std::move(err));
    }
    crm_list l;
    l.id = store.next_id++;
    l.name = std::move(name);
    l.object_type_id = type->id;
    l.processing_type = std::move(processing);
    if (auto f = body.find("filterBranch"); f != body.end()) l.filter_branch = *f;
    if (auto m = body.find("membershipSettings"); m != body.end()) l.membership_settings = *m;
    if (auto p = body.find("listPermissions"); p != body.end()) l.list_permissions = *p;
    if (auto p = body.find("customProperties"); p != body.end()) l.custom_properties = *p;
    if (auto f = body.find("listFolderId"); f != body.end() && f->is_number_integer())
        l.folder_id = f->get<std::int64_t>();
    l.created_ms = l.updated_ms = l.filters_updated_ms = c.now_ms();
    l.created_by = l.updated_by = c.who ? c.who->user_id : 0;
    store.by_name[key] = l.id;
    auto& stored = store.lists[l.id] = std::move(l);
    ojson out;
    out["list"] = list_json(stored, true);
    return json_reply(200, std::move(out));
}

reply
get_list(call& c)
{
    c.require(read_scopes);
    return list_reply(c, list_param(c));
}

reply
get_list_by_name(call& c)
{
    c.require(read_scopes);
    const auto& type_key = c.param("objectTypeId");
    auto* type = c.st.find_type(type_key);
    if (!type) throw unknown_object_type(c.cid, type_key);
    const auto& name = c.param("listName");
    auto it = c.st.lists.by_name.find(core::ascii_lower(name));
    if (it == c.st.lists.by_name.end() || c.st.lists.lists.at(it->second).object_type_id != type->id)
        throw object_not_found(c.cid, "List with name \"" + name + "\" does not exist for object type " + type->id + ".");
    return list_reply(c, c.st.lists.lists.at(it->second));
}

reply
get_lists(call& c)
{
    c.require(read_scopes);
    // The router keeps one value per query key, so ?listIds=1&listIds=2 reaches us as "2": comma lists also work.
    const bool filters = c.query("includeFilters") == "true";
    ojson lists = ojson::array();
    for (const auto& id : split_list(c.query("listIds"))) {
        if (!all_digits(id)) continue;
        auto it = c.st.lists.lists.find(std::stoull(id));
        if (it != c.st.lists.lists.end() && !it->second.deleted) lists.push_back(list_json(it->second, filters));
    }
    ojson body;
    body["lists"] = std::move(lists);
    return json_reply(200, std::move(body));
}

reply
search_lists(call& c)
{
    c.require(read_scopes);
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    const auto query = core::ascii_lower(body.value("query", std::string{}));
    const int count = int_field(c, body, "count", default_search_count, max_search_count);
    const int offset = int_field(c, body, "offset", 0, 1'000'000'000);
    const auto types = strings_field(c, body, "processingTypes");
    const auto ids = strings_field(c, body, "listIds");
    std::string type_filter;
    if (auto t = body.find("objectTypeId"); t != body.end() && t->is_string() && !t->get<std::string>().empty()) {
        auto* type = c.st.find_type(t->get<std::string>());
        if (!type) throw unknown_object_type(c.cid, t->get<std::string>());
        type_filter = type->id;
    }
    const bool filters = c.query("includeFilters") == "true";
    ojson lists = ojson::array();
    int matched = 0;
    for (const auto& [id, l] : c.st.lists.lists) {
        if (l.deleted) continue;
        if (!query.empty() && core::ascii_lower(l.name).find(query) == std::string::npos) continue;
        if (!types.empty() && std::find(types.begin(), types.end(), l.processing_type) == types.end()) continue;
        if (!ids.empty() && std::find(ids.begin(), ids.end(), std::to_string(id)) == ids.end()) continue;
        if (!type_filter.empty() && l.object_type_id != type_filter) continue;
        if (matched >= offset && matched < offset + count) lists.push_back(list_json(l, filters));
        ++matched;
    }
    ojson out;
    out["lists"] = std::move(lists);
    out["hasMore"] = offset + count < matched;
    out["offset"] = std::min(offset + count, matched);
    out["total"] = matched;
    return json_reply(200, std::move(out));
}

reply
delete_list(call& c)
{
    require_write(c);
    auto& l = list_param(c);
    l.deleted = true;
    l.deleted_ms = c.now_ms();
    c.st.lists.by_name.erase(core::ascii_lower(l.name));  // the name is free again
    return empty_reply(204);
}

reply
add_list_members(call& c)
{
    require_write(c);
    auto& l = manual_list_param(c);
    auto ids = id_list(c, c.json_body(), "the body");
    check_cap(c, ids.size());
    return membership_reply(apply_membership(c, l, ids, {}));
}

reply
remove_list_members(call& c)
{
    require_write(c);
    auto& l = manual_list_param(c);
    auto ids = id_list(c, c.json_body(), "the body");
    check_cap(c, ids.size());
    return membership_reply(apply_membership(c, l, {}, ids));
}

reply
add_and_remove_list_members(call& c)
{
    require_write(c);
    auto& l = manual_list_param(c);
    const auto& body = c.json_body();
    if (!body.is_object()) throw validation_error(c.cid, "Invalid input JSON: the body must be an object");
    auto add = strings_field(c, body, "recordIdsToAdd");
    auto remove = strings_field(c, body, "recordIdsToRemove");
    check_cap(c, add.size() + remove.size());
    return membership_reply(apply_membership(c, l, add, remove));
}

reply
remove_all_list_members(call& c)
{
    require_write(c);
    auto& l = manual_list_param(c);
    if (!l.members.empty()) {
        l.members.clear();
        l.updated_ms = c.now_ms();
    }
    return empty_reply(204);
}

reply
list_memberships(call& c)
{
    c.require(read_scopes);
    const auto& l = list_param(c);
    const int limit = std::max(1, int_query(c, "limit", default_page, max_page));
    const auto& m = l.members;
    auto entry = [](const std::pair<const std::uint64_t, std::int64_t>& e) {
        ojson j = reserved_object(2);
        j["recordId"] = std::to_string(e.first);
        j["membershipTimestamp"] = iso8601_ms(e.second);
        return j;
    };
    ojson results = ojson::array();
    ojson paging = ojson::object();
    if (c.has_query("before")) {
        // The `limit` members just below the cursor, still in ascending order.
        auto end = m.lower_bound(cursor_query(c, "before"));
        auto first = end;
        for (int n = 0; n < limit && first != m.begin(); ++n) --first;
        for (auto it = first; it != end; ++it) results.push_back(entry(*it));
        if (first != m.begin()) paging["prev"]["before"] = std::to_string(first->first);
        if (end != m.end() && !results.empty()) paging["next"]["after"] = std::to_string(std::prev(end)->first);
    } else {
        auto it = c.has_query("after") ? m.upper_bound(cursor_query(c, "after")) : m.begin();
        for (int n = 0; n < limit && it != m.end(); ++n, ++it) results.push_back(entry(*it));
        if (it != m.end()) paging["next"]["after"] = std::to_string(std::prev(it)->first);
    }
    ojson body = reserved_object(3);
    body["results"] = std::move(results);
    if (!paging.empty()) body["paging"] = std::move(paging);
    body["total"] = m.size();
    return json_reply(200, std::move(body));
}

reply
legacy_lists_sunset(call& c)
{
    throw object_not_found(c.cid,
                           "The v1 contact lists API was sunset on 2026-04-30. Use the lists v3 API (/crm/v3/lists).");
}

}  // namespace hubsync::emulator
