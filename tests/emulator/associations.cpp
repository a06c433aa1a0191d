// Associations v4 batch endpoints (hubspot-api.md §3.1-3.3, §8.15): create with label replacement, default
// association, read with paging, archive of whole pairs and of single labels.
//
// Unlike object batches, a write with an unknown or archived record is always partial: the other inputs are
// written and each failed one is a 207 error naming both ids (the shape is UNCONFIRMED; tests/emulator/README.md).
#include "tests/emulator/association_calls.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/values.hpp"

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

constexpr std::size_t max_write_inputs = 2000;
constexpr std::size_t max_read_inputs = 1000;
// To-records per from-record and page of batch/read; the rest follows with "after" (the single-record GET's cap).
constexpr std::size_t read_page_size = 500;

reply
batch_answer(const call& c, int ok_status, ojson results, ojson errors)
{
    ojson body = reserved_object(6);
    body["status"] = "COMPLETE";
    body["results"] = std::move(results);
    const bool failed = !errors.empty();
    if (failed) {
        body["numErrors"] = errors.size();
        body["errors"] = std::move(errors);
    }
    body["startedAt"] = iso8601(c.now);
    body["completedAt"] = iso8601(sys_clock::now());
    return json_reply(failed ? 207 : ok_status, std::move(body));
}

ojson
item_error(std::string_view category, std::string_view sub_category, std::string_view message, ojson context)
{
    ojson j = reserved_object(5);
    j["status"] = "error";
    j["category"] = category;
    if (!sub_category.empty()) j["subCategory"] = sub_category;
    j["message"] = message;
    j["context"] = std::move(context);
    return j;
}

// A write input whose records are not both live: OBJECT_NOT_FOUND naming the pair, and in "ids" the missing ones.
ojson
missing_record_error(const object_pair& p, const std::string& from_id, const std::string& to_id, bool from_ok,
                     bool to_ok)
{
    ojson ids = ojson::array();
    std::string what;
    if (!from_ok) {
        ids.push_back(from_id);
        what = p.from.error_name + " " + from_id;
    }
    if (!to_ok) {
        ids.push_back(to_id);
        what += (what.empty() ? "" : " and ") + p.to.error_name + " " + to_id;
    }
    ojson context = reserved_object(5);
    context["fromObjectId"] = ojson::array({from_id});
    context["toObjectId"] = ojson::array({to_id});
    context["fromObjectType"] = ojson::array({p.from.singular_name});
    context["toObjectType"] = ojson::array({p.to.singular_name});
    context["ids"] = std::move(ids);
    return item_error("OBJECT_NOT_FOUND", "", "Could not associate: " + what + " may be deleted or not exist.",
                      std::move(context));
}

ojson
same_record_error(const object_pair& p, const std::string& id)
{
    ojson context = reserved_object(2);
    context["fromObjectId"] = ojson::array({id});
    context["toObjectId"] = ojson::array({id});
    return item_error("VALIDATION_ERROR", "", "A " + p.from.singular_name + " cannot be associated with itself.",
                      std::move(context));
}

// Both records of a write input, when they are live; otherwise the 207 error to report.
bool
live_pair(call& c, const object_pair& p, const json& in, std::uint64_t& from_id, std::uint64_t& to_id, ojson& errors)
{
    const auto from = input_record_id(c, in, "from");
    const auto to = input_record_id(c, in, "to");
    const bool from_ok = from && p.from.find_live(*from);
    const bool to_ok = to && p.to.find_live(*to);
    if (!from_ok || !to_ok) {
        errors.push_back(missing_record_error(p, id_text(in, "from"), id_text(in, "to"), from_ok, to_ok));
        return false;
    }
    if (&p.from == &p.to && *from == *to) {
        errors.push_back(same_record_error(p, std::to_string(*from)));
        return false;
    }
    from_id = *from;
    to_id = *to;
    return true;
}

// The "to" records of one read input, live ones only, after the cursor. `from_text`: the id as given.
ojson
read_one(call& c, const object_pair& p, const std::string& from_text, std::optional<std::uint64_t> from_id,
         std::optional<std::uint64_t> after, ojson& errors)
{
    auto& store = c.st.associations;
    const auto* targets =
        from_id && p.from.find_live(*from_id) ? store.targets(p.from.id, p.to.id, *from_id) : nullptr;
    ojson to = ojson::array();
    std::optional<std::uint64_t> next;
    if (targets) {
        auto it = after ? targets->upper_bound(*after) : targets->begin();
        for (; it != targets->end(); ++it) {
            if (!p.to.find_live(it->first)) continue;  // archived records keep their links but are not shown
            if (to.size() == read_page_size) {
                next = to.back()["toObjectId"].get<std::uint64_t>();
                break;
            }
            ojson types = ojson::array();
            for (const auto& k : it->second) types.push_back(association_type_json(*store.find(k)));
            ojson item = reserved_object(2);
            item["toObjectId"] = it->first;
            item["associationTypes"] = std::move(types);
            to.push_back(std::move(item));
        }
    }
    if (to.empty() && (!after || !targets)) {
        // COMMUNITY-observed (several independent clients): a record with no associations, or none at all, is not
        // a result but an error of its own.
        ojson context = reserved_object(3);
        context["fromObjectId"] = ojson::array({from_text});
        context["fromObjectType"] = ojson::array({p.from.singular_name});
        context["toObjectType"] = ojson::array({p.to.singular_name});
        errors.push_back(item_error("OBJECT_NOT_FOUND", "crm.associations.NO_ASSOCIATIONS_FOUND",
                                    "No " + p.to.singular_name + " is associated with " + p.from.singular_name + " " +
                                        from_text + ".",
                                    std::move(context)));
        return nullptr;
    }
    ojson result = reserved_object(3);
    result["from"]["id"] = std::to_string(*from_id);
    result["to"] = std::move(to);
    if (next) result["paging"]["next"]["after"] = std::to_string(*next);
    return result;
}
}  // namespace

reply
association_batch_create(call& c)
{
    const auto p = association_pair(c, true);
    const auto& inputs = association_inputs(c, max_write_inputs);
    const auto base = unlabeled_type(c, p).key;
    // Every input's types are checked before anything is written: one bad type fails the request.
    std::vector<type_set> wanted;
    wanted.reserve(inputs.size());
    for (const auto& in : inputs) {
        input_record_id(c, in, "from");
        input_record_id(c, in, "to");
        wanted.push_back(input_types(c, p, in));
    }
    auto& store = c.st.associations;
    ojson results = ojson::array(), errors = ojson::array();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        std::uint64_t from_id = 0, to_id = 0;
        if (!live_pair(c, p, inputs[i], from_id, to_id, errors)) continue;
        // Label replacement (hubspot-api.md §3.3): the given types become the pair's labelled set; the unlabeled
        // type stays, as it does on every associated pair.
        auto s = std::move(wanted[i]);
        s.insert(base);
        ojson labels = ojson::array();
        for (const auto& k : s)
            if (const auto& label = store.find(k)->label) labels.push_back(*label);
        store.set_types(p.from.id, p.to.id, from_id, to_id, std::move(s));
        ojson r = reserved_object(5);
        r["fromObjectTypeId"] = p.from.id;
        r["fromObjectId"] = from_id;
        r["toObjectTypeId"] = p.to.id;
        r["toObjectId"] = to_id;
        r["labels"] = std::move(labels);
        results.push_back(std::move(r));
    }
    return batch_answer(c, 201, std::move(results), std::move(errors));
}

reply
association_batch_default(call& c)
{
    const auto p = association_pair(c, true);
    const auto& inputs = association_inputs(c, max_write_inputs);
    const auto& base = unlabeled_type(c, p);
    for (const auto& in : inputs) {
        input_record_id(c, in, "from");
        input_record_id(c, in, "to");
    }
    auto& store = c.st.associations;
    ojson results = ojson::array(), errors = ojson::array();
    for (const auto& in : inputs) {
        std::uint64_t from_id = 0, to_id = 0;
        if (!live_pair(c, p, in, from_id, to_id, errors)) continue;
        const auto* current = store.types(p.from.id, p.to.id, from_id, to_id);
        if (!current) store.set_types(p.from.id, p.to.id, from_id, to_id, {base.key});
        ojson r = reserved_object(3);
        r["from"]["id"] = std::to_string(from_id);
        r["to"]["id"] = std::to_string(to_id);
        r["associationSpec"]["associationCategory"] = category_name(base.key.category);
        r["associationSpec"]["associationTypeId"] = base.key.id;
        results.push_back(std::move(r));
    }
    return batch_answer(c, 200, std::move(results), std::move(errors));
}

reply
association_batch_read(call& c)
{
    const auto p = association_pair(c, false);
    const auto& inputs = association_inputs(c, max_read_inputs);
    ojson results = ojson::array(), errors = ojson::array();
    for (const auto& in : inputs) {
        auto id = in.find("id");
        if (id == in.end() || !(id->is_string() || id->is_number_integer()))
            throw validation_error(c.cid, "Invalid input JSON: every input needs an id");
        std::optional<std::uint64_t> after;
        if (auto a = in.find("after"); a != in.end() && !a->is_null()) {
            after = record_id_of(*a);
            if (!after) throw validation_error(c.cid, "Invalid paging cursor: " + scalar_to_string(*a));
        }
        auto r = read_one(c, p, scalar_to_string(*id), record_id_of(*id), after, errors);
        if (!r.is_null()) results.push_back(std::move(r));
    }
    return batch_answer(c, 200, std::move(results), std::move(errors));
}

reply
association_batch_archive(call& c)
{
    const auto p = association_pair(c, true);
    const auto& inputs = association_inputs(c, max_write_inputs);
    auto& store = c.st.associations;
    for (const auto& in : inputs) {
        const auto from_id = input_record_id(c, in, "from");
        auto to = in.find("to");
        if (to == in.end() || !to->is_array())
            throw validation_error(c.cid, "Invalid input JSON: every archive input needs a \"to\" array");
        if (!from_id) continue;  // no such record, so nothing to remove
        for (const auto& t : *to) {
            const auto id = t.is_object() ? t.value("id", json()) : json();
            if (const auto to_id = record_id_of(id)) store.set_types(p.from.id, p.to.id, *from_id, *to_id, {});
        }
    }
    return empty_reply(204);
}

reply
association_batch_archive_labels(call& c)
{
    const auto p = association_pair(c, true);
    const auto& inputs = association_inputs(c, max_write_inputs);
    std::vector<type_set> drop;
    drop.reserve(inputs.size());
    for (const auto& in : inputs) {
        input_record_id(c, in, "from");
        input_record_id(c, in, "to");
        drop.push_back(input_types(c, p, in));
    }
    auto& store = c.st.associations;
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        const auto from_id = input_record_id(c, inputs[i], "from");
        const auto to_id = input_record_id(c, inputs[i], "to");
        // Taking the unlabeled type off removes the whole association (hubspot-api.md §3.3).
        if (from_id && to_id) store.remove_types(p.from.id, p.to.id, *from_id, *to_id, drop[i]);
    }
    return empty_reply(204);
}

}  // namespace hubsync::emulator
