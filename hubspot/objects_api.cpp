#include "hubspot/objects_api.hpp"

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

json
inputs_json(const std::vector<batch_input>& inputs)
{
    json arr = json::array();
    for (const auto& in : inputs) {
        json j = {{"properties", in.properties}};
        if (!in.trace_id.empty()) j["objectWriteTraceId"] = in.trace_id;
        if (in.id) j["id"] = *in.id;
        if (in.id_property) j["idProperty"] = *in.id_property;
        arr.push_back(std::move(j));
    }
    return arr;
}
}  // namespace

record
parse_record(const json& j)
{
    record r;
    if (auto id = j.find("id"); id != j.end()) r.id = id->is_string() ? id->get<std::string>() : id->dump();
    if (auto props = j.find("properties"); props != j.end() && props->is_object())
        for (const auto& [k, v] : props->items())
            if (!v.is_null()) r.properties[k] = v.is_string() ? v.get<std::string>() : v.dump();
    if (auto n = j.find("new"); n != j.end() && n->is_boolean()) r.created = n->get<bool>();
    return r;
}

batch_result
parse_batch(int status, const std::string& body)
{
    batch_result out;
    out.status = status;
    if (body.empty()) return out;
    auto j = json::parse(body, nullptr, false);
    if (!j.is_object()) return out;
    if (auto results = j.find("results"); results != j.end() && results->is_array())
        for (const auto& r : *results) out.results.push_back(parse_record(r));
    out.errors = parse_batch_errors(j);
    return out;
}

net::awaitable<batch_result>
objects_api::batch(std::string object_type, std::string op, json body, bool idempotent)
{
    call c;
    c.method = http::verb::post;
    c.target = paths_.object_batch(object_type, op);
    c.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    c.endpoint = "objects.batch_" + op;
    c.idempotent = idempotent;
    auto res = co_await client_.send(std::move(c));
    co_return parse_batch(res.status, res.body);
}

net::awaitable<batch_result>
objects_api::batch_upsert(std::string object_type, std::vector<batch_input> inputs)
{
    json body = {{"inputs", inputs_json(inputs)}};
    co_return co_await batch(std::move(object_type), "upsert", std::move(body), true);
}

net::awaitable<batch_result>
objects_api::batch_create(std::string object_type, std::vector<batch_input> inputs)
{
    json body = {{"inputs", inputs_json(inputs)}};
    co_return co_await batch(std::move(object_type), "create", std::move(body), false);
}

net::awaitable<batch_result>
objects_api::batch_update(std::string object_type, std::vector<batch_input> inputs)
{
    json body = {{"inputs", inputs_json(inputs)}};
    co_return co_await batch(std::move(object_type), "update", std::move(body), true);
}

net::awaitable<batch_result>
objects_api::batch_read(std::string object_type, std::optional<std::string> id_property, std::vector<std::string> ids,
                        std::vector<std::string> properties)
{
    json inputs = json::array();
    for (auto& id : ids) inputs.push_back({{"id", id}});
    json body = {{"inputs", inputs}, {"properties", properties}, {"propertiesWithHistory", json::array()}};
    if (id_property) body["idProperty"] = *id_property;
    co_return co_await batch(std::move(object_type), "read", std::move(body), true);
}

net::awaitable<search_page>
objects_api::search(std::string object_type, json body)
{
    call c;
    c.method = http::verb::post;
    c.target = paths_.object_search(object_type);
    c.body = body.dump();
    c.endpoint = "objects.search";
    c.limit_class = rate_limiter::request_class::search;
    auto res = co_await client_.send(std::move(c));
    search_page page;
    auto j = json::parse(res.body, nullptr, false);
    if (!j.is_object()) co_return page;
    page.total = j.value("total", std::int64_t{0});
    if (auto results = j.find("results"); results != j.end() && results->is_array())
        for (const auto& r : *results) page.results.push_back(parse_record(r));
    if (auto paging = j.find("paging"); paging != j.end() && paging->is_object())
        if (auto next = paging->find("next"); next != paging->end() && next->is_object())
            if (auto after = next->find("after"); after != next->end())
                page.after = after->is_string() ? after->get<std::string>() : after->dump();
    co_return page;
}

}  // namespace hubsync::hubspot
