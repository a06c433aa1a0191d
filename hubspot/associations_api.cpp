#include "hubspot/associations_api.hpp"
#include "hubspot/json_fields.hpp"

#include <algorithm>
#include <set>
#include <unordered_map>
#include <utility>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

constexpr const char* no_associations = "crm.associations.NO_ASSOCIATIONS_FOUND";

// Record ids come as strings or numbers depending on the endpoint (and on spec versus docs: hubspot-api.md §3.2).
std::string
id_text(const json& v)
{
    if (v.is_string()) return v.get<std::string>();
    if (v.is_number_integer()) return v.dump();
    return {};
}

std::vector<std::string>
context_list(const json& error, const char* key)
{
    std::vector<std::string> out;
    auto ctx = error.find("context");
    if (ctx == error.end() || !ctx->is_object()) return out;
    auto list = ctx->find(key);
    if (list == ctx->end() || !list->is_array()) return out;
    for (const auto& v : *list) out.push_back(id_text(v));
    return out;
}

// The nested {"id": …} of a body object, e.g. result["from"].
std::string
nested_id(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end() || !it->is_object()) return {};
    auto id = it->find("id");
    return id == it->end() ? std::string{} : id_text(*id);
}

json
type_json(const association_type& t)
{
    return {{"associationCategory", t.category}, {"associationTypeId", t.type_id}};
}

json
pair_json(const association_input& in)
{
    return {{"from", {{"id", in.from_id}}}, {"to", {{"id", in.to_id}}}};
}

json
typed_inputs(const std::vector<association_input>& inputs)
{
    json arr = json::array();
    for (const auto& in : inputs) {
        auto j = pair_json(in);
        j["types"] = json::array();
        for (const auto& t : in.types) j["types"].push_back(type_json(t));
        arr.push_back(std::move(j));
    }
    return arr;
}

json
pair_inputs(const std::vector<association_input>& inputs)
{
    json arr = json::array();
    for (const auto& in : inputs) arr.push_back(pair_json(in));
    return arr;
}

std::string
dump(const json& body)
{
    return body.dump(-1, ' ', false, json::error_handler_t::replace);
}

// Finds the inputs an error is about from its context: the pair (fromObjectId + toObjectId), else the from id,
// else any input naming one of context.ids.
class input_index {
public:
    explicit input_index(const std::vector<association_input>& inputs)
    {
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            by_pair_[inputs[i].from_id + '\x1f' + inputs[i].to_id].push_back(i);
            by_from_[inputs[i].from_id].push_back(i);
            by_id_[inputs[i].from_id].insert(i);
            by_id_[inputs[i].to_id].insert(i);
        }
    }

    std::vector<std::size_t> find(const json& error) const
    {
        std::set<std::size_t> out;
        const auto from = context_list(error, "fromObjectId");
        const auto to = context_list(error, "toObjectId");
        if (!from.empty() && !to.empty()) {
            for (const auto& f : from)
                for (const auto& t : to) add(out, by_pair_, f + '\x1f' + t);
        } else if (!from.empty()) {
            for (const auto& f : from) add(out, by_from_, f);
        } else {
            for (const auto& id : context_list(error, "ids"))
                if (auto it = by_id_.find(id); it != by_id_.end()) out.insert(it->second.begin(), it->second.end());
        }
        return {out.begin(), out.end()};
    }

private:
    static void add(std::set<std::size_t>& out, const std::unordered_map<std::string, std::vector<std::size_t>>& m,
                    const std::string& key)
    {
        if (auto it = m.find(key); it != m.end()) out.insert(it->second.begin(), it->second.end());
    }

    std::unordered_map<std::string, std::vector<std::size_t>> by_pair_;
    std::unordered_map<std::string, std::vector<std::size_t>> by_from_;
    std::unordered_map<std::string, std::set<std::size_t>> by_id_;
};

// errors[] of a batch answer, each with what input_error leaves out: the subCategory and the inputs.
std::vector<association_error>
read_errors(const json& body, const input_index& index)
{
    std::vector<association_error> out;
    auto parsed = parse_batch_errors(body);  // the object entries of errors[], in order
    auto raw = body.find("errors");
    if (raw == body.end() || !raw->is_array()) return out;
    std::size_t next = 0;
    for (const auto& e : *raw) {
        if (!e.is_object() || next >= parsed.size()) continue;
        association_error err;
        err.error = std::move(parsed[next++]);
        err.sub_category = string_member(e, "subCategory");
        err.inputs = index.find(e);
        out.push_back(std::move(err));
    }
    return out;
}

std::vector<association_type>
type_list(const json& list)
{
    std::vector<association_type> out;
    if (!list.is_array()) return out;
    for (const auto& t : list)
        if (t.is_object()) out.push_back(parse_association_type(t));
    return out;
}
}  // namespace

association_type
parse_association_type(const json& j)
{
    association_type t;
    t.category = string_member(j, "category");
    if (t.category.empty()) t.category = string_member(j, "associationCategory");
    auto id = j.find("typeId");
    if (id == j.end()) id = j.find("associationTypeId");
    if (id != j.end() && id->is_number_integer()) t.type_id = id->get<int>();
    if (auto label = j.find("label"); label != j.end() && label->is_string()) t.label = label->get<std::string>();
    return t;
}

association_batch_result
parse_association_batch(int status, const std::string& body, const std::vector<association_input>& inputs)
{
    association_batch_result out;
    out.status = status;
    if (body.empty()) return out;
    auto j = json::parse(body, nullptr, false);
    if (!j.is_object()) return out;
    if (auto results = j.find("results"); results != j.end() && results->is_array()) {
        for (const auto& r : *results) {
            if (!r.is_object()) continue;
            association_result a;
            if (r.contains("fromObjectId")) {
                a.from_id = id_text(r["fromObjectId"]);
                a.to_id = id_text(r.value("toObjectId", json()));
            } else {
                a.from_id = nested_id(r, "from");
                a.to_id = nested_id(r, "to");
            }
            if (auto labels = r.find("labels"); labels != r.end() && labels->is_array())
                for (const auto& l : *labels)
                    if (l.is_string()) a.labels.push_back(l.get<std::string>());
            if (auto spec = r.find("associationSpec"); spec != r.end() && spec->is_object())
                a.type = parse_association_type(*spec);
            out.results.push_back(std::move(a));
        }
    }
    out.errors = read_errors(j, input_index(inputs));
    return out;
}

net::awaitable<http_response>
associations_api::post(std::string target, std::string endpoint, std::string body, bool idempotent)
{
    call c;
    c.method = http::verb::post;
    c.target = std::move(target);
    c.body = std::move(body);
    c.endpoint = std::move(endpoint);
    c.idempotent = idempotent;
    co_return co_await client_.send(std::move(c));
}

net::awaitable<std::vector<association_type>>
associations_api::labels(std::string from, std::string to)
{
    call c;
    c.target = paths_.association_labels(from, to);
    c.endpoint = "associations.labels";
    auto res = co_await client_.send(std::move(c));
    auto j = json::parse(res.body, nullptr, false);
    co_return j.is_object() ? type_list(j.value("results", json())) : std::vector<association_type>{};
}

net::awaitable<std::vector<association_type>>
associations_api::create_label(std::string from, std::string to, std::string label,
                               std::optional<std::string> inverse_label, std::string name)
{
    json body = {{"label", label}, {"name", name}};
    if (inverse_label) body["inverseLabel"] = *inverse_label;
    // A second delivery would create a second label (or fail on the taken name), so it is never re-sent.
    auto res = co_await post(paths_.association_labels(from, to), "associations.create_label", dump(body), false);
    auto j = json::parse(res.body, nullptr, false);
    co_return j.is_object() ? type_list(j.value("results", json())) : std::vector<association_type>{};
}

net::awaitable<association_batch_result>
associations_api::batch_create(std::string from, std::string to, std::vector<association_input> inputs)
{
    json body = {{"inputs", typed_inputs(inputs)}};
    // Safe to re-send after a lost answer, unlike an object create: the call sets each pair's label set to the
    // given types (label replacement, hubspot-api.md §3.3), so a second delivery leaves what the first one did.
    auto res = co_await post(paths_.association_batch(from, to, "create"), "associations.batch_create", dump(body),
                             true);
    co_return parse_association_batch(res.status, res.body, inputs);
}

net::awaitable<association_batch_result>
associations_api::batch_associate_default(std::string from, std::string to, std::vector<association_input> pairs)
{
    json body = {{"inputs", pair_inputs(pairs)}};
    // Adding a type a pair already has changes nothing: idempotent.
    auto res = co_await post(paths_.association_batch(from, to, "associate/default"), "associations.batch_default",
                             dump(body), true);
    co_return parse_association_batch(res.status, res.body, pairs);
}

net::awaitable<association_read_result>
associations_api::batch_read(std::string from, std::string to, std::vector<std::string> from_ids)
{
    association_read_result out;
    std::vector<association_input> index_inputs;
    index_inputs.reserve(from_ids.size());
    for (const auto& id : from_ids) index_inputs.push_back({id, {}, {}, {}});
    const input_index index(index_inputs);

    // A from id is sent once; later pages ask again for the ids HubSpot gave a cursor.
    std::vector<std::pair<std::string, std::optional<std::string>>> pending;
    std::set<std::string> seen;
    for (const auto& id : from_ids)
        if (seen.insert(id).second) {
            pending.emplace_back(id, std::nullopt);
            out.by_from[id];
        }
    std::set<std::string> failed;
    while (!pending.empty()) {
        std::vector<std::pair<std::string, std::optional<std::string>>> next;
        for (std::size_t start = 0; start < pending.size(); start += max_association_read_inputs) {
            const auto end = std::min(pending.size(), start + max_association_read_inputs);
            json inputs = json::array();
            std::map<std::string, std::string> sent_after;
            for (std::size_t i = start; i < end; ++i) {
                json in = {{"id", pending[i].first}};
                if (pending[i].second) in["after"] = *pending[i].second;
                sent_after[pending[i].first] = pending[i].second.value_or("");
                inputs.push_back(std::move(in));
            }
            json body = {{"inputs", std::move(inputs)}};
            auto res = co_await post(paths_.association_batch(from, to, "read"), "associations.batch_read",
                                     dump(body), true);
            auto j = json::parse(res.body, nullptr, false);
            if (!j.is_object()) continue;
            if (auto results = j.find("results"); results != j.end() && results->is_array()) {
                for (const auto& r : *results) {
                    if (!r.is_object()) continue;
                    const auto id = nested_id(r, "from");
                    auto& records = out.by_from[id];
                    if (auto list = r.find("to"); list != r.end() && list->is_array())
                        for (const auto& t : *list)
                            if (t.is_object())
                                records.push_back({id_text(t.value("toObjectId", json())),
                                                   type_list(t.value("associationTypes", json()))});
                    std::string after;
                    if (auto paging = r.find("paging"); paging != r.end() && paging->is_object())
                        if (auto nx = paging->find("next"); nx != paging->end() && nx->is_object())
                            after = id_text(nx->value("after", json()));
                    // A cursor that does not move would loop forever.
                    if (!after.empty() && sent_after.count(id) && sent_after[id] != after) next.emplace_back(id, after);
                }
            }
            for (auto& e : read_errors(j, index)) {
                if (e.sub_category == no_associations) continue;  // a record without associations: stays empty
                for (auto i : e.inputs) failed.insert(from_ids[i]);
                out.errors.push_back(std::move(e));
            }
        }
        pending = std::move(next);
    }
    for (const auto& id : failed) out.by_from.erase(id);
    co_return out;
}

net::awaitable<association_batch_result>
associations_api::batch_archive(std::string from, std::string to, std::vector<association_input> pairs)
{
    // HubSpot takes one input per from id with all of its to ids.
    json inputs = json::array();
    std::unordered_map<std::string, std::size_t> slot;
    for (const auto& p : pairs) {
        auto [it, fresh] = slot.emplace(p.from_id, inputs.size());
        if (fresh) inputs.push_back({{"from", {{"id", p.from_id}}}, {"to", json::array()}});
        inputs[it->second]["to"].push_back({{"id", p.to_id}});
    }
    json body = {{"inputs", std::move(inputs)}};
    auto res = co_await post(paths_.association_batch(from, to, "archive"), "associations.batch_archive", dump(body),
                             true);
    co_return parse_association_batch(res.status, res.body, pairs);
}

net::awaitable<association_batch_result>
associations_api::batch_archive_labels(std::string from, std::string to, std::vector<association_input> inputs)
{
    json body = {{"inputs", typed_inputs(inputs)}};
    auto res = co_await post(paths_.association_batch(from, to, "labels/archive"), "associations.batch_archive_labels",
                             dump(body), true);
    co_return parse_association_batch(res.status, res.body, inputs);
}

}  // namespace hubsync::hubspot
