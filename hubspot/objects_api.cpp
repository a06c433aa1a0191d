#include "hubspot/objects_api.hpp"

#include "core/json_string.hpp"
#include "hubspot/batch_answer_scan.hpp"

#include <algorithm>
#include <array>
#include <memory>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

// A value as nlohmann's dump() writes it, ill-formed UTF-8 replaced: a warehouse value must not fail a batch.
void
append_value(std::string& out, const json& v)
{
    if (v.is_string()) core::append_json_string(out, v.get_ref<const std::string&>(), core::invalid_utf8::replace);
    else out += v.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace

std::string
batch_inputs_body(const std::vector<batch_input>& inputs)
{
    std::string out = "{\"inputs\":[";
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto& in = inputs[i];
        if (i) out += ',';
        out += "{\"properties\":";
        if (in.properties.is_object()) {
            out += '{';
            bool first = true;
            for (const auto& [key, value] : in.properties.items()) {
                if (!first) out += ',';
                first = false;
                core::append_json_string(out, key, core::invalid_utf8::replace);
                out += ':';
                append_value(out, value);
            }
            out += '}';
        } else {
            append_value(out, in.properties);
        }
        auto member = [&](const char* name, const std::string& value) {
            out += ",\"";
            out += name;
            out += "\":";
            core::append_json_string(out, value, core::invalid_utf8::replace);
        };
        if (!in.trace_id.empty()) member("objectWriteTraceId", in.trace_id);
        if (in.id) member("id", *in.id);
        if (in.id_property) member("idProperty", *in.id_property);
        out += '}';
    }
    out += "]}";
    return out;
}

namespace {
// A parse callback dropping the record properties `keep` does not name (results[].properties.*), so they are never
// stored in the tree.
json::parser_callback_t
property_filter(const result_properties& keep)
{
    if (!keep) return nullptr;
    // The key last seen at each depth: a record property's key is at depth 4, under "properties" (depth 3) of a
    // record in "results" (depth 1).
    auto path = std::make_shared<std::array<std::string, 5>>();
    return [path, names = *keep](int depth, json::parse_event_t event, json& parsed) {
        if (event != json::parse_event_t::key || depth < 1 || depth > 4) return true;
        auto& key = parsed.get_ref<const std::string&>();
        if (depth < 4) {
            (*path)[static_cast<std::size_t>(depth)] = key;
            return true;
        }
        if ((*path)[1] != "results" || (*path)[3] != "properties") return true;
        return std::find(names.begin(), names.end(), key) != names.end();
    };
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
    if (auto t = j.find("objectWriteTraceId"); t != j.end() && t->is_string()) r.trace_id = t->get<std::string>();
    return r;
}

batch_result
parse_batch(int status, const std::string& body, const result_properties& keep)
{
    batch_result out;
    out.status = status;
    if (body.empty()) return out;
    if (keep && scan_batch_results(body, *keep, out.results)) return out;
    out.results.clear();
    auto j = json::parse(body, property_filter(keep), false);
    if (!j.is_object()) return out;
    if (auto results = j.find("results"); results != j.end() && results->is_array())
        for (const auto& r : *results) out.results.push_back(parse_record(r));
    out.errors = parse_batch_errors(j);
    return out;
}

net::awaitable<batch_result>
objects_api::batch(std::string object_type, std::string op, std::string body, bool idempotent,
                   result_properties keep)
{
    call c;
    c.method = http::verb::post;
    c.target = paths_.object_batch(object_type, op);
    c.body = std::move(body);
    c.endpoint = "objects.batch_" + op;
    c.idempotent = idempotent;
    auto res = co_await client_.send(std::move(c));
    co_return parse_batch(res.status, res.body, keep);
}

net::awaitable<batch_result>
objects_api::batch_upsert(std::string object_type, std::vector<batch_input> inputs, result_properties keep)
{
    co_return co_await batch_write(std::move(object_type), "upsert", batch_inputs_body(inputs), std::move(keep));
}

net::awaitable<batch_result>
objects_api::batch_create(std::string object_type, std::vector<batch_input> inputs, result_properties keep)
{
    co_return co_await batch_write(std::move(object_type), "create", batch_inputs_body(inputs), std::move(keep));
}

net::awaitable<batch_result>
objects_api::batch_update(std::string object_type, std::vector<batch_input> inputs, result_properties keep)
{
    co_return co_await batch_write(std::move(object_type), "update", batch_inputs_body(inputs), std::move(keep));
}

net::awaitable<batch_result>
objects_api::batch_write(std::string object_type, std::string op, std::string body, result_properties keep)
{
    bool idempotent = op != "create";
    co_return co_await batch(std::move(object_type), std::move(op), std::move(body), idempotent, std::move(keep));
}

net::awaitable<batch_result>
objects_api::batch_read(std::string object_type, std::optional<std::string> id_property, std::vector<std::string> ids,
                        std::vector<std::string> properties)
{
    json inputs = json::array();
    for (auto& id : ids) inputs.push_back({{"id", id}});
    json body = {{"inputs", inputs}, {"properties", properties}, {"propertiesWithHistory", json::array()}};
    if (id_property) body["idProperty"] = *id_property;
    auto text = body.dump(-1, ' ', false, json::error_handler_t::replace);
    co_return co_await batch(std::move(object_type), "read", std::move(text), true, std::nullopt);
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
