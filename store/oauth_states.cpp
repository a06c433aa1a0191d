#include "store/oauth_states.hpp"

namespace hubsync::store::oauth_states {

void
create(pqxx::connection& c, const std::string& state, std::int64_t destination_id, std::chrono::seconds ttl)
{
    pqxx::work tx(c);
    tx.exec("DELETE FROM hubsync.oauth_states WHERE expires_at < now()");
    tx.exec("INSERT INTO hubsync.oauth_states (state, destination_id, expires_at) VALUES (" + tx.quote(state) + ", " +
            std::to_string(destination_id) + ", now() + interval '" + std::to_string(ttl.count()) + " seconds')");
    tx.commit();
}

std::optional<std::int64_t>
consume(pqxx::connection& c, const std::string& state)
{
    pqxx::work tx(c);
    auto r = tx.exec("DELETE FROM hubsync.oauth_states WHERE state = " + tx.quote(state) +
                     " RETURNING destination_id, expires_at > now()");
    tx.commit();
    if (r.empty() || !r[0][1].as<bool>()) return std::nullopt;
    return r[0][0].as<std::int64_t>();
}

}  // namespace hubsync::store::oauth_states
