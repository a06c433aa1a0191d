// Sending custom behavioural event occurrences: /events/v3/send[/batch] (hubspot-api.md §5.1, §8.17), and
// GET /__emulator/events, which shows what was recorded.
//
// Choices on UNCONFIRMED points (hubspot-api.md §9 point 7; README.md):
// - every refusal is 400 VALIDATION_ERROR with errors[0].code saying why (UNKNOWN_EVENT, PROPERTY_DOESNT_EXIST,
//   TOO_MANY_PROPERTIES, VALUE_TOO_LONG, MISSING_IDENTIFIER, ... or the CRM value codes such as INVALID_INTEGER);
// - a batch is all-or-nothing: the first bad input fails the request, its message and context.inputIndex name the
//   input, and nothing is recorded;
// - a uuid already seen for the event type (in an earlier request or earlier in the same batch) is silently
//   ignored: the request still answers 204 and the first occurrence stands. With the config switch
//   events.reject_duplicate_uuids it is refused instead (400, code DUPLICATE_UUID), so clients meet both;
// - the record is matched at once, by customMatchingId > objectId > email (contact events) > utk. An occurrence
//   that names an identifier but matches no record is still accepted and recorded unmatched (HubSpot answers 204
//   before it matches); one that names no identifier at all is refused (MISSING_IDENTIFIER). The emulator has no
//   visitor tracking, so a utk never matches.
#include "core/text.hpp"
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/values.hpp"

#include <cctype>
#include <unordered_set>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

constexpr std::size_t max_batch_inputs = 500;
constexpr std::size_t max_properties = 50;
constexpr std::size_t max_value_length = 256;
constexpr std::size_t max_url_value_length = 1024;

// Why one occurrence was refused.
struct refusal {
    std::string code;
    std::string message;
    std::string property;  // empty when not about one property
};

struct pending {
    event_definition* definition = nullptr;
    event_occurrence occurrence;
};

// URL and referrer properties may hold 1,024 characters, the others 256 (hubspot-api.md §5.1). HubSpot does not
// say how it tells them apart; the emulator goes by name.
bool
url_like(const std::string& name)
{
    return name.find("url") != std::string::npos || name.find("referrer") != std::string::npos ||
           name == "hs_link_href";
}

std::optional<refusal>
identifier(const json& in, const char* key, std::string& out)
{
    auto it = in.find(key);
    if (it == in.end() || it->is_null()) return std::nullopt;
    if (it->is_string()) out = it->get<std::string>();
    else if (it->is_number_unsigned()) out = std::to_string(it->get<std::uint64_t>());
    else return refusal{"INVALID_INPUT", std::string("\"") + key + "\" must be a string", ""};
    return std::nullopt;
}

std::optional<refusal>
check_properties(const json& in, const event_definition& d, event_occurrence& o)
{
    auto it = in.find("properties");
    if (it == in.end() || it->is_null()) return std::nullopt;
    if (!it->is_object()) return refusal{"INVALID_INPUT", "\"properties\" must be an object", ""};
    if (it->size() > max_properties)
        return refusal{"TOO_MANY_PROPERTIES",
                       "An occurrence may carry at most 50 properties; this one has " + std::to_string(it->size()),
                       ""};
    for (const auto& [raw_name, value] : it->items()) {
        const auto name = core::ascii_lower(raw_name);  // names that differ only in case collapse into one
        const auto* p = d.find_property(name);
        if (!p)
            return refusal{"PROPERTY_DOESNT_EXIST",
                           "Property \"" + raw_name + "\" is not defined for event " + d.fully_qualified_name, raw_name};
        if (value.is_object() || value.is_array())
            return refusal{"INVALID_INPUT", "The value of property \"" + raw_name + "\" must be a string", raw_name};
        const auto text = scalar_to_string(value);
        const auto limit = url_like(name) ? max_url_value_length : max_value_length;
        if (text.size() > limit)
            return refusal{"VALUE_TOO_LONG",
                           "The value of property \"" + raw_name + "\" is longer than " + std::to_string(limit) +
                               " characters",
                           raw_name};
        if (text.empty()) continue;
        std::string stored;
        property_error err;
        if (!normalize_value(*p, value, nullptr, stored, err)) return refusal{err.code, err.message, raw_name};
        o.properties[name] = std::move(stored);
    }
    return std::nullopt;
}

// Validates one input into `out` without touching the state. `batch_uuids`: "{event}\x1f{uuid}" of the inputs
// before this one in the same request.
std::optional<refusal>
check_occurrence(call& c, const json& in, pending& out, std::unordered_set<std::string>* batch_uuids = nullptr)
{
    if (!in.is_object()) return refusal{"INVALID_INPUT", "An occurrence must be an object", ""};
    auto& o = out.occurrence;
    auto name = in.find("eventName");
    if (name == in.end() || !name->is_string() || name->get<std::string>().empty())
        return refusal{"INVALID_INPUT", "Missing required field \"eventName\"", ""};
    o.event_name = name->get<std::string>();
    auto& store = c.st.events;
    auto fq = store.by_fully_qualified_name.find(o.event_name);
    if (fq == store.by_fully_qualified_name.end()) {
        std::string hint;
        if (auto d = store.definitions.find(o.event_name); d != store.definitions.end())
            hint = "; send its fullyQualifiedName " + d->second.fully_qualified_name;
        return refusal{"UNKNOWN_EVENT", "Event " + o.event_name + " does not exist" + hint, ""};
    }
    out.definition = &store.definitions.at(fq->second);
    const auto& d = *out.definition;
    for (auto [key, slot] : {std::pair<const char*, std::string*>{"objectId", &o.sent_object_id},
                             {"email", &o.email}, {"utk", &o.utk}, {"uuid", &o.uuid}})
        if (auto bad = identifier(in, key, *slot)) return bad;
    if (!o.sent_object_id.empty() && o.sent_object_id.find_first_not_of("0123456789") != std::string::npos)
        return refusal{"INVALID_INPUT", "objectId " + o.sent_object_id + " is not a record id", ""};
    o.occurred_ms = c.now_ms();
    if (auto at = in.find("occurredAt"); at != in.end() && !at->is_null()) {
        std::optional<std::int64_t> ms;
        if (at->is_string()) ms = parse_instant(at->get<std::string>());
        else if (at->is_number_integer()) ms = at->get<std::int64_t>();
        if (!ms)
            return refusal{"INVALID_INPUT", "occurredAt must be an ISO-8601 timestamp or epoch milliseconds", ""};
        o.occurred_ms = *ms;
    }
    if (!o.uuid.empty() && c.st.config.events.reject_duplicate_uuids) {
        const bool earlier = batch_uuids && !batch_uuids->insert(o.event_name + '\x1f' + o.uuid).second;
        if (earlier || d.seen_uuids.count(o.uuid))
            return refusal{"DUPLICATE_UUID",
                           "An occurrence with uuid " + o.uuid + " was already accepted for event " + o.event_name, ""};
    }
    if (auto bad = check_properties(in, d, o)) return bad;
    const bool custom_id = d.custom_matching && o.properties.count(d.custom_matching->event_property);
    if (!custom_id && o.sent_object_id.empty() && o.email.empty() && o.utk.empty())
        return refusal{"MISSING_IDENTIFIER", "An occurrence needs one of objectId, email or utk", ""};
    o.object_type_id = d.primary_object_type_id;
    o.received_ms = c.now_ms();
    return std::nullopt;
}

// The highest-priority identifier that names a live record.
void
resolve(call& c, const event_definition& d, event_occurrence& o)
{
    auto* type = c.st.find_type(d.primary_object_type_id);
    if (!type) return;
    auto take = [&o](const record* r, const char* by) {
        if (!r || o.object_id) return;
        o.object_id = r->id;
        o.matched_by = by;
    };
    if (d.custom_matching)
        if (auto v = o.properties.find(d.custom_matching->event_property); v != o.properties.end())
            take(type->find_by_unique(d.custom_matching->target_object_property,
                                      lookup_key(type->find_property(d.custom_matching->target_object_property),
                                                 v->second)),
                 "customMatchingId");
    if (!o.sent_object_id.empty()) take(type->find_live(std::stoull(o.sent_object_id)), "objectId");
    if (!o.email.empty() && type->id == "0-1")
        take(type->find_by_unique("email", lookup_key(type->find_property("email"), o.email)), "email");
}

// Records the occurrence unless its uuid was already seen for the event type.
void
record_occurrence(call& c, pending& p)
{
    auto& d = *p.definition;
    auto& store = c.st.events;
    if (!p.occurrence.uuid.empty() && !d.seen_uuids.insert(p.occurrence.uuid).second) {
        ++store.duplicates_ignored;
        return;
    }
    resolve(c, d, p.occurrence);
    store.occurrences.push_back(std::move(p.occurrence));
}

hs_error
refused(const call& c, const refusal& r, std::optional<std::size_t> index)
{
    const auto where = index ? "inputs[" + std::to_string(*index) + "]: " : std::string{};
    auto body = error_head(c.cid, where + r.message);
    ojson detail;
    detail["message"] = r.message;
    detail["code"] = r.code;
    if (!r.property.empty()) detail["context"]["propertyName"] = ojson::array({r.property});
    if (index) detail["context"]["inputIndex"] = ojson::array({std::to_string(*index)});
    body["errors"] = ojson::array({detail});
    if (index) body["context"]["inputIndex"] = ojson::array({std::to_string(*index)});
    body["category"] = "VALIDATION_ERROR";
    return hs_error(400, std::move(body));
}

ojson
occurrence_json(const event_occurrence& o)
{
    auto opt = [](const std::string& s) { return s.empty() ? ojson(nullptr) : ojson(s); };
    ojson j = reserved_object(11);
    j["eventName"] = o.event_name;
    j["uuid"] = opt(o.uuid);
    j["occurredAt"] = iso8601_ms(o.occurred_ms);
    j["receivedAt"] = iso8601_ms(o.received_ms);
    j["objectTypeId"] = o.object_type_id;
    j["objectId"] = o.object_id ? ojson(std::to_string(*o.object_id)) : ojson(nullptr);
    j["matchedBy"] = opt(o.matched_by);
    j["sentObjectId"] = opt(o.sent_object_id);
    j["email"] = opt(o.email);
    j["utk"] = opt(o.utk);
    j["properties"] = o.properties;
    return j;
}
}  // namespace

reply
send_event(call& c)
{
    c.require(event_send_scopes());
    pending p;
    if (auto bad = check_occurrence(c, c.json_body(), p)) throw refused(c, *bad, std::nullopt);
    record_occurrence(c, p);
    return empty_reply(204);
}

reply
send_event_batch(call& c)
{
    c.require(event_send_scopes());
    const auto& body = c.json_body();
    if (!body.is_object() || !body.contains("inputs") || !body["inputs"].is_array())
        throw validation_error(c.cid, "Invalid input JSON: the body must be an object with an \"inputs\" array");
    const auto& inputs = body["inputs"];
    if (inputs.size() > max_batch_inputs)
        throw validation_error(c.cid, "A batch may carry at most 500 occurrences; this one has " +
                                          std::to_string(inputs.size()));
    // Check everything first so a refused batch records nothing.
    std::vector<pending> accepted(inputs.size());
    std::unordered_set<std::string> batch_uuids;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (auto bad = check_occurrence(c, inputs[i], accepted[i], &batch_uuids)) throw refused(c, *bad, i);
    for (auto& p : accepted) record_occurrence(c, p);
    return empty_reply(204);
}

reply
admin_events(call& c)
{
    const auto filter = c.query("eventName");
    std::string fq = filter;
    if (auto d = c.st.events.definitions.find(filter); d != c.st.events.definitions.end())
        fq = d->second.fully_qualified_name;
    ojson results = ojson::array();
    for (const auto& o : c.st.events.occurrences)
        if (filter.empty() || o.event_name == fq) results.push_back(occurrence_json(o));
    ojson body = reserved_object(3);
    body["total"] = results.size();
    body["duplicates_ignored"] = c.st.events.duplicates_ignored;
    body["results"] = std::move(results);
    return json_reply(200, std::move(body));
}

}  // namespace hubsync::emulator
