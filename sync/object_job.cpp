#include "sync/object_job.hpp"
#include "core/text.hpp"

#include "connectors/postgres/model_reader.hpp"
#include "core/error.hpp"
#include "core/log.hpp"
#include "hubspot/api_error.hpp"
#include "hubspot/objects_api.hpp"
#include "store/row_state.hpp"
#include "sync/read_ahead.hpp"
#include "sync/value_conversion.hpp"
#include "sync/work_queue.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace hubsync::sync {

namespace {
using json = nlohmann::json;

// How one row reaches HubSpot.
enum class write_op {
    upsert_by_property,  // batch/upsert with idProperty: create or update in one idempotent call
    update_by_id,        // batch/update by record id (known from row state, or the match column is the id)
    update_by_property,  // batch/update with idProperty (update mode, unique match property)
    create,              // batch/create (insert mode, or upsert without a unique property and no record found)
    search,              // the match property is not unique: find the record by search first
    baseline,            // nothing to send: adopt the row as synced (reset_baseline, insert mode's changed rows)
};

constexpr std::size_t batch_rows = hubspot::max_batch_inputs;
constexpr std::size_t removal_chunk = 1000;

// The sync's configuration resolved against the portal schema, once per run.
struct mapping_plan {
    std::string object_path;   // object type id, for the API paths
    std::string object_name;
    std::string mode;          // upsert | update | insert
    std::string match_column;
    std::string match_property;
    bool match_is_id = false;  // hs_object_id / id: the column holds record ids
    bool match_unique = false; // usable as idProperty
    hubspot::property_info match_info;
    std::vector<connectors::postgres::column> columns;  // what the reader reads: the match column, then mappings
    std::vector<column_kind> kinds;
    std::vector<hubspot::property_info> properties;     // for columns[1..]
};

core::error
run_failure(const std::string& message)
{
    return core::error(core::errc::unprocessable, message);
}

mapping_plan
resolve(const object_job_inputs& in)
{
    const auto& cfg = in.sync.config;
    mapping_plan p;
    const auto* object = in.schema->object(cfg.value("object", ""));
    if (!object)
        throw run_failure("the portal has no object '" + cfg.value("object", "") +
                          "' (refresh the destination's schema if it was just created)");
    p.object_path = object->object_type_id;
    p.object_name = object->name;
    p.mode = cfg.value("mode", "upsert");
    p.match_column = cfg["match"].value("column", "");
    p.match_property = cfg["match"].value("property", "");
    p.match_is_id = p.match_property == "hs_object_id" || p.match_property == "id";
    if (!p.match_is_id) {
        const auto* info = object->property(p.match_property);
        if (!info) throw run_failure(object->name + " has no property '" + p.match_property + "' any more");
        p.match_info = *info;
        p.match_unique = object->can_match_by(*info);
    }
    std::map<std::string, std::string> types;
    for (const auto& c : in.model.columns) types[c.value("name", "")] = c.value("type", "text");
    auto add_column = [&](const std::string& name) {
        auto t = types.find(name);
        if (t == types.end())
            throw run_failure("the model has no column '" + name + "' any more: fix the model or the sync");
        p.columns.push_back({name, t->second});
        p.kinds.push_back(kind_of(t->second));
    };
    add_column(p.match_column);
    for (const auto& m : cfg.value("mappings", json::array())) {
        auto name = m.value("property", "");
        const auto* info = object->property(name);
        if (!info) throw run_failure(object->name + " has no property '" + name + "' any more");
        if (info->read_only || info->calculated)
            throw run_failure("property '" + name + "' of " + object->name + " is read-only in HubSpot now");
        add_column(m.value("column", ""));
        p.properties.push_back(*info);
    }
    return p;
}

write_op
choose(const mapping_plan& p, const planned_row& r, const run_options& o)
{
    if (o.reset_baseline) return write_op::baseline;
    if (p.mode == "insert") return r.kind == change::changed ? write_op::baseline : write_op::create;
    if (r.hubspot_id && r.kind == change::changed) return write_op::update_by_id;
    if (p.match_is_id) return write_op::update_by_id;
    if (p.match_unique) return p.mode == "update" ? write_op::update_by_property : write_op::upsert_by_property;
    return write_op::search;
}

struct work_item {
    write_op op = write_op::upsert_by_property;
    std::vector<planned_row> rows;
    std::vector<std::string> removed;  // row state of rows gone from the model
};

// The planner's sink: groups rows by how they are written and hands full batches to the senders.
class batching_sink final : public plan_sink {
public:
    struct stop_planning {};

    batching_sink(const mapping_plan& p, const run_options& o, std::shared_ptr<work_queue<work_item>> q,
                  std::shared_ptr<run_tracker> t)
        : plan_(p), options_(o), queue_(std::move(q)), tracker_(std::move(t))
    {
    }

    void row(planned_row&& r) override
    {
        if (tracker_->cancelled()) throw stop_planning{};
        if (r.kind == change::removed) {
            removed_.push_back(std::move(r.pk));
            if (removed_.size() >= removal_chunk) flush_removed();
            return;
        }
        auto op = choose(plan_, r, options_);
        auto& buffer = buffers_[op];
        buffer.push_back(std::move(r));
        if (buffer.size() >= batch_rows) flush(op);
    }

    void problem(row_problem&& p) override
    {
        tracker_->row_error(std::move(p.pk), "invalid_key", std::move(p.message));
    }

    void finish()
    {
        for (auto& [op, rows] : buffers_)
            if (!rows.empty()) flush(op);
        flush_removed();
    }

private:
    void flush(write_op op)
    {
        work_item item;
        item.op = op;
        item.rows = std::exchange(buffers_[op], {});
        if (!queue_->push(std::move(item))) throw stop_planning{};
    }

    void flush_removed()
    {
        if (removed_.empty()) return;
        work_item item;
        item.removed = std::exchange(removed_, {});
        if (!queue_->push(std::move(item))) throw stop_planning{};
    }

    const mapping_plan& plan_;
    const run_options& options_;
    std::shared_ptr<work_queue<work_item>> queue_;
    std::shared_ptr<run_tracker> tracker_;
    std::map<write_op, std::vector<planned_row>> buffers_;
    std::vector<std::string> removed_;
};

// One row on its way to HubSpot.
struct outgoing {
    planned_row row;
    json properties = json::object();
    std::string match_value;   // converted; the idProperty value, or the record id when the match is the id
};

// Sends batches, maps HubSpot's answers back to rows and commits their row state.
class batch_writer {
public:
    batch_writer(job_env env, const mapping_plan& p, const object_job_inputs& in, std::shared_ptr<run_tracker> t)
        : env_(env), plan_(p), in_(in), tracker_(std::move(t)), objects_(*in.destination.client, in.destination.paths)
    {
    }

    net::awaitable<void> process(work_item item)
    {
        if (!item.removed.empty()) {
            // Object syncs leave HubSpot's records alone; the row state of rows gone from the model goes.
            if (in_.options.dry_run) co_return;
            auto n = static_cast<std::int64_t>(item.removed.size());
            co_await commit({}, std::move(item.removed));
            tracker_->succeeded(change::removed, n);
            co_return;
        }
        std::vector<outgoing> ready;
        std::vector<store::row_state_update> updates;
        for (auto& r : item.rows) {
            outgoing o;
            o.row = std::move(r);
            if (convert(o, updates)) ready.push_back(std::move(o));
        }
        if (in_.options.dry_run) {
            dry_run(item.op, ready);
            co_return;
        }
        switch (item.op) {
        case write_op::baseline:
            for (auto& o : ready) {
                updates.push_back({o.row.pk, o.row.hash, std::nullopt, "synced", std::nullopt});
                if (plan_.mode == "insert" && o.row.kind == change::changed) continue;  // not sent, by design
                tracker_->succeeded(o.row.kind);
            }
            break;
        case write_op::search: co_await by_search(std::move(ready), updates); break;
        case write_op::create: co_await create(std::move(ready), updates); break;
        default: co_await send(item.op, std::move(ready), updates); break;
        }
        co_await commit(std::move(updates), {});
    }

private:
    // Converts the row's values; a value that cannot be sent makes the row fail here.
    bool convert(outgoing& o, std::vector<store::row_state_update>& updates)
    {
        const auto& values = o.row.values;
        auto fail = [&](const std::string& message) {
            failed(o.row, "invalid_value", message, updates);
            return false;
        };
        const auto& match = values.at(0);
        if (!match || match->find_first_not_of(" \t") == std::string::npos)
            return fail("the match column '" + plan_.match_column + "' is empty, so the row cannot be matched");
        if (plan_.match_is_id) {
            o.match_value = *match;
            if (o.match_value.find_first_not_of("0123456789") != std::string::npos)
                return fail("column " + plan_.match_column + ": '" + o.match_value + "' is not a HubSpot record id");
        } else {
            auto c = convert_value(plan_.match_column, std::string_view(*match), plan_.kinds[0], plan_.match_info);
            if (!c.ok()) return fail(c.error);
            o.match_value = c.value;
            o.properties[plan_.match_property] = c.value;
        }
        for (std::size_t i = 0; i < plan_.properties.size(); ++i) {
            const auto& v = values.at(i + 1);
            std::optional<std::string_view> raw;
            if (v) raw = std::string_view(*v);
            auto c = convert_value(plan_.columns[i + 1].name, raw, plan_.kinds[i + 1], plan_.properties[i]);
            if (!c.ok()) return fail(c.error);
            o.properties[plan_.properties[i].name] = std::move(c.value);
        }
        return true;
    }

    void failed(const planned_row& r, const std::string& category, const std::string& message,
                std::vector<store::row_state_update>& updates)
    {
        tracker_->failed(r.kind);
        tracker_->row_error(r.pk, category, message);
        updates.push_back({r.pk, std::nullopt, std::nullopt, "failed", message});
    }

    void succeeded(const outgoing& o, std::optional<std::string> id, std::vector<store::row_state_update>& updates)
    {
        tracker_->succeeded(o.row.kind);
        updates.push_back({o.row.pk, o.row.hash, std::move(id), "synced", std::nullopt});
    }

    void dry_run(write_op op, const std::vector<outgoing>& ready)
    {
        std::lock_guard lock(dry_mutex_);
        for (const auto& o : ready) {
            if (sample_.size() >= 20) break;
            sample_.push_back({{"primary_key", o.row.pk},
                               {"change", o.row.kind == change::added ? "added" : "changed"},
                               {"properties", o.properties}});
        }
        if (op != write_op::baseline) {
            projected_ += 1;
            if (op == write_op::search) projected_ += 1;  // the look-up, then the write
        }
        tracker_->extra("sample", sample_);
        tracker_->extra("projected_api_calls", projected_);
    }

    // A match value as HubSpot compares it: it stores emails in lower case.
    std::string match_key(std::string value) const
    {
        if (plan_.match_property == "email") return core::ascii_lower(std::move(value));
        return value;
    }

    bool same_value(const std::string& a, const std::string& b) const { return match_key(a) == match_key(b); }

    // Record ids of a batch's results by match key: results do not come back in input order.
    std::unordered_map<std::string, std::string> ids_by_match(const hubspot::batch_result& res) const
    {
        std::unordered_map<std::string, std::string> out;
        if (plan_.match_is_id) return out;
        out.reserve(res.results.size());
        for (const auto& r : res.results) {
            auto it = r.properties.find(plan_.match_property);
            if (it != r.properties.end()) out.emplace(match_key(it->second), r.id);
        }
        return out;
    }

    std::optional<std::string> id_for(const outgoing& o, const std::unordered_map<std::string, std::string>& ids) const
    {
        if (plan_.match_is_id) return o.match_value;
        auto it = ids.find(match_key(o.match_value));
        if (it == ids.end()) return std::nullopt;
        return it->second;
    }

    // The body is written from the rows' properties, lent to the inputs for that moment only: halving a refused
    // batch and re-matching gone records send them again.
    net::awaitable<hubspot::batch_result> call(write_op op, std::vector<outgoing>& rows)
    {
        std::vector<hubspot::batch_input> inputs;
        inputs.reserve(rows.size());
        std::vector<json> set_aside(rows.size());
        for (std::size_t i = 0; i < rows.size(); ++i) {
            hubspot::batch_input b;
            b.trace_id = std::to_string(i);
            b.properties = std::move(rows[i].properties);
            switch (op) {
            case write_op::upsert_by_property:
            case write_op::update_by_property:
                b.id = rows[i].match_value;
                b.id_property = plan_.match_property;
                break;
            case write_op::update_by_id:
                b.id = rows[i].row.hubspot_id && !plan_.match_is_id ? *rows[i].row.hubspot_id : rows[i].match_value;
                if (plan_.match_is_id) {
                    // Not a property to write: the id is the address.
                    auto it = b.properties.find(plan_.match_property);
                    if (it != b.properties.end()) {
                        set_aside[i] = json::object({{plan_.match_property, std::move(*it)}});
                        b.properties.erase(it);
                    }
                }
                break;
            default: break;
            }
            inputs.push_back(std::move(b));
        }
        auto body = hubspot::batch_inputs_body(inputs);
        for (std::size_t i = 0; i < rows.size(); ++i) {
            rows[i].properties = std::move(inputs[i].properties);
            if (set_aside[i].is_object()) rows[i].properties.update(set_aside[i]);
        }
        tracker_->api_calls();
        // Only the match property is read back from the answer (the record id is always there).
        hubspot::result_properties keep = std::vector<std::string>{};
        if (!plan_.match_is_id) keep->push_back(plan_.match_property);
        const char* name = op == write_op::upsert_by_property ? "upsert" : op == write_op::create ? "create" : "update";
        co_return co_await objects_.batch_write(plan_.object_path, name, std::move(body), std::move(keep));
    }

    // A whole-request refusal about the inputs (400/404/409 without per-input errors) is narrowed down by halving,
    // so one bad row fails alone; anything else fails the run.
    static bool about_inputs(const hubspot::api_error& e)
    {
        return e.status() == 400 || e.status() == 404 || e.status() == 409;
    }

    net::awaitable<void> send(write_op op, std::vector<outgoing> rows, std::vector<store::row_state_update>& updates)
    {
        if (rows.empty()) co_return;
        hubspot::batch_result res;
        std::optional<hubspot::api_error> refused;
        try {
            res = co_await call(op, rows);
        } catch (const hubspot::api_error& e) {
            if (!about_inputs(e)) throw;
            refused = e;
        }
        if (refused) {
            if (rows.size() == 1) {
                co_await refused_alone(op, std::move(rows[0]), *refused, updates);
                co_return;
            }
            auto half = rows.begin() + static_cast<std::ptrdiff_t>(rows.size() / 2);
            std::vector<outgoing> second(std::make_move_iterator(half), std::make_move_iterator(rows.end()));
            rows.erase(half, rows.end());
            co_await send(op, std::move(rows), updates);
            co_await send(op, std::move(second), updates);
            co_return;
        }
        std::vector<bool> failed_at(rows.size(), false);
        std::vector<outgoing> gone;  // update by a stored id whose record no longer exists
        for (const auto& e : res.errors) {
            std::vector<std::size_t> which;
            if (e.trace_id) {
                try {
                    auto i = std::stoul(*e.trace_id);
                    if (i < rows.size()) which.push_back(i);
                } catch (const std::exception&) {
                }
            }
            for (const auto& id : e.ids)
                for (std::size_t i = 0; i < rows.size(); ++i) {
                    const auto& key = op == write_op::update_by_id && rows[i].row.hubspot_id && !plan_.match_is_id
                                          ? *rows[i].row.hubspot_id
                                          : rows[i].match_value;
                    if (same_value(key, id)) which.push_back(i);
                }
            for (auto i : which) {
                if (failed_at[i]) continue;
                failed_at[i] = true;
                bool not_found = e.category == "OBJECT_NOT_FOUND";
                if (not_found && op == write_op::update_by_id && rows[i].row.hubspot_id && !plan_.match_is_id &&
                    plan_.mode != "update") {
                    gone.push_back(std::move(rows[i]));
                    continue;
                }
                failed(rows[i].row, not_found ? "not_found" : "hubspot",
                       not_found ? "no " + plan_.object_name + " record matches " + plan_.match_property + " = '" +
                                       rows[i].match_value + "'"
                                 : "HubSpot refused the row: " + e.message,
                       updates);
            }
        }
        const auto ids = ids_by_match(res);
        for (std::size_t i = 0; i < rows.size(); ++i)
            if (!failed_at[i]) succeeded(rows[i], id_for(rows[i], ids), updates);
        if (!gone.empty()) {
            // The record was deleted in HubSpot since: match it again as if it were new.
            for (auto& o : gone) o.row.hubspot_id.reset();
            if (plan_.match_unique) co_await send(write_op::upsert_by_property, std::move(gone), updates);
            else co_await by_search(std::move(gone), updates);
        }
    }

    net::awaitable<void> refused_alone(write_op op, outgoing o, const hubspot::api_error& e,
                                       std::vector<store::row_state_update>& updates)
    {
        const auto& existing = e.info().existing_id;
        if (e.status() == 409 && existing && op == write_op::create) {
            if (plan_.mode == "insert") {
                // Insert mode reports an existing record and leaves it alone.
                tracker_->failed(o.row.kind);
                tracker_->row_error(o.row.pk, "exists",
                                    plan_.object_name + " record " + *existing + " already has " + plan_.match_property +
                                        " = '" + o.match_value + "'; insert mode does not overwrite it");
                updates.push_back({o.row.pk, o.row.hash, *existing, "synced", std::nullopt});
                co_return;
            }
            // Upsert: someone created it meanwhile; update it instead.
            o.row.hubspot_id = *existing;
            std::vector<outgoing> one;
            one.push_back(std::move(o));
            co_await send(write_op::update_by_id, std::move(one), updates);
            co_return;
        }
        failed(o.row, e.status() == 404 ? "not_found" : "hubspot",
               "HubSpot refused the row (" + std::to_string(e.status()) + "): " + e.info().message, updates);
    }

    // Existing records by match value, for rows whose create may already have happened (pending) and, in insert
    // mode, to report records that exist instead of failing a whole batch on the first conflict.
    net::awaitable<std::map<std::string, std::string>> existing_by_property(const std::vector<outgoing>& rows)
    {
        std::vector<std::string> values;
        for (const auto& o : rows) values.push_back(o.match_value);
        tracker_->api_calls();
        std::vector<std::string> wanted{plan_.match_property};
        auto res = co_await objects_.batch_read(plan_.object_path, plan_.match_property, values, wanted);
        std::map<std::string, std::string> out;
        for (const auto& r : res.results) {
            auto it = r.properties.find(plan_.match_property);
            if (it != r.properties.end()) out[match_key(it->second)] = r.id;
        }
        co_return out;
    }

    net::awaitable<void> create(std::vector<outgoing> rows, std::vector<store::row_state_update>& updates)
    {
        if (rows.empty()) co_return;
        if (plan_.match_unique) {
            auto existing = co_await existing_by_property(rows);
            std::vector<outgoing> fresh;
            for (auto& o : rows) {
                auto key = match_key(o.match_value);
                auto it = existing.find(key);
                if (it == existing.end()) {
                    fresh.push_back(std::move(o));
                } else if (o.row.pending) {
                    succeeded(o, it->second, updates);  // our own create, whose answer was lost
                } else if (plan_.mode == "insert") {
                    tracker_->failed(o.row.kind);
                    tracker_->row_error(o.row.pk, "exists",
                                        plan_.object_name + " record " + it->second + " already has " +
                                            plan_.match_property + " = '" + o.match_value +
                                            "'; insert mode does not overwrite it");
                    updates.push_back({o.row.pk, o.row.hash, it->second, "synced", std::nullopt});
                } else {
                    o.row.hubspot_id = it->second;
                    std::vector<outgoing> one;
                    one.push_back(std::move(o));
                    co_await send(write_op::update_by_id, std::move(one), updates);
                }
            }
            rows = std::move(fresh);
        } else {
            std::vector<outgoing> fresh;
            for (auto& o : rows) {
                if (!o.row.pending) {
                    fresh.push_back(std::move(o));
                    continue;
                }
                // Without a unique property an earlier create cannot be confirmed; search decides.
                std::vector<outgoing> one;
                one.push_back(std::move(o));
                co_await by_search(std::move(one), updates);
            }
            rows = std::move(fresh);
        }
        if (rows.empty()) co_return;
        // Journal first: if the answer is lost (crash, reset), the next run knows these creates may have happened.
        std::vector<store::row_state_update> pending;
        for (const auto& o : rows) pending.push_back({o.row.pk, std::nullopt, std::nullopt, "pending", std::nullopt});
        co_await commit(std::move(pending), {});
        co_await send(write_op::create, std::move(rows), updates);
    }

    // Finds records by a non-unique property (search, 5 requests/s per portal), then updates the single match,
    // creates when there is none (upsert), and refuses ambiguity.
    net::awaitable<void> by_search(std::vector<outgoing> rows, std::vector<store::row_state_update>& updates)
    {
        if (rows.empty()) co_return;
        std::map<std::string, std::vector<std::string>> found;
        json values = json::array();
        for (const auto& o : rows) values.push_back(o.match_value);
        std::optional<std::string> after;
        do {
            json body = {{"filterGroups", json::array({{{"filters", json::array({{{"propertyName", plan_.match_property},
                                                                                  {"operator", "IN"},
                                                                                  {"values", values}}})}}})},
                         {"properties", json::array({plan_.match_property})},
                         {"limit", 200}};
            if (after) body["after"] = *after;
            tracker_->api_calls();
            auto page = co_await objects_.search(plan_.object_path, body);
            for (const auto& r : page.results) {
                auto it = r.properties.find(plan_.match_property);
                if (it != r.properties.end()) found[core::ascii_lower(it->second)].push_back(r.id);
            }
            after = page.after;
        } while (after);
        std::vector<outgoing> to_update, to_create;
        for (auto& o : rows) {
            auto it = found.find(core::ascii_lower(o.match_value));
            std::size_t n = it == found.end() ? 0 : it->second.size();
            if (n == 1) {
                o.row.hubspot_id = it->second.front();
                to_update.push_back(std::move(o));
            } else if (n > 1) {
                failed(o.row, "ambiguous",
                       std::to_string(n) + " " + plan_.object_name + " records have " + plan_.match_property + " = '" +
                           o.match_value + "'; make the property unique, or clean up the duplicates",
                       updates);
            } else if (plan_.mode == "update") {
                failed(o.row, "not_found",
                       "no " + plan_.object_name + " record has " + plan_.match_property + " = '" + o.match_value + "'",
                       updates);
            } else if (o.row.pending && plan_.mode == "insert") {
                to_create.push_back(std::move(o));
            } else {
                o.row.pending = false;
                to_create.push_back(std::move(o));
            }
        }
        co_await send(write_op::update_by_id, std::move(to_update), updates);
        if (!to_create.empty()) {
            std::vector<store::row_state_update> pending;
            for (const auto& o : to_create)
                pending.push_back({o.row.pk, std::nullopt, std::nullopt, "pending", std::nullopt});
            co_await commit(std::move(pending), {});
            co_await send(write_op::create, std::move(to_create), updates);
        }
    }

    net::awaitable<void> commit(std::vector<store::row_state_update> updates, std::vector<std::string> removed)
    {
        if (updates.empty() && removed.empty()) co_return;
        auto sync_id = in_.sync.id;
        auto work = [sync_id, u = std::move(updates), r = std::move(removed)](pqxx::connection& c) {
            store::row_state::apply(c, sync_id, u, r);
        };
        co_await env_.db.run(std::move(work));
    }

    job_env env_;
    const mapping_plan& plan_;
    const object_job_inputs& in_;
    std::shared_ptr<run_tracker> tracker_;
    hubspot::objects_api objects_;
    std::mutex dry_mutex_;
    json sample_ = json::array();
    std::int64_t projected_ = 0;
};

}  // namespace

net::awaitable<void>
run_object_job(job_env env, object_job_inputs in, std::shared_ptr<run_tracker> tracker)
{
    auto plan = std::make_shared<const mapping_plan>(resolve(in));
    auto queue = std::make_shared<work_queue<work_item>>(env.strand, static_cast<std::size_t>(env.max_in_flight) * 2);
    auto reader = std::make_shared<std::unique_ptr<connectors::postgres::model_reader>>();
    auto reader_mutex = std::make_shared<std::mutex>();

    // The planner runs on a warehouse thread: it blocks on the warehouse and the state database, never on I/O the
    // io_context serves.
    auto options = in.options;
    auto planner = [plan, queue, tracker, reader, reader_mutex, options, url = in.source_url,
                    sql = in.model.sql, pk = in.model.primary_key, limits = in.limits, state_url = env.db.url(),
                    sync_id = in.sync.id, seed = config_seed(in.sync.config)] {
        std::exception_ptr error;
        try {
            {
                std::lock_guard lock(*reader_mutex);
                *reader = std::make_unique<connectors::postgres::model_reader>(url, sql, pk, plan->columns, limits);
            }
            read_ahead_model model(**reader);
            read_ahead_state state(state_url, sync_id);
            batching_sink sink(*plan, options, queue, tracker);
            auto counts = sync::plan(model, state, {seed, options.full_resync}, sink);
            sink.finish();
            tracker->planned(counts);
            core::logger("sync")->debug("run.planned sync={} added={} changed={} removed={} unchanged={} invalid={}",
                                        sync_id, counts.added, counts.changed, counts.removed, counts.unchanged,
                                        counts.invalid);
        } catch (const batching_sink::stop_planning&) {
        } catch (const std::exception& e) {
            core::logger("sync")->debug("run.plan_failed sync={} reason=\"{}\"", sync_id, e.what());
            error = std::current_exception();
        }
        {
            std::lock_guard lock(*reader_mutex);
            reader->reset();
        }
        queue->finish(error);
    };
    net::post(env.warehouse_pool, std::move(planner));  // moved: its copy of `queue` must go with it

    batch_writer writer(env, *plan, in, tracker);
    int in_flight = 0;
    std::exception_ptr first_error;
    net::steady_timer idle(env.strand);
    auto wait_below = [&](int limit) -> net::awaitable<void> {
        while (in_flight > limit) {
            idle.expires_after(std::chrono::milliseconds(100));
            boost::system::error_code ec;
            co_await idle.async_wait(net::redirect_error(net::use_awaitable, ec));
        }
    };
    auto stop_reading = [&] {
        queue->abandon();
        std::lock_guard lock(*reader_mutex);
        if (*reader) (*reader)->cancel();
    };
    for (;;) {
        std::optional<work_item> item;
        try {
            item = co_await queue->pop([&tracker] { return tracker->cancelled(); });
        } catch (...) {
            if (!first_error) first_error = std::current_exception();
        }
        if (!item || first_error || tracker->cancelled()) {
            stop_reading();
            break;
        }
        co_await wait_below(env.max_in_flight - 1);
        ++in_flight;
        auto task = writer.process(std::move(*item));
        net::co_spawn(env.strand, std::move(task), [&](std::exception_ptr e) {
            --in_flight;
            if (e && !first_error) first_error = e;
            idle.cancel();
        });
    }
    co_await wait_below(0);
    // The planner has stopped or is stopping; wait for it to let go of the queue before the frame goes.
    while (queue.use_count() > 1) {
        stop_reading();
        idle.expires_after(std::chrono::milliseconds(20));
        boost::system::error_code ec;
        co_await idle.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
    if (first_error) std::rethrow_exception(first_error);
}

}  // namespace hubsync::sync
