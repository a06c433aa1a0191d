#include "store/row_state.hpp"

namespace hubsync::store::row_state {

std::vector<row_state_entry>
read_after(pqxx::connection& c, std::int64_t sync_id, const std::optional<std::string>& after_pk, int limit)
{
    pqxx::read_transaction tx(c);
    std::string sql = "SELECT pk, hash, hubspot_id, status, attempts FROM hubsync.row_state WHERE sync_id = " +
                      std::to_string(sync_id);
    if (after_pk) sql += " AND pk > " + tx.quote(*after_pk);
    sql += " ORDER BY pk LIMIT " + std::to_string(limit);
    auto r = tx.exec(sql);
    std::vector<row_state_entry> out;
    out.reserve(r.size());
    for (const auto& row : r) {
        row_state_entry e;
        e.pk = row[0].as<std::string>();
        if (!row[1].is_null()) e.hash = row[1].as<std::int64_t>();
        if (!row[2].is_null()) e.hubspot_id = row[2].as<std::string>();
        e.status = row[3].as<std::string>();
        e.attempts = row[4].as<int>();
        out.push_back(std::move(e));
    }
    return out;
}

void
apply(pqxx::connection& c, std::int64_t sync_id, const std::vector<row_state_update>& updates,
      const std::vector<std::string>& removed)
{
    if (updates.empty() && removed.empty()) return;
    pqxx::work tx(c);
    if (!updates.empty()) {
        std::string sql = "INSERT INTO hubsync.row_state AS s (sync_id, pk, hash, hubspot_id, status, attempts, "
                          "last_error) VALUES ";
        const std::string sid = std::to_string(sync_id);
        for (std::size_t i = 0; i < updates.size(); ++i) {
            const auto& u = updates[i];
            if (i) sql += ", ";
            sql += "(" + sid + ", " + tx.quote(u.pk) + ", " + (u.hash ? std::to_string(*u.hash) : "NULL") + ", " +
                   (u.hubspot_id ? tx.quote(*u.hubspot_id) : "NULL") + ", " + tx.quote(u.status) + ", " +
                   (u.status == "failed" ? "1" : "0") + ", " + (u.error ? tx.quote(*u.error) : "NULL") + ")";
        }
        // A failed or pending row keeps the baseline it had; a synced one takes the new hash and resets attempts.
        sql += " ON CONFLICT (sync_id, pk) DO UPDATE SET "
               "hash = CASE WHEN EXCLUDED.status = 'synced' THEN EXCLUDED.hash ELSE s.hash END, "
               "hubspot_id = COALESCE(EXCLUDED.hubspot_id, s.hubspot_id), "
               "status = EXCLUDED.status, "
               "attempts = CASE WHEN EXCLUDED.status = 'failed' THEN s.attempts + 1 ELSE 0 END, "
               "last_error = EXCLUDED.last_error, updated_at = now()";
        tx.exec(sql);
    }
    if (!removed.empty()) {
        std::string list;
        for (const auto& pk : removed) list += (list.empty() ? "" : ", ") + tx.quote(pk);
        tx.exec("DELETE FROM hubsync.row_state WHERE sync_id = " + std::to_string(sync_id) + " AND pk IN (" + list + ")");
    }
    tx.commit();
}

std::int64_t
count(pqxx::connection& c, std::int64_t sync_id)
{
    pqxx::read_transaction tx(c);
    return tx.exec("SELECT count(*) FROM hubsync.row_state WHERE sync_id = " + std::to_string(sync_id))[0][0]
        .as<std::int64_t>();
}

}  // namespace hubsync::store::row_state
