#include "store/row_state.hpp"

#include "core/error.hpp"

namespace hubsync::store::row_state {

std::vector<row_state_entry>
read_after(pqxx::connection& c, std::int64_t sync_id, const std::optional<std::string>& after_pk, int limit)
{
    pqxx::read_transaction tx(c);
    // The page must come from the primary key's index, in its order. Right after a first run has written the rows,
    // the table has no statistics yet, and the planner then prefers a bitmap scan of every later key plus a sort:
    // each page then costs as much as the rest of the table (measured: 25 ms instead of 2 ms a page at 100k rows).
    // Sent with the query, in one round trip; the result is the SELECT's.
    std::string sql = "SET LOCAL enable_sort = off; SET LOCAL enable_bitmapscan = off; "
                      "SELECT pk, hash, hubspot_id, status, attempts, "
                      "CASE WHEN status = 'pending' THEN floor(extract(epoch FROM now() - updated_at))::bigint END "
                      "FROM hubsync.row_state WHERE sync_id = " +
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
        if (!row[5].is_null()) e.pending_seconds = row[5].as<std::int64_t>();
        out.push_back(std::move(e));
    }
    return out;
}

namespace {
// A PostgreSQL array literal of text elements ("…" with \" and \\ escaped; NULL for nullopt). Sending a batch as a
// few array parameters of one fixed statement costs the server one parse per batch instead of one per value.
template <class T, class Text>
std::string
array_literal(const std::vector<T>& items, Text text)
{
    std::string out = "{";
    for (std::size_t i = 0; i < items.size(); ++i) {
        if (i) out += ',';
        std::optional<std::string> v = text(items[i]);
        if (!v) {
            out += "NULL";
            continue;
        }
        out += '"';
        for (char ch : *v) {
            if (ch == '\0') continue;  // PostgreSQL text cannot hold it (a HubSpot message may carry \u0000)
            if (ch == '"' || ch == '\\') out += '\\';
            out += ch;
        }
        out += '"';
    }
    out += '}';
    return out;
}
}  // namespace

void
apply(pqxx::connection& c, std::int64_t sync_id, const std::vector<row_state_update>& updates,
      const std::vector<std::string>& removed)
{
    if (updates.empty() && removed.empty()) return;
    // Prepared once per connection (libpqxx keeps the definition; preparing it again is a no-op): a batch costs the
    // server no parsing or planning.
    c.prepare("row_state_write",
              // What a foreign key did per row, once per statement: the sync is locked against deletion, and a sync
              // deleted meanwhile gets no orphaned state (nothing is written; see below).
              "WITH sync AS (SELECT 1 FROM hubsync.syncs WHERE id = $1 FOR KEY SHARE) "
              "INSERT INTO hubsync.row_state AS s (sync_id, pk, hash, hubspot_id, status, attempts, last_error) "
              "SELECT $1, u.pk, u.hash, u.hubspot_id, u.status, CASE WHEN u.status = 'failed' THEN 1 ELSE 0 END, "
              "u.last_error "
              "FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[]) "
              "AS u(pk, hash, hubspot_id, status, last_error) WHERE EXISTS (SELECT 1 FROM sync) "
              // A failed or pending row keeps the baseline it had; a synced one takes the new hash, resets attempts.
              "ON CONFLICT (sync_id, pk) DO UPDATE SET "
              "hash = CASE WHEN EXCLUDED.status = 'synced' THEN EXCLUDED.hash ELSE s.hash END, "
              "hubspot_id = COALESCE(EXCLUDED.hubspot_id, s.hubspot_id), "
              "status = EXCLUDED.status, "
              "attempts = CASE WHEN EXCLUDED.status = 'failed' THEN s.attempts + 1 ELSE 0 END, "
              "last_error = EXCLUDED.last_error, updated_at = now()");
    c.prepare("row_state_remove", "DELETE FROM hubsync.row_state WHERE sync_id = $1 AND pk = ANY($2::text[])");
    auto write = [&](pqxx::transaction_base& tx) {
        using u = row_state_update;
        auto r = tx.exec_prepared(
            "row_state_write", sync_id,
            array_literal(updates, [](const u& x) -> std::optional<std::string> { return x.pk; }),
            array_literal(updates,
                          [](const u& x) -> std::optional<std::string> {
                              if (!x.hash) return std::nullopt;
                              return std::to_string(*x.hash);
                          }),
            array_literal(updates, [](const u& x) { return x.hubspot_id; }),
            array_literal(updates, [](const u& x) -> std::optional<std::string> { return x.status; }),
            array_literal(updates, [](const u& x) { return x.error; }));
        if (r.affected_rows() == 0)
            throw core::error(core::errc::not_found, "sync " + std::to_string(sync_id) + " was deleted during its run");
    };
    auto remove = [&](pqxx::transaction_base& tx) {
        tx.exec_prepared("row_state_remove", sync_id,
                         array_literal(removed, [](const std::string& pk) -> std::optional<std::string> { return pk; }));
    };
    // One statement is atomic by itself: sent without BEGIN and COMMIT, it costs one round trip instead of three
    // (a sync commits once per batch of 100 rows).
    if (removed.empty() || updates.empty()) {
        pqxx::nontransaction tx(c);
        if (!updates.empty()) write(tx);
        else remove(tx);
        return;
    }
    pqxx::work tx(c);
    write(tx);
    remove(tx);
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
