// Batch endpoints (hubspot-api.md §2.2-2.3, §2.7, §8.6-11).
//
// Write semantics: when every input carries a distinct objectWriteTraceId the batch is "partial": good inputs are
// written and bad ones reported in a 207's errors[]. Otherwise it is all-or-nothing: the first bad input decides
// the answer (400 with property details, or 409 CONFLICT) and the undo log restores the state.
#include "core/json_string.hpp"
#include "tests/emulator/batch_prep.hpp"
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/json_text.hpp"
#include "tests/emulator/records.hpp"
#include "tests/emulator/values.hpp"

#include <algorithm>
#include <optional>
#include <string_view>
#include <unordered_set>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

constexpr std::size_t max_inputs = 100;
constexpr std::size_t max_history_inputs = 50;

const json&
inputs_of(const call& c, const json& body)
{
    if (!body.is_object() || !body.contains("inputs") || !body["inputs"].is_array())
        throw validation_error(c.cid, "Invalid input JSON: the body must be an object with an \"inputs\" array");
    const auto& inputs = body["inputs"];
    if (inputs.size() > max_inputs)
        throw validation_error(c.cid,
                               "The maximum number of inputs supported in a batch request is 100. Please reduce the "
                               "number of items and try again");
    for (const auto& in : inputs)
        if (!in.is_object()) throw validation_error(c.cid, "Invalid input JSON: every input must be an object");
    return inputs;
}

std::string
trace_id(const json& input)
{
    auto it = input.find("objectWriteTraceId");
    if (it == input.end() || !it->is_string()) return {};
    return it->get<std::string>();
}

// Partial (207) mode needs a distinct trace id on every input.
bool
partial_mode(const json& inputs)
{
    if (inputs.empty()) return false;
    std::unordered_set<std::string> seen;
    for (const auto& in : inputs) {
        auto t = trace_id(in);
        if (t.empty() || !seen.insert(t).second) return false;
    }
    return true;
}

std::string
id_of(const json& input)
{
    auto it = input.find("id");
    return it == input.end() ? std::string{} : scalar_to_string(*it);
}

std::string
not_found_message(const object_type& t)
{
    return "Could not get some " + t.error_name +
           " objects, they may be deleted or not exist. Check that ids are valid.";
}

// The batch answer written as it is built ({"status","results","numErrors","errors","startedAt","completedAt"},
// the keys and order HubSpot uses): no ojson tree of a hundred records to build, dump and free.
class batch_answer {
public:
    explicit batch_answer(std::size_t inputs)
    {
        out_.reserve(256 + inputs * 640);
        out_ += R"({"status":"COMPLETE","results":[)";
    }
    // The buffer to write the next result into.
    std::string& next_result()
    {
        if (results_++) out_ += ',';
        return out_;
    }
    reply finish(const call& c, int ok_status, const ojson& errors)
    {
        out_ += ']';
        const bool failed = !errors.empty();
        if (failed) {
            out_ += R"(,"numErrors":)";
            out_ += std::to_string(errors.size());
            out_ += R"(,"errors":)";
            out_ += errors.dump();
        }
        out_ += R"(,"startedAt":")";
        append_iso8601_ms(out_, to_epoch_ms(c.now));
        out_ += R"(","completedAt":")";
        append_iso8601_ms(out_, to_epoch_ms(sys_clock::now()));
        out_ += "\"}";
        return serialized_reply(failed ? 207 : ok_status, std::move(out_));
    }

private:
    std::string out_;
    std::size_t results_ = 0;
};

// A written record's result: SimplePublicObject plus the input's trace id.
void
write_result(std::string& out, const object_type& t, const record& r, const std::string& trace)
{
    write_record_open(out, t, r, nullptr);
    if (!trace.empty()) {
        out += R"(,"objectWriteTraceId":)";
        core::append_json_string(out, trace);
    }
}

// Records a failed input: in partial mode as a 207 entry, otherwise by undoing the batch and answering with it.
void
fail_input(const call& c, bool partial, undo_log& undo, input_failure why, const std::string& trace, ojson& errors)
{
    if (!partial) {
        undo.rollback();
        throw to_error(c, why);
    }
    why.context["objectWriteTraceId"] = ojson::array({trace});
    errors.push_back(to_item_error(why));
}

// An input's (idProperty, lookup key): what makes two inputs name the same record.
using input_key = std::pair<std::string, std::string>;

// The keys named more than once, in order of their second appearance, without repeats.
std::vector<std::string>
duplicate_keys(const std::vector<input_key>& keys)
{
    struct pair_hash {
        std::size_t operator()(const std::pair<std::string_view, std::string_view>& k) const noexcept
        {
            const std::hash<std::string_view> h;
            return h(k.first) * 31 + h(k.second);
        }
    };
    std::unordered_set<std::pair<std::string_view, std::string_view>, pair_hash> seen;
    seen.reserve(keys.size());
    std::vector<std::string> dups;
    for (const auto& [prop, key] : keys) {
        if (!seen.emplace(prop, key).second && std::find(dups.begin(), dups.end(), key) == dups.end())
            dups.push_back(key);
    }
    return dups;
}

// 400 "Duplicate IDs found in batch input: [a, b]. IDs must be unique" (hubspot-api.md §8.10).
void
reject_duplicate_keys(const call& c, const std::vector<input_key>& keys)
{
    const auto dups = duplicate_keys(keys);
    if (dups.empty()) return;
    std::string list;
    for (const auto& d : dups) list += (list.empty() ? "" : ", ") + d;
    auto body = error_head(c.cid, "Duplicate IDs found in batch input: [" + list + "]. IDs must be unique");
    body["context"]["ids"] = dups;
    body["category"] = "VALIDATION_ERROR";
    throw hs_error(400, std::move(body));
}

void
reject_duplicate_ids(const call& c, const object_type& t, const json& inputs)
{
    std::vector<input_key> keys;
    keys.reserve(inputs.size());
    for (const auto& in : inputs) {
        std::string prop = in.value("idProperty", std::string{});
        auto key = lookup_key(t.find_property(prop), id_of(in));
        keys.emplace_back(std::move(prop), std::move(key));
    }
    reject_duplicate_keys(c, keys);
}

// The prep the handler may use: made against the schema the state still has.
batch_prep*
usable_prep(const call& c)
{
    return c.prep && c.prep->schema->version == c.st.schema_version() ? c.prep : nullptr;
}

// The number of inputs, and the parsed ones (null when the prep was read from the text and never parsed; the
// handler then needs nothing but the prep). inputs_of's checks come first either way: a prep exists only for
// inputs they accept.
const json*
parsed_inputs(call& c, const batch_prep* prep, std::size_t& n)
{
    if (prep && prep->from_text) {
        n = prep->inputs.size();
        return nullptr;
    }
    const auto& inputs = inputs_of(c, c.json_body());
    n = inputs.size();
    return &inputs;
}

// The refusal of a prepared input's values, if any.
bool
prepared_errors(const call& c, const prepared_input& in, input_failure& why)
{
    if (in.errors.empty()) return false;
    why = validation_failure(c, in.errors);
    return true;
}

const type_definition*
prep_type(const api::request& req, const schema_snapshot& schema)
{
    auto it = req.params.find("objectType");
    return it == req.params.end() ? nullptr : schema.find_type(it->second);
}

// The inputs as the prepare functions read them: from the parsed body, or straight from its text
// (read_batch_inputs). Both give the same strings; the text holds only inputs whose properties are an object.
class input_source {
public:
    // Null when the handler would refuse the body's shape (inputs_of), or the text is not of the usual shape.
    static std::optional<input_source> open(const api::request& req, const json* body)
    {
        input_source s;
        if (!body) {
            if (!read_batch_inputs(req.body, s.text_, max_inputs)) return std::nullopt;
            s.size_ = s.text_.size();
            return s;
        }
        if (!body->is_object()) return std::nullopt;
        auto it = body->find("inputs");
        if (it == body->end() || !it->is_array() || it->size() > max_inputs) return std::nullopt;
        for (const auto& in : *it)
            if (!in.is_object()) return std::nullopt;
        s.parsed_ = &*it;
        s.size_ = it->size();
        return s;
    }

    std::size_t size() const { return size_; }
    bool from_text() const { return parsed_ == nullptr; }
    std::string trace(std::size_t i) { return parsed_ ? trace_id((*parsed_)[i]) : std::move(text_[i].trace); }
    std::string id(std::size_t i) { return parsed_ ? id_of((*parsed_)[i]) : text_[i].id; }
    // in.value("idProperty", absent), which throws when it is not a string (the prepare step then gives up)
    std::string id_property(std::size_t i, const std::string& absent)
    {
        return parsed_ ? (*parsed_)[i].value("idProperty", absent) : text_[i].id_property.value_or(absent);
    }
    bool partial() const
    {
        if (parsed_) return partial_mode(*parsed_);
        if (text_.empty()) return false;
        std::unordered_set<std::string_view> seen;
        for (const auto& in : text_)
            if (in.trace.empty() || !seen.insert(in.trace).second) return false;
        return true;
    }
    // An upsert's properties: an object, without the id property among them.
    bool mergeable(std::size_t i, const std::string& id_property) const
    {
        if (!parsed_)
            return std::none_of(text_[i].properties.begin(), text_[i].properties.end(),
                                [&](const auto& p) { return p.first == id_property; });
        const auto& props = properties_of((*parsed_)[i]);
        return props.is_object() && !props.contains(id_property);
    }
    // convert_properties of input i's properties, for a new record or with no current record, into p.values and
    // p.errors, and the converted values' history entries into `prep`'s list (p.history_at, p.history_size).
    void convert(std::size_t i, property_finder& properties, batch_prep& prep, prepared_input& p, bool* checkbox)
    {
        p.history_at = prep.history.size();
        if (!parsed_) {
            p.errors = convert_property_list(properties, text_[i].properties, p.values, checkbox, &prep.history);
        } else {
            const auto& t = properties.type();
            p.errors = convert_properties(t, properties_of((*parsed_)[i]), nullptr, false, p.values, nullptr, checkbox);
            for (const auto& [name, value] : p.values)
                prep.history.push_back({value, 0, t.number_of(*t.find_property(name)), history_source::api});
        }
        p.history_size = prep.history.size() - p.history_at;
    }

private:
    const json* parsed_ = nullptr;
    std::vector<text_input> text_;
    std::size_t size_ = 0;
};

std::unique_ptr<batch_prep>
new_prep(const input_source& in)
{
    auto prep = std::make_unique<batch_prep>();
    prep->history.reserve(in.size() * 12);
    prep->from_text = in.from_text();
    prep->partial = in.partial();
    prep->inputs.resize(in.size());
    return prep;
}
}  // namespace

// With `body` null the prepare functions read the request's text (read_batch_inputs) and the handler will not
// parse it; otherwise they read the parsed body. Reading the text first partly, then giving up, costs little.
std::unique_ptr<batch_prep>
prepare_batch_create(const api::request& req, const json* body, std::shared_ptr<const schema_snapshot> schema)
{
    const auto* t = prep_type(req, *schema);
    auto in = input_source::open(req, body);
    if (!t || !in) return nullptr;
    auto prep = new_prep(*in);
    property_finder properties(*t);
    for (std::size_t i = 0; i < in->size(); ++i) {
        auto& p = prep->inputs[i];
        p.trace = in->trace(i);
        in->convert(i, properties, *prep, p, nullptr);
    }
    prep->schema = std::move(schema);
    return prep;
}

std::unique_ptr<batch_prep>
prepare_batch_update(const api::request& req, const json* body, std::shared_ptr<const schema_snapshot> schema)
{
    const auto* t = prep_type(req, *schema);
    auto in = input_source::open(req, body);
    if (!t || !in) return nullptr;
    auto prep = new_prep(*in);
    property_finder properties(*t);
    std::vector<input_key> keys;
    keys.reserve(in->size());
    for (std::size_t i = 0; i < in->size(); ++i) {
        auto& p = prep->inputs[i];
        p.id_property = in->id_property(i, {});
        if (!p.id_property.empty() && p.id_property != "hs_object_id" && !usable_id_property(*t, p.id_property))
            return nullptr;
        p.id = in->id(i);
        keys.emplace_back(p.id_property, lookup_key(t->find_property(p.id_property), p.id));
    }
    if (!duplicate_keys(keys).empty()) return nullptr;
    for (std::size_t i = 0; i < in->size(); ++i) {
        auto& p = prep->inputs[i];
        p.trace = in->trace(i);
        bool checkbox = false;
        in->convert(i, properties, *prep, p, &checkbox);
        p.convert_under_lock = checkbox;
        // Without the parsed body the handler cannot convert under the lock: parse after all.
        if (checkbox && prep->from_text) return nullptr;
    }
    prep->schema = std::move(schema);
    return prep;
}

std::unique_ptr<batch_prep>
prepare_batch_upsert(const api::request& req, const json* body, std::shared_ptr<const schema_snapshot> schema)
{
    const auto* t = prep_type(req, *schema);
    auto in = input_source::open(req, body);
    if (!t || !in) return nullptr;
    auto prep = new_prep(*in);
    property_finder properties(*t);
    std::vector<input_key> keys;
    keys.reserve(in->size());
    for (std::size_t i = 0; i < in->size(); ++i) {
        auto& p = prep->inputs[i];
        p.id_property = in->id_property(i, "hs_object_id");
        if (!usable_id_property(*t, p.id_property)) return nullptr;
        p.id = in->id(i);
        if (p.id.empty()) return nullptr;
        p.key = lookup_key(t->find_property(p.id_property), p.id);
        keys.emplace_back(p.id_property, p.key);
    }
    if (!duplicate_keys(keys).empty()) return nullptr;
    for (std::size_t i = 0; i < in->size(); ++i) {
        auto& p = prep->inputs[i];
        p.trace = in->trace(i);
        // An update converts the properties alone; a create adds the id property at its place in key order
        // (batch_upsert merges the two). Merging is only that simple when the properties are an object without
        // the id property in it.
        bool checkbox = !in->mergeable(i, p.id_property);
        if (!checkbox) {
            in->convert(i, properties, *prep, p, &checkbox);
            convert_property_value(*t, p.id_property, p.id, p.id_values, p.id_errors, &checkbox, &prep->history);
            p.id_history_size = prep->history.size() - p.history_at - p.history_size;
        }
        p.convert_under_lock = checkbox;
        if (checkbox && prep->from_text) return nullptr;
    }
    prep->schema = std::move(schema);
    return prep;
}

reply
batch_create(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, true));
    auto* prep = usable_prep(c);
    std::size_t n = 0;
    const auto* inputs = parsed_inputs(c, prep, n);
    const bool partial = prep ? prep->partial : partial_mode(*inputs);
    undo_log undo(c.st);
    batch_answer answer(n);
    ojson errors = ojson::array();
    for (std::size_t i = 0; i < n; ++i) {
        const auto trace = prep ? std::move(prep->inputs[i].trace) : trace_id((*inputs)[i]);
        input_failure why;
        record* r = nullptr;
        if (!prep) r = create_record(c, t, properties_of((*inputs)[i]), partial ? nullptr : &undo, why);
        else if (!prepared_errors(c, prep->inputs[i], why))
            r = create_converted(c, t, std::move(prep->inputs[i].values), partial ? nullptr : &undo, why, false,
                                 prepared_history(*prep, prep->inputs[i]));
        if (!r) {
            fail_input(c, partial, undo, std::move(why), trace, errors);
            continue;
        }
        auto& out = answer.next_result();
        write_result(out, t, *r, trace);
        out += '}';
    }
    undo.commit();
    return answer.finish(c, 201, errors);
}

reply
batch_read(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, false));
    const auto& body = c.json_body();
    const auto& inputs = inputs_of(c, body);
    std::vector<std::string> history;
    if (body.contains("propertiesWithHistory") && body["propertiesWithHistory"].is_array())
        for (const auto& n : body["propertiesWithHistory"]) history.push_back(scalar_to_string(n));
    history = prepare_names(std::move(history));
    if (!history.empty() && inputs.size() > max_history_inputs)
        throw validation_error(c.cid,
                               "The maximum number of inputs supported in a batch request for property histories is "
                               "50. Please reduce the number of items and try again");
    std::vector<std::string> names;
    if (body.contains("properties") && body["properties"].is_array())
        for (const auto& n : body["properties"]) names.push_back(scalar_to_string(n));
    else
        names = t.default_properties;
    names = prepare_names(std::move(names));
    const std::string id_property = body.value("idProperty", std::string{});
    const bool archived = c.query("archived") == "true";

    batch_answer answer(inputs.size());
    ojson errors = ojson::array();
    std::vector<std::string> missing;
    std::unordered_set<std::uint64_t> seen;
    for (const auto& in : inputs) {
        const auto id = id_of(in);
        auto* r = find_record_by(c, t, id, id_property, archived);
        if (!r) {
            if (std::find(missing.begin(), missing.end(), id) == missing.end()) missing.push_back(id);
            continue;
        }
        if (!seen.insert(r->id).second) continue;
        auto& out = answer.next_result();
        write_record_open(out, t, *r, &names, &history);
        out += '}';
    }
    if (!missing.empty()) {
        input_failure f;
        f.category = "OBJECT_NOT_FOUND";
        f.message = not_found_message(t);
        f.context["ids"] = missing;
        errors.push_back(to_item_error(f));
    }
    return answer.finish(c, 200, errors);
}

reply
batch_update(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, true));
    auto* prep = usable_prep(c);
    std::size_t n = 0;
    const auto* inputs = parsed_inputs(c, prep, n);
    if (!prep) {
        for (const auto& in : *inputs) {
            auto prop = in.value("idProperty", std::string{});
            if (!prop.empty() && prop != "hs_object_id" && !usable_id_property(t, prop))
                throw non_unique_id_property(c, t, prop);
        }
        reject_duplicate_ids(c, t, *inputs);
    }
    const bool partial = prep ? prep->partial : partial_mode(*inputs);
    undo_log undo(c.st);
    batch_answer answer(n);
    ojson errors = ojson::array();
    std::vector<std::string> missing;
    for (std::size_t i = 0; i < n; ++i) {
        auto* p = prep ? &prep->inputs[i] : nullptr;
        const auto trace = p ? std::move(p->trace) : trace_id((*inputs)[i]);
        const auto id = p ? std::move(p->id) : id_of((*inputs)[i]);
        auto* r = find_record_by(c, t, id, p ? p->id_property : (*inputs)[i].value("idProperty", std::string{}));
        if (!r) {
            if (partial) {
                input_failure f;
                f.category = "OBJECT_NOT_FOUND";
                f.message = not_found_message(t);
                f.context["ids"] = ojson::array({id});
                f.context["objectWriteTraceId"] = ojson::array({trace});
                errors.push_back(to_item_error(f));
            } else {
                missing.push_back(id);
            }
            continue;
        }
        input_failure why;
        const bool written =
            !p || p->convert_under_lock
                ? update_record(c, t, *r, properties_of((*inputs)[i]), partial ? nullptr : &undo, why)
                : !prepared_errors(c, *p, why) &&
                      update_converted(c, t, *r, std::move(p->values), partial ? nullptr : &undo, why,
                                       prepared_history(*prep, *p));
        if (!written) {
            fail_input(c, partial, undo, std::move(why), trace, errors);
            continue;
        }
        auto& out = answer.next_result();
        write_result(out, t, *r, trace);
        out += '}';
    }
    undo.commit();
    if (!missing.empty()) {
        input_failure f;
        f.category = "OBJECT_NOT_FOUND";
        f.message = not_found_message(t);
        f.context["ids"] = missing;
        errors.push_back(to_item_error(f));
    }
    return answer.finish(c, 200, errors);
}

reply
batch_upsert(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, true));
    auto* prep = usable_prep(c);
    std::size_t n = 0;
    const auto* inputs = parsed_inputs(c, prep, n);
    // Each input's idProperty and lookup key, worked out once: the checks and the writes below all use them.
    std::vector<input_key> keys;
    std::vector<std::string> ids;
    keys.reserve(n);
    ids.reserve(n);
    if (prep) {
        for (auto& p : prep->inputs) {
            keys.emplace_back(std::move(p.id_property), std::move(p.key));
            ids.push_back(std::move(p.id));
        }
    } else {
        for (const auto& in : *inputs) {
            // Without idProperty the id is a record id, i.e. hs_object_id, which HubSpot refuses for upserts.
            auto prop = in.value("idProperty", std::string{"hs_object_id"});
            if (!usable_id_property(t, prop)) throw non_unique_id_property(c, t, prop);
            auto id = id_of(in);
            if (id.empty()) throw validation_error(c.cid, "Invalid input JSON: every upsert input needs an id");
            auto key = lookup_key(t.find_property(prop), id);
            keys.emplace_back(std::move(prop), std::move(key));
            ids.push_back(std::move(id));
        }
        reject_duplicate_keys(c, keys);
    }
    const bool partial = prep ? prep->partial : partial_mode(*inputs);
    undo_log undo(c.st);
    // The answer is written once every input is done, in HubSpot's order (below).
    struct written {
        const record* r;
        std::string trace;
        bool existed;
    };
    std::vector<written> results;
    results.reserve(n);
    ojson errors = ojson::array();
    for (std::size_t i = 0; i < n; ++i) {
        // Only dereferenced without a usable prep (the body was then parsed).
        const json* in = inputs ? &(*inputs)[i] : nullptr;
        auto* p = prep && !prep->inputs[i].convert_under_lock ? &prep->inputs[i] : nullptr;
        auto trace = prep ? std::move(prep->inputs[i].trace) : trace_id(*in);
        const auto& [prop, key] = keys[i];
        const auto& id = ids[i];
        auto* existing = t.find_by_unique(prop, key);
        auto* saved = partial ? nullptr : &undo;
        input_failure why;
        record* r = nullptr;
        if (existing && p) {
            if (!prepared_errors(c, *p, why) &&
                update_converted(c, t, *existing, std::move(p->values), saved, why, prepared_history(*prep, *p)))
                r = existing;
        } else if (existing) {
            if (update_record(c, t, *existing, properties_of(*in), saved, why)) r = existing;
        } else if (p) {
            // The properties' conversion with the id property's merged in, as convert_properties would list them
            // with it as an extra: its error sits before the first error of a later name.
            if (!p->id_errors.empty()) {
                auto at = std::find_if(p->errors.begin(), p->errors.end(),
                                       [&](const property_error& e) { return e.name > prop; });
                p->errors.insert(at, p->id_errors.front());
            }
            if (!prepared_errors(c, *p, why)) {
                while (!p->id_values.empty()) p->values.insert(p->id_values.extract(p->id_values.begin()));
                r = create_converted(c, t, std::move(p->values), saved, why, false, prepared_history(*prep, *p, true),
                                     {&prop, &key});
            }
        } else {
            const json id_value = id;
            const extra_property id_property{prop, id_value};
            r = create_record(c, t, properties_of(*in), saved, why, false, &id_property);
        }
        if (!r) {
            fail_input(c, partial, undo, std::move(why), trace, errors);
            continue;
        }
        results.push_back({r, std::move(trace), existing != nullptr});
    }
    undo.commit();
    // HubSpot does not keep input order (hubspot-api.md §2.3); clients must match by id. Updated records come
    // first, each group in reverse input order, so a client relying on order fails here too. Records do not move;
    // two inputs naming one record through different unique properties both show it as the batch left it.
    batch_answer answer(n);
    for (const bool existed : {true, false})
        for (auto it = results.rbegin(); it != results.rend(); ++it) {
            if (it->existed != existed) continue;
            auto& out = answer.next_result();
            write_result(out, t, *it->r, it->trace);
            out += existed ? R"(,"new":false})" : R"(,"new":true})";
        }
    return answer.finish(c, 200, errors);
}

reply
batch_archive(call& c)
{
    auto& t = c.object_type_param();
    c.require(object_scopes(t, true));
    const auto& body = c.json_body();
    const auto& inputs = inputs_of(c, body);
    for (const auto& in : inputs)
        if (auto* r = find_record_by(c, t, id_of(in), {})) archive_record(c, t, *r);
    return empty_reply(204);
}

}  // namespace hubsync::emulator
