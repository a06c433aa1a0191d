#include "hubspot/events_api.hpp"
#include "core/text.hpp"
#include "hubspot/json_fields.hpp"

#include <algorithm>
#include <stdexcept>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

// Definitions per page; HubSpot's maximum is UNCONFIRMED (the emulator caps at 100).
constexpr int definitions_page = 100;

std::string
dump(const json& j)
{
    return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json
definition_body(const event_definition_input& in)
{
    json props = json::array();
    for (const auto& p : in.properties) {
        json pj = {{"name", p.name}, {"label", p.label}, {"type", p.type}};
        if (!p.description.empty()) pj["description"] = p.description;
        if (!p.options.empty()) {
            pj["options"] = json::array();
            for (const auto& o : p.options) pj["options"].push_back({{"label", o.label}, {"value", o.value}});
        }
        props.push_back(std::move(pj));
    }
    json body = {{"label", in.label},
                 {"primaryObject", in.primary_object},
                 {"includeDefaultProperties", in.include_default_properties},
                 {"propertyDefinitions", std::move(props)}};
    if (!in.name.empty()) body["name"] = in.name;
    if (!in.description.empty()) body["description"] = in.description;
    if (in.custom_matching)
        body["customMatchingId"]["primaryObjectRule"] = {{"targetObjectPropertyName", in.custom_matching->object_property},
                                                         {"eventPropertyName", in.custom_matching->event_property}};
    return body;
}
}  // namespace

json
occurrence_json(const event_occurrence& o)
{
    json j = {{"eventName", o.event_name}, {"properties", o.properties}};
    if (!o.occurred_at.empty()) j["occurredAt"] = o.occurred_at;
    if (o.object_id) j["objectId"] = *o.object_id;
    if (o.email) j["email"] = *o.email;
    if (o.utk) j["utk"] = *o.utk;
    if (!o.uuid.empty()) j["uuid"] = o.uuid;
    return j;
}

event_definition
parse_event_definition(const json& j)
{
    event_definition d;
    d.name = text_member(j, "name");
    d.fully_qualified_name = text_member(j, "fullyQualifiedName");
    if (auto labels = j.find("labels"); labels != j.end() && labels->is_object()) d.label = text_member(*labels, "singular");
    if (d.label.empty()) d.label = text_member(j, "label");
    d.primary_object = text_member(j, "primaryObject");
    d.object_type_id = text_member(j, "objectTypeId");
    if (auto props = j.find("properties"); props != j.end() && props->is_array())
        for (const auto& p : *props)
            if (p.is_object()) d.properties.push_back({text_member(p, "name"), text_member(p, "type"), text_member(p, "label")});
    return d;
}

bool
duplicate_uuid_refusal(const api_error& e)
{
    const auto& info = e.info();
    if (e.status() == 409) return true;
    if (e.status() != 400) return false;
    for (const auto& in : info.inputs)
        if (in.code == "DUPLICATE_UUID") return true;
    // Only a message about a uuid that is already taken: an invalid uuid must not pass for a delivered event.
    const auto m = core::ascii_lower(info.message);
    return m.find("uuid") != std::string::npos &&
           (m.find("already") != std::string::npos || m.find("duplicate") != std::string::npos);
}

net::awaitable<void>
events_api::post_batch(std::vector<event_occurrence> occurrences)
{
    json inputs = json::array();
    bool every_uuid = true;
    for (const auto& o : occurrences) {
        inputs.push_back(occurrence_json(o));
        every_uuid = every_uuid && !o.uuid.empty();
    }
    call c;
    c.method = http::verb::post;
    c.target = paths_.event_send_batch();
    c.body = dump(json{{"inputs", std::move(inputs)}});
    c.endpoint = "events.send_batch";
    // Re-sending is safe only when HubSpot can recognise every occurrence it already has.
    c.idempotent = every_uuid;
    co_await client_.send(std::move(c));
}

net::awaitable<void>
events_api::send_batch(std::vector<event_occurrence> occurrences)
{
    if (occurrences.size() > max_event_batch_inputs)
        throw std::invalid_argument("an event batch carries at most " + std::to_string(max_event_batch_inputs) +
                                    " occurrences; chunk them");
    if (occurrences.empty()) co_return;
    bool one_by_one = false;
    try {
        co_await post_batch(occurrences);
    } catch (const api_error& e) {
        if (!duplicate_uuid_refusal(e)) throw;
        one_by_one = true;  // no co_await inside a handler
    }
    if (!one_by_one) co_return;
    // The batch was refused as a whole because some uuids are taken: the others still have to go.
    for (auto& o : occurrences) co_await send(std::move(o));
}

net::awaitable<void>
events_api::send(event_occurrence occurrence)
{
    call c;
    c.method = http::verb::post;
    c.target = paths_.event_send();
    c.body = dump(occurrence_json(occurrence));
    c.endpoint = "events.send";
    c.idempotent = !occurrence.uuid.empty();
    try {
        co_await client_.send(std::move(c));
    } catch (const api_error& e) {
        // HubSpot already has this occurrence.
        if (occurrence.uuid.empty() || !duplicate_uuid_refusal(e)) throw;
    }
}

net::awaitable<std::vector<event_definition>>
events_api::list_definitions()
{
    std::vector<event_definition> out;
    std::string after;
    for (;;) {
        call c;
        c.target = paths_.event_definitions() + "?includeProperties=true&limit=" + std::to_string(definitions_page);
        if (!after.empty()) c.target += "&after=" + encode_segment(after);
        c.endpoint = "events.definitions";
        auto res = co_await client_.send(std::move(c));
        auto j = json::parse(res.body, nullptr, false);
        if (!j.is_object()) throw std::runtime_error("HubSpot's event definitions answer is not a JSON object");
        if (auto results = j.find("results"); results != j.end() && results->is_array())
            for (const auto& d : *results)
                if (d.is_object()) out.push_back(parse_event_definition(d));
        std::string next;
        if (auto paging = j.find("paging"); paging != j.end() && paging->is_object())
            if (auto n = paging->find("next"); n != paging->end() && n->is_object()) next = text_member(*n, "after");
        if (next.empty() || next == after) break;  // a cursor that does not move would loop forever
        after = std::move(next);
    }
    co_return out;
}

net::awaitable<event_definition>
events_api::create_definition(event_definition_input input)
{
    call c;
    c.method = http::verb::post;
    c.target = paths_.event_definitions();
    c.body = dump(definition_body(input));
    c.endpoint = "events.create_definition";
    c.idempotent = false;
    auto res = co_await client_.send(std::move(c));
    auto j = json::parse(res.body, nullptr, false);
    if (!j.is_object()) throw std::runtime_error("HubSpot's event definition answer is not a JSON object");
    co_return parse_event_definition(j);
}

}  // namespace hubsync::hubspot
