#include "store/runs.hpp"

#include "store/table.hpp"

namespace hubsync::store::runs {

namespace {
const table& runs_table()
{
    static const table t{"hubsync.runs",
                         "id, sync_id, status, options, dry_run, " + iso_time("created_at") + ", " +
                             iso_time("started_at") + ", " + iso_time("finished_at") +
                             ", planned, succeeded, failed, api_calls, error, extra, "
                             "(EXTRACT(EPOCH FROM (COALESCE(finished_at, now()) - started_at)) * 1000)::bigint",
                         "run"};
    return t;
}

std::optional<std::string>
optional_text(const pqxx::field& f)
{
    if (f.is_null()) return std::nullopt;
    return f.as<std::string>();
}

run_record
from_row(const pqxx::row& r)
{
    run_record x;
    x.id = r[0].as<std::int64_t>();
    x.sync_id = r[1].as<std::int64_t>();
    x.status = r[2].as<std::string>();
    x.options = nlohmann::json::parse(r[3].as<std::string>());
    x.dry_run = r[4].as<bool>();
    x.created_at = r[5].as<std::string>();
    x.started_at = optional_text(r[6]);
    x.finished_at = optional_text(r[7]);
    x.planned = nlohmann::json::parse(r[8].as<std::string>());
    x.succeeded = nlohmann::json::parse(r[9].as<std::string>());
    x.failed = nlohmann::json::parse(r[10].as<std::string>());
    x.api_calls = r[11].as<std::int64_t>();
    x.error = optional_text(r[12]);
    x.extra = nlohmann::json::parse(r[13].as<std::string>());
    if (!r[14].is_null()) x.duration_ms = r[14].as<std::int64_t>();
    return x;
}
}  // namespace

enqueued
enqueue(pqxx::connection& c, std::int64_t sync_id, const nlohmann::json& options, bool dry_run)
{
    pqxx::work tx(c);
    auto r = tx.exec("INSERT INTO hubsync.runs (sync_id, status, options, dry_run) VALUES (" + std::to_string(sync_id) +
                     ", 'queued', " + tx.quote(options.dump()) + "::jsonb, " + (dry_run ? "true" : "false") +
                     ") ON CONFLICT (sync_id) WHERE status = 'queued' DO NOTHING RETURNING id");
    bool created = !r.empty();
    if (!created)
        r = tx.exec("SELECT id FROM hubsync.runs WHERE sync_id = " + std::to_string(sync_id) + " AND status = 'queued'");
    auto out = from_row(runs_table().find(tx, r[0][0].as<std::int64_t>())[0]);
    tx.commit();
    return {out, created};
}

std::optional<run_record>
claim_next(pqxx::connection& c, const std::string& owner)
{
    pqxx::work tx(c);
    auto r = tx.exec("UPDATE hubsync.runs SET status = 'running', started_at = now(), heartbeat_at = now(), owner = " +
                     tx.quote(owner) +
                     " WHERE id = (SELECT q.id FROM hubsync.runs q WHERE q.status = 'queued' AND NOT EXISTS "
                     "(SELECT 1 FROM hubsync.runs x WHERE x.sync_id = q.sync_id AND x.status = 'running') "
                     "ORDER BY q.id LIMIT 1 FOR UPDATE SKIP LOCKED) RETURNING id");
    if (r.empty()) {
        tx.commit();
        return std::nullopt;
    }
    auto out = from_row(runs_table().find(tx, r[0][0].as<std::int64_t>())[0]);
    tx.commit();
    return out;
}

namespace {
std::string
progress_sql(pqxx::transaction_base& tx, const run_progress& p)
{
    return "planned = " + tx.quote(p.planned.dump()) + "::jsonb, succeeded = " + tx.quote(p.succeeded.dump()) +
           "::jsonb, failed = " + tx.quote(p.failed.dump()) + "::jsonb, api_calls = " + std::to_string(p.api_calls) +
           ", extra = " + tx.quote(p.extra.dump()) + "::jsonb";
}
}  // namespace

heartbeat_answer
heartbeat(pqxx::connection& c, std::int64_t run_id, const std::string& owner, const run_progress& p)
{
    pqxx::work tx(c);
    auto r = tx.exec("UPDATE hubsync.runs SET heartbeat_at = now(), " + progress_sql(tx, p) + " WHERE id = " +
                     std::to_string(run_id) + " AND status = 'running' AND owner = " + tx.quote(owner) +
                     " RETURNING cancel_requested");
    tx.commit();
    if (r.empty()) return {false, false};
    return {true, r[0][0].as<bool>()};
}

void
finish(pqxx::connection& c, std::int64_t run_id, const std::string& status, const run_progress& p,
       const std::optional<std::string>& error)
{
    pqxx::work tx(c);
    tx.exec("UPDATE hubsync.runs SET status = " + tx.quote(status) + ", finished_at = now(), " + progress_sql(tx, p) +
            ", error = " + (error ? tx.quote(*error) : "NULL") + " WHERE id = " + std::to_string(run_id) +
            " AND status = 'running'");
    tx.commit();
}

std::optional<cancel_answer>
request_cancel(pqxx::connection& c, std::int64_t run_id)
{
    pqxx::work tx(c);
    const auto id = std::to_string(run_id);
    auto a = tx.exec("UPDATE hubsync.runs SET status = 'cancelled', finished_at = now(), error = 'cancelled before it "
                     "started' WHERE id = " + id + " AND status = 'queued'");
    auto b = tx.exec("UPDATE hubsync.runs SET cancel_requested = true WHERE id = " + id + " AND status = 'running'");
    auto r = runs_table().find(tx, run_id);
    tx.commit();
    if (r.empty()) return std::nullopt;
    return cancel_answer{from_row(r[0]), a.affected_rows() + b.affected_rows() > 0};
}

std::vector<std::int64_t>
recover_abandoned(pqxx::connection& c, int lease_seconds)
{
    pqxx::work tx(c);
    auto r = tx.exec("UPDATE hubsync.runs SET status = 'failed', finished_at = now(), error = 'interrupted: the daemon "
                     "running it stopped (crash, kill or power loss); a new run was queued to finish the work' "
                     "WHERE status = 'running' AND heartbeat_at < now() - interval '" + std::to_string(lease_seconds) +
                     " seconds' RETURNING id, sync_id, options, dry_run");
    std::vector<std::int64_t> out;
    for (const auto& row : r) {
        out.push_back(row[0].as<std::int64_t>());
        if (row[3].as<bool>()) continue;  // a dry run wrote nothing: nothing to finish
        tx.exec("INSERT INTO hubsync.runs (sync_id, status, options) VALUES (" + row[1].as<std::string>() +
                ", 'queued', " + tx.quote(row[2].as<std::string>()) + "::jsonb) ON CONFLICT (sync_id) WHERE status = "
                "'queued' DO NOTHING");
    }
    tx.commit();
    return out;
}

std::optional<run_record>
find(pqxx::connection& c, std::int64_t id)
{
    pqxx::read_transaction tx(c);
    auto r = runs_table().find(tx, id);
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
}

page<run_record>
list_for_sync(pqxx::connection& c, std::int64_t sync_id, const page_request& p)
{
    // Newest first: dashboards want the latest runs; the cursor walks backwards by id.
    pqxx::read_transaction tx(c);
    std::string sql = "SELECT " + runs_table().select_list + " FROM hubsync.runs WHERE sync_id = " +
                      std::to_string(sync_id);
    if (p.after) sql += " AND id < " + std::to_string(*p.after);
    sql += " ORDER BY id DESC LIMIT " + std::to_string(p.limit + 1);
    return to_page<run_record>(tx.exec(sql), p, from_row);
}

std::optional<run_record>
last_for_sync(pqxx::connection& c, std::int64_t sync_id)
{
    pqxx::read_transaction tx(c);
    auto r = tx.exec("SELECT " + runs_table().select_list + " FROM hubsync.runs WHERE sync_id = " +
                     std::to_string(sync_id) + " ORDER BY id DESC LIMIT 1");
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
}

void
add_errors(pqxx::connection& c, std::int64_t run_id, const std::vector<run_error_record>& errors)
{
    if (errors.empty()) return;
    pqxx::work tx(c);
    std::string sql = "INSERT INTO hubsync.run_errors (run_id, primary_key, category, message) VALUES ";
    for (std::size_t i = 0; i < errors.size(); ++i) {
        const auto& e = errors[i];
        if (i) sql += ", ";
        sql += "(" + std::to_string(run_id) + ", " + (e.primary_key ? tx.quote(*e.primary_key) : "NULL") + ", " +
               tx.quote(e.category) + ", " + tx.quote(e.message) + ")";
    }
    tx.exec(sql);
    tx.commit();
}

page<run_error_record>
errors(pqxx::connection& c, std::int64_t run_id, const page_request& p)
{
    pqxx::read_transaction tx(c);
    std::string sql = "SELECT id, primary_key, category, message FROM hubsync.run_errors WHERE run_id = " +
                      std::to_string(run_id);
    if (p.after) sql += " AND id > " + std::to_string(*p.after);
    sql += " ORDER BY id LIMIT " + std::to_string(p.limit + 1);
    return to_page<run_error_record>(tx.exec(sql), p, [](const pqxx::row& r) {
        return run_error_record{r[0].as<std::int64_t>(), optional_text(r[1]), r[2].as<std::string>(),
                                r[3].as<std::string>()};
    });
}

}  // namespace hubsync::store::runs
