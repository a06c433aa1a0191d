#include "sync/object_decisions.hpp"

#include "core/text.hpp"

#include <charconv>
#include <regex>
#include <utility>
#include <unordered_map>

namespace hubsync::sync {

write_op
choose_write(const match_shape& m, const planned_row& r, bool reset_baseline)
{
    if (r.kind == change::removed) return write_op::forget;
    if (reset_baseline) return write_op::baseline;
    if (m.mode == write_mode::insert) {
        if (r.kind == change::changed && !r.pending) return write_op::keep_inserted;
        return m.unique ? write_op::create : write_op::search;
    }
    if (r.hubspot_id && r.kind == change::changed) return write_op::update_by_id;
    if (m.by_id) return write_op::update_by_id;
    if (m.unique) return m.mode == write_mode::update ? write_op::update_by_property : write_op::upsert_by_property;
    return write_op::search;
}

std::string
match_key(std::string value)
{
    return core::ascii_lower(std::move(value));
}

namespace {
bool
is_not_found(const std::string& category)
{
    return category == "OBJECT_NOT_FOUND";
}

input_verdict
verdict_of_error(const hubspot::input_error& e)
{
    input_verdict v;
    v.category = e.category;
    v.message = e.message;
    if (is_not_found(e.category)) {
        v.what = input_verdict::kind::not_found;
    } else if (auto c = as_conflict(e.category == "CONFLICT" ? 409 : 400, e.category, e.message)) {
        v.what = input_verdict::kind::conflict;
        v.existing_id = c->existing_id;
    } else {
        v.what = input_verdict::kind::refused;
    }
    return v;
}
}  // namespace

std::vector<input_verdict>
read_batch_answer(write_op op, const std::vector<sent_input>& inputs, const hubspot::batch_result& answer,
                  const std::string& match_property)
{
    std::vector<input_verdict> out(inputs.size());
    std::vector<bool> decided(inputs.size(), false);
    // Trace ids are looked up directly (they are usually the input's position); the maps by value are built only
    // when an answer does not echo them, since hashing every batch's values twice showed in the daemon's CPU.
    auto by_trace = [&](const std::string& trace) -> std::optional<std::size_t> {
        std::size_t at = 0;
        auto [end, ec] = std::from_chars(trace.data(), trace.data() + trace.size(), at);
        if (ec == std::errc() && end == trace.data() + trace.size() && at < inputs.size() && inputs[at].trace_id == trace)
            return at;
        for (std::size_t i = 0; i < inputs.size(); ++i)
            if (inputs[i].trace_id == trace) return i;
        return std::nullopt;
    };
    std::unordered_multimap<std::string, std::size_t> by_address, by_match;
    bool indexed = false;
    auto index = [&] {
        if (std::exchange(indexed, true)) return;
        for (std::size_t i = 0; i < inputs.size(); ++i) {
            if (!inputs[i].address.empty()) by_address.emplace(match_key(std::string(inputs[i].address)), i);
            if (!inputs[i].match_value.empty()) by_match.emplace(match_key(std::string(inputs[i].match_value)), i);
        }
    };
    auto first_open = [&](auto range) -> std::optional<std::size_t> {
        for (auto it = range.first; it != range.second; ++it)
            if (!decided[it->second]) return it->second;
        return std::nullopt;
    };

    for (const auto& e : answer.errors) {
        std::vector<std::size_t> named;
        if (e.trace_id) {
            if (auto i = by_trace(*e.trace_id)) named.push_back(*i);
        } else {
            index();
            for (const auto& id : e.ids) {
                auto range = by_address.equal_range(match_key(id));
                for (auto it = range.first; it != range.second; ++it) named.push_back(it->second);
            }
        }
        for (auto i : named) {
            if (decided[i]) continue;
            decided[i] = true;
            out[i] = verdict_of_error(e);
        }
    }

    const bool address_is_id = op == write_op::update_by_id;
    std::vector<const hubspot::record*> unpaired;
    for (const auto& r : answer.results) {
        std::optional<std::size_t> i;
        if (r.trace_id) {
            if (auto at = by_trace(*r.trace_id); at && !decided[*at]) i = at;
        }
        if (!i) index();
        if (!i && address_is_id) i = first_open(by_address.equal_range(match_key(r.id)));
        if (!i && !match_property.empty()) {
            if (auto p = r.properties.find(match_property); p != r.properties.end()) {
                auto key = match_key(p->second);
                // By property value: an update by id has record ids as addresses, so it pairs by match value too.
                i = op == write_op::create || op == write_op::update_by_id ? first_open(by_match.equal_range(key))
                                                                           : first_open(by_address.equal_range(key));
            }
        }
        if (!i) {
            unpaired.push_back(&r);
            continue;
        }
        decided[*i] = true;
        out[*i].what = input_verdict::kind::written;
        out[*i].id = r.id;
    }
    std::vector<std::size_t> open;
    for (std::size_t i = 0; i < inputs.size(); ++i)
        if (!decided[i]) open.push_back(i);
    // One input and one result left over can only belong together.
    if (open.size() == 1 && unpaired.size() == 1 && answer.errors.empty()) {
        decided[open[0]] = true;
        out[open[0]].what = input_verdict::kind::written;
        out[open[0]].id = unpaired[0]->id;
    }

    // One result per input and no error: every input was written, even those no result could be paired with (a
    // HubSpot that echoes neither the trace id nor the value); their ids are simply unknown. Not for a create: a
    // record whose id is unknown could not be found again before search shows it, so such inputs stay
    // unconfirmed and are looked for by the next run.
    const bool all_written =
        op != write_op::create && answer.errors.empty() && answer.results.size() == inputs.size();
    for (std::size_t i = 0; i < inputs.size(); ++i) {
        if (decided[i]) continue;
        if (all_written) {
            out[i].what = input_verdict::kind::written;
            continue;
        }
        out[i].what = input_verdict::kind::unconfirmed;
        out[i].message = "HubSpot's answer (" + std::to_string(answer.status) + ") did not confirm this row";
    }
    return out;
}

std::optional<std::string>
sync_level_problem(const hubspot::input_error& e)
{
    const bool gone = e.code == "PROPERTY_DOESNT_EXIST";
    const bool read_only = e.code == "READ_ONLY_VALUE" || e.message.find("is a read only property") != std::string::npos;
    if (!gone && !read_only) return std::nullopt;
    std::string names;
    for (const auto& p : e.properties) names += (names.empty() ? "'" : ", '") + p + "'";
    if (names.empty()) names = "a mapped property";
    if (gone)
        return "HubSpot has no property " + names +
               " any more (deleted since the sync was saved?): remove it from the sync's mappings, or create it again "
               "and refresh the destination's schema";
    return "property " + names +
           " is read-only in HubSpot now: remove it from the sync's mappings (HubSpot said: " + e.message + ")";
}

std::optional<std::string>
sync_level_problem(const hubspot::error_info& e)
{
    for (const auto& in : e.inputs)
        if (auto p = sync_level_problem(in)) return p;
    return std::nullopt;
}

std::optional<conflict_info>
as_conflict(int status, const std::string& category, const std::string& message)
{
    static const std::regex existing("Existing ID: ([0-9]+)");
    static const std::regex holder("already has that value ([A-Za-z0-9_.\\-]+)");
    std::smatch m;
    if (status == 409 || category == "CONFLICT") {
        conflict_info c;
        if (std::regex_search(message, m, existing)) c.existing_id = m[1].str();
        return c;
    }
    if (status == 400 && std::regex_search(message, m, holder)) {
        conflict_info c;
        c.property = m[1].str();
        return c;
    }
    return std::nullopt;
}

refusal_plan
plan_refusal(write_op op, std::size_t inputs, const hubspot::error_info& e)
{
    refusal_plan p;
    const int s = e.http_status;
    if (auto problem = sync_level_problem(e)) {
        p.message = *problem;
        return p;  // fail_run
    }
    if (s >= 500 || s == 423 || s == 429 || s == 477) {
        // The client already retried what may be retried; a create's 5xx may have been applied.
        p.what = op == write_op::create && s >= 500 ? refusal_plan::kind::unconfirmed : refusal_plan::kind::unavailable;
        p.message = "HubSpot answered " + std::to_string(s) + (e.message.empty() ? "" : ": " + e.message);
        return p;
    }
    if (s == 400 || s == 404 || s == 409) {
        if (inputs > 1) {
            p.what = refusal_plan::kind::narrow;
            return p;
        }
        p.what = refusal_plan::kind::per_row;
        const hubspot::input_error* about = e.inputs.empty() ? nullptr : &e.inputs.front();
        hubspot::input_error whole;
        if (!about) {
            whole.category = e.category;
            whole.message = e.message;
            about = &whole;
        }
        p.verdict = verdict_of_error(*about);
        if (s == 404) p.verdict.what = input_verdict::kind::not_found;
        if (auto c = as_conflict(s, e.category, e.message)) {
            p.verdict.what = input_verdict::kind::conflict;
            p.verdict.existing_id = c->existing_id ? c->existing_id : e.existing_id;
        }
        p.verdict.message = e.message;
        return p;
    }
    // 401, 403 (a missing scope) and the like belong to the token, not a row.
    p.message = "HubSpot refused the request (" + std::to_string(s) + "): " + e.message;
    return p;
}

}  // namespace hubsync::sync
