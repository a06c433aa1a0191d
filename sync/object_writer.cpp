#include "sync/object_writer.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "sync/record_search.hpp"

#include <set>

namespace hubsync::sync {

namespace {
using json = nlohmann::json;

// Enough to cover a large run's repeated values without letting memory grow with the model.
constexpr std::size_t max_remembered_creates = 100'000;

const char*
op_name(write_op op)
{
    switch (op) {
    case write_op::upsert_by_property: return "upsert";
    case write_op::create: return "create";
    default: return "update";
    }
}

std::vector<outgoing>
one(outgoing o)
{
    std::vector<outgoing> v;
    v.push_back(std::move(o));
    return v;
}
}  // namespace

object_writer::object_writer(const object_mapping& m, hubspot::objects_api objects, writer_settings s)
    : map_(m), objects_(std::move(objects)), settings_(s)
{
}

net::awaitable<std::vector<row_outcome>>
object_writer::write(write_op op, std::vector<outgoing> rows, send_context& ctx)
{
    outcomes out;
    switch (op) {
    case write_op::search: co_await by_search(std::move(rows), ctx, out); break;
    case write_op::create: co_await create_unique(std::move(rows), ctx, out); break;
    default: co_await send(op, std::move(rows), ctx, out); break;
    }
    co_return out;
}

void
object_writer::remember_created(const std::string& key, const std::string& id)
{
    if (created_.size() < max_remembered_creates) created_.emplace(key, id);
}

void
object_writer::written(const outgoing& o, write_op op, const std::optional<std::string>& id, outcomes& out)
{
    std::optional<std::string> record = map_.match_is_id ? std::optional<std::string>(o.match_value) : id;
    if (op == write_op::update_by_id && !record) record = o.row.hubspot_id;
    if (op == write_op::create && record && !map_.match_unique) remember_created(match_key(o.match_value), *record);
    out.push_back(row_outcome::synced(o.row, record));
}

void
object_writer::exists(const outgoing& o, const std::string& id, outcomes& out)
{
    // Insert mode reports an existing record and leaves it alone; the row is done with (synced to that record).
    auto r = row_outcome::failed(o.row, "exists",
                                 map_.object_name + " record " + id + " already has " + map_.match_property + " = '" +
                                     o.match_value + "'; insert mode does not overwrite it");
    r.state = store::row_state_update{o.row.pk, o.row.hash, id, "synced", std::nullopt};
    out.push_back(std::move(r));
}

void
object_writer::insert_found(const outgoing& o, const std::string& id, outcomes& out)
{
    // A pending row's record is this sync's own create, whose answer was lost: adopted. Any other is reported.
    if (o.row.pending) out.push_back(row_outcome::synced(o.row, id));
    else exists(o, id, out);
}

void
object_writer::unavailable(std::vector<outgoing>& rows, write_op op, const std::string& why, bool maybe_applied,
                           outcomes& out)
{
    for (auto& o : rows) {
        if (op == write_op::create && maybe_applied)
            out.push_back(row_outcome::unconfirmed(
                o.row, why + "; HubSpot may have created the record, so the next run looks for it before creating it"));
        else
            out.push_back(row_outcome::failed(o.row, "unavailable", why + "; the next run sends the row again"));
    }
    if (++unavailable_streak_ >= settings_.unavailable_batches)
        throw core::error(core::errc::unavailable,
                          "HubSpot did not take " + std::to_string(unavailable_streak_) +
                              " batches in a row (last: " + why + "); the run stops, and the next run sends the rest");
}

// The body is written from the rows' properties, lent to the inputs for that moment only: a narrowed batch and a
// re-matched row send them again.
net::awaitable<hubspot::batch_result>
object_writer::call(write_op op, std::vector<outgoing>& rows, std::vector<sent_input>& sent)
{
    std::vector<hubspot::batch_input> inputs;
    inputs.reserve(rows.size());
    sent.clear();
    std::vector<json> set_aside(rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        hubspot::batch_input b;
        b.trace_id = std::to_string(i);
        b.properties = std::move(rows[i].properties);
        sent_input s;
        s.trace_id = b.trace_id;
        if (!map_.match_is_id) s.match_value = rows[i].match_value;
        switch (op) {
        case write_op::upsert_by_property:
        case write_op::update_by_property:
            b.id = rows[i].match_value;
            b.id_property = map_.match_property;
            s.address = rows[i].match_value;
            break;
        case write_op::update_by_id:
            s.address = rows[i].row.hubspot_id && !map_.match_is_id ? *rows[i].row.hubspot_id : rows[i].match_value;
            b.id = std::string(s.address);
            if (map_.match_is_id) {
                // Not a property to write: the id is the address.
                auto it = b.properties.find(map_.match_property);
                if (it != b.properties.end()) {
                    set_aside[i] = json::object({{map_.match_property, std::move(*it)}});
                    b.properties.erase(it);
                }
            }
            break;
        default: break;
        }
        inputs.push_back(std::move(b));
        sent.push_back(std::move(s));
    }
    auto body = hubspot::batch_inputs_body(inputs);
    for (std::size_t i = 0; i < rows.size(); ++i) {
        rows[i].properties = std::move(inputs[i].properties);
        if (set_aside[i].is_object()) rows[i].properties.update(set_aside[i]);
    }
    // Only the match property is read back from the answer (the record id is always there).
    hubspot::result_properties keep = std::vector<std::string>{};
    if (!map_.match_is_id) keep->push_back(map_.match_property);
    co_return co_await objects_.batch_write(map_.object_path, op_name(op), std::move(body), std::move(keep));
}

net::awaitable<void>
object_writer::send(write_op op, std::vector<outgoing> rows, send_context& ctx, outcomes& out)
{
    if (rows.empty()) co_return;
    hubspot::batch_result res;
    std::vector<sent_input> sent;
    std::optional<hubspot::api_error> refused;
    std::optional<hubspot::transport_error> lost;
    std::optional<input_verdict> single;  // a whole-request refusal of a one-input batch: that input's verdict
    ctx.api_call();
    try {
        res = co_await call(op, rows, sent);
    } catch (const hubspot::api_error& e) {
        refused = e;
    } catch (const hubspot::transport_error& e) {
        lost = e;
    }
    if (lost) {
        unavailable(rows, op, "the connection to HubSpot failed (" + std::string(lost->what()) + ")",
                    lost->request_sent(), out);
        co_return;
    }
    if (refused) {
        auto plan = plan_refusal(op, rows.size(), refused->info());
        switch (plan.what) {
        case refusal_plan::kind::fail_run:
            if (sync_level_problem(refused->info())) throw core::error(core::errc::unprocessable, plan.message);
            throw *refused;
        case refusal_plan::kind::narrow: {
            auto half = rows.begin() + static_cast<std::ptrdiff_t>(rows.size() / 2);
            std::vector<outgoing> second(std::make_move_iterator(half), std::make_move_iterator(rows.end()));
            rows.erase(half, rows.end());
            co_await send(op, std::move(rows), ctx, out);
            co_await send(op, std::move(second), ctx, out);
            co_return;
        }
        case refusal_plan::kind::unconfirmed: unavailable(rows, op, plan.message, true, out); co_return;
        case refusal_plan::kind::unavailable: unavailable(rows, op, plan.message, false, out); co_return;
        case refusal_plan::kind::per_row: single = plan.verdict; break;
        }
    } else {
        unavailable_streak_ = 0;
    }
    for (const auto& e : res.errors)
        if (auto problem = sync_level_problem(e)) throw core::error(core::errc::unprocessable, *problem);

    auto verdicts = single ? std::vector<input_verdict>{*single}
                           : read_batch_answer(op, sent, res, map_.match_is_id ? std::string() : map_.match_property);
    std::vector<std::pair<outgoing, input_verdict>> conflicts;
    std::vector<outgoing> gone;
    for (std::size_t i = 0; i < rows.size(); ++i) {
        auto& o = rows[i];
        const auto& v = verdicts[i];
        switch (v.what) {
        case input_verdict::kind::written: written(o, op, v.id, out); break;
        case input_verdict::kind::not_found:
            if (op == write_op::update_by_id && o.row.hubspot_id && !map_.match_is_id &&
                map_.mode != write_mode::update && !o.rematched) {
                gone.push_back(std::move(o));  // deleted in HubSpot since: matched again below
                break;
            }
            out.push_back(row_outcome::failed(o.row, "not_found",
                                              "no " + map_.object_name + " record matches " + map_.match_property +
                                                  " = '" + o.match_value + "'"));
            break;
        case input_verdict::kind::conflict: conflicts.emplace_back(std::move(o), v); break;
        case input_verdict::kind::refused:
            out.push_back(row_outcome::failed(o.row, "hubspot", "HubSpot refused the row: " + v.message));
            break;
        case input_verdict::kind::unconfirmed:
            if (op == write_op::create)
                out.push_back(row_outcome::unconfirmed(
                    o.row, v.message + "; the next run looks for the record before creating it"));
            else
                out.push_back(row_outcome::failed(o.row, "unconfirmed", v.message + "; the next run sends it again"));
            break;
        }
    }
    co_await follow_ups(op, std::move(conflicts), std::move(gone), ctx, out);
}

net::awaitable<void>
object_writer::follow_ups(write_op op, std::vector<std::pair<outgoing, input_verdict>> conflicts,
                          std::vector<outgoing> gone, send_context& ctx, outcomes& out)
{
    for (auto& [o, v] : conflicts) {
        // Neither of HubSpot's conflict shapes (409 naming a record, 400 naming a property) reliably says which
        // unique property clashed. Only a create can clash on the match property, and a batch read by it tells
        // whether that is what happened; anything else is a clash with another record's unique value.
        std::optional<std::string> existing;
        if (op == write_op::create && map_.match_unique && !o.rematched) {
            auto found = co_await existing_by_property(one(o), ctx);
            if (auto it = found.find(match_key(o.match_value)); it != found.end()) existing = it->second;
        }
        if (!existing) {
            out.push_back(row_outcome::failed(o.row, "conflict",
                                              "another " + map_.object_name +
                                                  " record already holds a unique value this row writes (HubSpot: " +
                                                  v.message + ")"));
            continue;
        }
        if (map_.mode == write_mode::insert) {
            insert_found(o, *existing, out);
            continue;
        }
        // Upsert: someone created it meanwhile; update it instead.
        o.row.hubspot_id = *existing;
        o.rematched = true;
        co_await send(write_op::update_by_id, one(std::move(o)), ctx, out);
    }
    if (gone.empty()) co_return;
    for (auto& o : gone) {
        o.row.hubspot_id.reset();
        o.rematched = true;
    }
    if (map_.match_unique) co_await send(write_op::upsert_by_property, std::move(gone), ctx, out);
    else co_await by_search(std::move(gone), ctx, out);
}

net::awaitable<std::map<std::string, std::string>>
object_writer::existing_by_property(const std::vector<outgoing>& rows, send_context& ctx)
{
    std::vector<std::string> values;
    for (const auto& o : rows) values.push_back(o.match_value);
    ctx.api_call();
    std::vector<std::string> wanted{map_.match_property};
    auto res = co_await objects_.batch_read(map_.object_path, map_.match_property, values, wanted);
    std::map<std::string, std::string> out;
    for (const auto& r : res.results) {
        auto it = r.properties.find(map_.match_property);
        if (it != r.properties.end()) out[match_key(it->second)] = r.id;
    }
    co_return out;
}

// Creates by a unique property (insert mode): records that exist are reported, or adopted when they are this
// sync's own earlier create whose answer was lost. Batch read is consistent, unlike search.
net::awaitable<void>
object_writer::create_unique(std::vector<outgoing> rows, send_context& ctx, outcomes& out)
{
    if (rows.empty()) co_return;
    auto existing = co_await existing_by_property(rows, ctx);
    std::vector<outgoing> fresh;
    for (auto& o : rows) {
        auto it = existing.find(match_key(o.match_value));
        if (it == existing.end()) fresh.push_back(std::move(o));
        else insert_found(o, it->second, out);
    }
    co_await journal_and_create(std::move(fresh), ctx, out);
}

// Journal first: if the answer is lost (crash, reset, 5xx), the next run knows these creates may have happened.
net::awaitable<void>
object_writer::journal_and_create(std::vector<outgoing> rows, send_context& ctx, outcomes& out)
{
    if (rows.empty()) co_return;
    std::vector<store::row_state_update> pending;
    for (const auto& o : rows) pending.push_back({o.row.pk, std::nullopt, std::nullopt, "pending", std::nullopt});
    co_await ctx.journal(std::move(pending));
    co_await send(write_op::create, std::move(rows), ctx, out);
}

// One search batch at a time: batches in flight together would each miss the records the other is creating (search
// lags behind writes, and created_ learns of a record only from its create's answer) and create them twice.
net::awaitable<void>
object_writer::by_search(std::vector<outgoing> rows, send_context& ctx, outcomes& out)
{
    if (rows.empty()) co_return;
    if (!search_turn_) search_turn_ = std::make_unique<net::steady_timer>(co_await net::this_coro::executor);
    while (searching_) {
        search_turn_->expires_at(net::steady_timer::time_point::max());
        boost::system::error_code ec;
        co_await search_turn_->async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    searching_ = true;
    std::exception_ptr failed;
    try {
        co_await search_then_write(std::move(rows), ctx, out);
    } catch (...) {
        failed = std::current_exception();
    }
    searching_ = false;
    search_turn_->cancel();  // every waiter wakes; the first to run takes the turn, the others wait again
    if (failed) std::rethrow_exception(failed);
}

// Finds records by a non-unique property, then updates the single match, creates when there is none (upsert,
// insert), and refuses ambiguity.
net::awaitable<void>
object_writer::search_then_write(std::vector<outgoing> rows, send_context& ctx, outcomes& out)
{
    std::vector<std::string> values;
    for (const auto& o : rows) values.push_back(o.match_value);
    auto found = co_await find_by_property(objects_, ctx, map_.object_path, map_.match_property, std::move(values),
                                           map_.match_is_text);
    std::vector<outgoing> to_update, to_create, followers;
    std::set<std::string> creating;
    for (auto& o : rows) {
        const auto key = match_key(o.match_value);
        if (found.unsearchable.count(key)) {
            out.push_back(row_outcome::failed(o.row, "invalid_value",
                                              "the " + map_.match_property + " value is too long to search for in HubSpot "
                                              "(search bodies are limited to 3,000 characters)"));
            continue;
        }
        std::vector<std::string> ids;
        if (auto it = found.ids.find(key); it != found.ids.end()) ids = it->second;
        if (ids.empty())
            if (auto c = created_.find(key); c != created_.end()) ids.push_back(c->second);
        if (ids.size() > 1) {
            out.push_back(row_outcome::failed(
                o.row, "ambiguous",
                (ids.size() > 2 || ids[0] == "(many)" ? std::string("several ") : std::to_string(ids.size()) + " ") +
                    map_.object_name + " records have " + map_.match_property + " = '" + o.match_value +
                    "'; make the property unique, or clean up the duplicates"));
        } else if (ids.size() == 1) {
            if (map_.mode != write_mode::insert) {
                o.row.hubspot_id = ids[0];
                o.rematched = true;  // just found: if it is gone by the update, that is the row's error (no search again)
                to_update.push_back(std::move(o));
            } else {
                insert_found(o, ids[0], out);
            }
        } else if (map_.mode == write_mode::update) {
            out.push_back(row_outcome::failed(o.row, "not_found",
                                              "no " + map_.object_name + " record has " + map_.match_property + " = '" +
                                                  o.match_value + "'"));
        } else if (o.row.pending &&
                   o.row.pending_seconds < static_cast<std::int64_t>(settings_.search_settle.count())) {
            // Our earlier create may exist and not be searchable yet: creating again could duplicate it. The row
            // state is left as it is, so the wait counts from that create, not from this run.
            auto wait = row_outcome::unconfirmed(
                o.row, "an earlier create of this row may not be visible to HubSpot's search yet (it lags behind "
                       "writes); a run after " + std::to_string(settings_.search_settle.count()) +
                           " s looks again before creating anything");
            wait.state.reset();
            out.push_back(std::move(wait));
        } else if (!creating.insert(key).second) {
            followers.push_back(std::move(o));  // another row of this batch creates the record with this value
        } else {
            to_create.push_back(std::move(o));
        }
    }
    co_await send(write_op::update_by_id, std::move(to_update), ctx, out);
    co_await journal_and_create(std::move(to_create), ctx, out);
    std::vector<outgoing> follow;
    for (auto& o : followers) {
        auto c = created_.find(match_key(o.match_value));
        if (c == created_.end()) {
            out.push_back(row_outcome::failed(o.row, "not_sent",
                                              "another row with " + map_.match_property + " = '" + o.match_value +
                                                  "' was to create the record, and that create did not succeed"));
        } else if (map_.mode == write_mode::insert) {
            exists(o, c->second, out);
        } else {
            o.row.hubspot_id = c->second;
            o.rematched = true;
            follow.push_back(std::move(o));
        }
    }
    co_await send(write_op::update_by_id, std::move(follow), ctx, out);
}

}  // namespace hubsync::sync
