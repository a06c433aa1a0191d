#include "hubspot/lists_api.hpp"
#include "hubspot/json_fields.hpp"

#include "hubspot/api_error.hpp"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

// The largest memberships page HubSpot serves (hubspot-api.md §4.1).
constexpr int memberships_page = 250;

std::vector<std::string>
strings(const json& j, const char* key)
{
    std::vector<std::string> out;
    if (auto it = j.find(key); it != j.end() && it->is_array())
        for (const auto& v : *it) out.push_back(v.is_string() ? v.get<std::string>() : v.dump());
    return out;
}

json
parse_body(const http_response& res, const char* what)
{
    auto j = json::parse(res.body, nullptr, false);
    if (!j.is_object()) throw std::runtime_error(std::string("HubSpot's ") + what + " answer is not a JSON object");
    return j;
}

crm_list
list_of(const http_response& res)
{
    auto j = parse_body(res, "lists");
    auto it = j.find("list");
    if (it == j.end() || !it->is_object()) throw std::runtime_error("HubSpot's lists answer carries no list");
    return parse_list(*it);
}
}  // namespace

crm_list
parse_list(const json& j)
{
    crm_list l;
    l.list_id = text_member(j, "listId");
    l.name = text_member(j, "name");
    l.object_type_id = text_member(j, "objectTypeId");
    l.processing_type = text_member(j, "processingType");
    if (auto size = j.find("size"); size != j.end() && size->is_number_integer()) l.size = size->get<std::int64_t>();
    return l;
}

std::string
lists_api::list_path(const std::string& list_id) const
{
    return paths_.lists() + "/" + encode_segment(list_id);
}

net::awaitable<crm_list>
lists_api::create(std::string name, std::string object_type_id, std::string processing_type)
{
    call c;
    c.method = http::verb::post;
    c.target = paths_.lists();
    c.body = json{{"name", name}, {"objectTypeId", object_type_id}, {"processingType", processing_type}}.dump(
        -1, ' ', false, json::error_handler_t::replace);
    c.endpoint = "lists.create";
    c.idempotent = false;  // a blind re-send after a lost answer would hit the unique-name check
    auto res = co_await client_.send(std::move(c));
    co_return list_of(res);
}

net::awaitable<std::optional<crm_list>>
lists_api::get_by_name(std::string object_type_id, std::string name)
{
    call c;
    c.target = paths_.lists() + "/object-type-id/" + encode_segment(object_type_id) + "/name/" + encode_segment(name);
    c.endpoint = "lists.get_by_name";
    std::optional<http_response> res;
    try {
        res = co_await client_.send(std::move(c));
    } catch (const api_error& e) {
        if (e.status() != 404) throw;
    }
    if (!res) co_return std::nullopt;
    co_return list_of(*res);
}

net::awaitable<crm_list>
lists_api::get(std::string list_id)
{
    call c;
    c.target = list_path(list_id);
    c.endpoint = "lists.get";
    auto res = co_await client_.send(std::move(c));
    co_return list_of(res);
}

net::awaitable<membership_change>
lists_api::add_and_remove(std::string list_id, std::vector<std::string> to_add, std::vector<std::string> to_remove)
{
    if (to_add.size() + to_remove.size() > max_ids_)
        throw std::invalid_argument("a list membership change carries at most " + std::to_string(max_ids_) +
                                    " record ids; chunk the ids");
    call c;
    c.method = http::verb::put;
    c.target = list_path(list_id) + "/memberships/add-and-remove";
    c.body = json{{"recordIdsToAdd", to_add}, {"recordIdsToRemove", to_remove}}.dump();
    c.endpoint = "lists.add_and_remove";
    auto res = co_await client_.send(std::move(c));
    auto j = parse_body(res, "membership change");
    membership_change out;
    out.added = strings(j, "recordsIdsAdded");  // sic: HubSpot's spelling
    out.removed = strings(j, "recordIdsRemoved");
    out.missing = strings(j, "recordIdsMissing");
    co_return out;
}

net::awaitable<std::vector<std::string>>
lists_api::memberships(std::string list_id)
{
    std::vector<std::string> ids;
    std::string after;
    for (;;) {
        call c;
        c.target = list_path(list_id) + "/memberships?limit=" + std::to_string(memberships_page);
        if (!after.empty()) c.target += "&after=" + encode_segment(after);
        c.endpoint = "lists.memberships";
        auto res = co_await client_.send(std::move(c));
        auto j = parse_body(res, "memberships");
        if (auto results = j.find("results"); results != j.end() && results->is_array())
            for (const auto& m : *results)
                if (m.is_object()) ids.push_back(text_member(m, "recordId"));
        std::string next;
        if (auto paging = j.find("paging"); paging != j.end() && paging->is_object())
            if (auto n = paging->find("next"); n != paging->end() && n->is_object()) next = text_member(*n, "after");
        // A cursor that does not move would loop forever.
        if (next.empty() || next == after) break;
        after = std::move(next);
    }
    co_return ids;
}

net::awaitable<void>
lists_api::remove_all(std::string list_id)
{
    call c;
    c.method = http::verb::delete_;
    c.target = list_path(list_id) + "/memberships";
    c.endpoint = "lists.remove_all";
    co_await client_.send(std::move(c));
}

net::awaitable<void>
lists_api::remove(std::string list_id)
{
    call c;
    c.method = http::verb::delete_;
    c.target = list_path(list_id);
    c.endpoint = "lists.delete";
    try {
        co_await client_.send(std::move(c));
    } catch (const api_error& e) {
        // Already gone: a retried DELETE whose first answer was lost sees the 404 of its own success.
        if (e.status() != 404) throw;
    }
}

}  // namespace hubsync::hubspot
