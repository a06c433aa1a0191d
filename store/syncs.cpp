#include "store/syncs.hpp"

#include "store/table.hpp"

namespace hubsync::store::syncs {

namespace {
const table& syncs_table()
{
    static const table t{"hubsync.syncs",
                         "id, name, model_id, destination_id, type, config, schedule, enabled, warnings, " +
                             iso_time("created_at") + ", " + iso_time("updated_at"),
                         "sync"};
    return t;
}

sync_record
from_row(const pqxx::row& r)
{
    sync_record s;
    s.id = r[0].as<std::int64_t>();
    s.name = r[1].as<std::string>();
    s.model_id = r[2].as<std::int64_t>();
    s.destination_id = r[3].as<std::int64_t>();
    s.type = r[4].as<std::string>();
    s.config = nlohmann::json::parse(r[5].as<std::string>());
    s.schedule = nlohmann::json::parse(r[6].as<std::string>());
    s.enabled = r[7].as<bool>();
    s.warnings = nlohmann::json::parse(r[8].as<std::string>());
    s.created_at = r[9].as<std::string>();
    s.updated_at = r[10].as<std::string>();
    return s;
}

template <class F>
void
guard_references(F f, const std::string& name)
{
    try {
        on_unique_name(f, "sync", name);
    } catch (const pqxx::foreign_key_violation& e) {
        bool model = std::string(e.what()).find("model_id") != std::string::npos;
        throw core::error(core::errc::unprocessable,
                          model ? "the sync refers to a model that does not exist"
                                : "the sync refers to a destination that does not exist",
                          {{model ? "model_id" : "destination_id", "no such id"}});
    }
}

std::string
values_sql(pqxx::transaction_base& tx, const sync_fields& f)
{
    return tx.quote(f.name) + ", " + std::to_string(f.model_id) + ", " + std::to_string(f.destination_id) + ", " +
           tx.quote(f.type) + ", " + tx.quote(f.config.dump()) + "::jsonb, " + tx.quote(f.schedule.dump()) +
           "::jsonb, " + (f.enabled ? "true" : "false") + ", " + tx.quote(f.warnings.dump()) + "::jsonb";
}
}  // namespace

sync_record
insert(pqxx::connection& c, const sync_fields& f)
{
    std::optional<sync_record> out;
    guard_references([&] {
        pqxx::work tx(c);
        auto r = tx.exec("INSERT INTO hubsync.syncs (name, model_id, destination_id, type, config, schedule, enabled, "
                         "warnings) VALUES (" + values_sql(tx, f) + ") RETURNING id");
        out = from_row(syncs_table().find(tx, r[0][0].as<std::int64_t>())[0]);
        tx.commit();
    }, f.name);
    return *out;
}

std::optional<sync_record>
find(pqxx::connection& c, std::int64_t id)
{
    pqxx::read_transaction tx(c);
    auto r = syncs_table().find(tx, id);
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
}

page<sync_record>
list(pqxx::connection& c, const page_request& p)
{
    pqxx::read_transaction tx(c);
    return to_page<sync_record>(syncs_table().list(tx, p), p, from_row);
}

std::optional<sync_record>
update(pqxx::connection& c, std::int64_t id, const sync_fields& f, bool reset_row_state)
{
    std::optional<sync_record> out;
    guard_references([&] {
        pqxx::work tx(c);
        if (reset_row_state) {
            // The row lock keeps a run from being claimed meanwhile; a running one writes state of the old target.
            tx.exec("SELECT 1 FROM hubsync.syncs WHERE id = " + std::to_string(id) + " FOR UPDATE");
            auto running = tx.exec("SELECT 1 FROM hubsync.runs WHERE sync_id = " + std::to_string(id) +
                                   " AND status = 'running' LIMIT 1");
            if (!running.empty())
                throw core::error(core::errc::conflict,
                                  "the sync has a running run; cancel it or let it finish before changing where the "
                                  "sync writes");
            tx.exec("DELETE FROM hubsync.row_state WHERE sync_id = " + std::to_string(id));
        }
        auto r = tx.exec("UPDATE hubsync.syncs SET (name, model_id, destination_id, type, config, schedule, enabled, "
                         "warnings, updated_at) = (" + values_sql(tx, f) + ", now()) WHERE id = " + std::to_string(id));
        if (r.affected_rows() == 0) return;
        out = from_row(syncs_table().find(tx, id)[0]);
        tx.commit();
    }, f.name);
    return out;
}

bool
remove(pqxx::connection& c, std::int64_t id)
{
    pqxx::work tx(c);
    auto active = tx.exec("SELECT 1 FROM hubsync.runs WHERE sync_id = " + std::to_string(id) +
                          " AND status IN ('queued', 'running') LIMIT 1");
    if (!active.empty())
        throw core::error(core::errc::conflict, "the sync has a queued or running run; cancel it first");
    bool removed = syncs_table().remove(tx, id, "other definitions");
    tx.commit();
    return removed;
}

}  // namespace hubsync::store::syncs
