#include "store/destinations.hpp"

#include "store/table.hpp"

namespace hubsync::store::destinations {

namespace {
const table& destinations_table()
{
    static const table t{"hubsync.destinations",
                         "id, name, type, config, secret, auth_method, hub_id, scopes, status, " +
                             iso_time("created_at") + ", " + iso_time("updated_at"),
                         "destination"};
    return t;
}

destination_record
from_row(const pqxx::row& r)
{
    destination_record d;
    d.id = r[0].as<std::int64_t>();
    d.name = r[1].as<std::string>();
    d.type = r[2].as<std::string>();
    d.config = nlohmann::json::parse(r[3].as<std::string>());
    if (!r[4].is_null()) d.sealed_credentials = r[4].as<std::string>();
    d.auth_method = r[5].as<std::string>();
    if (!r[6].is_null()) d.hub_id = r[6].as<std::int64_t>();
    d.scopes = nlohmann::json::parse(r[7].as<std::string>());
    d.status = r[8].as<std::string>();
    d.created_at = r[9].as<std::string>();
    d.updated_at = r[10].as<std::string>();
    return d;
}

// A private app token just checked with HubSpot is ok; no credentials at all await authorization; OAuth
// credentials keep whatever status they had (a revoked refresh token stays "reauthorization_required").
std::string
status_after_edit(const destination_fields& f)
{
    if (f.auth_method == "private_app_token") return "'ok'";
    if (!f.sealed_credentials) return "'reauthorization_required'";
    return "status";
}

std::string
hub_id_sql(const std::optional<std::int64_t>& v)
{
    return v ? std::to_string(*v) : "NULL";
}

std::string
quote_optional(pqxx::transaction_base& tx, const std::optional<std::string>& v)
{
    return v ? tx.quote(*v) : "NULL";
}
}  // namespace

destination_record
insert(pqxx::connection& c, const destination_fields& f)
{
    std::optional<destination_record> out;
    on_unique_name([&] {
        pqxx::work tx(c);
        auto r = tx.exec("INSERT INTO hubsync.destinations (name, type, config, secret, auth_method, hub_id, scopes, "
                         "status) VALUES (" + tx.quote(f.name) + ", " + tx.quote(f.type) + ", " +
                         tx.quote(f.config.dump()) + "::jsonb, " + quote_optional(tx, f.sealed_credentials) + ", " +
                         tx.quote(f.auth_method) + ", " + hub_id_sql(f.hub_id) + ", " + tx.quote(f.scopes.dump()) +
                         "::jsonb, " + tx.quote(f.sealed_credentials ? "ok" : "reauthorization_required") +
                         ") RETURNING id");
        out = from_row(destinations_table().find(tx, r[0][0].as<std::int64_t>())[0]);
        tx.commit();
    }, "destination", f.name);
    return *out;
}

std::optional<destination_record>
find(pqxx::connection& c, std::int64_t id)
{
    pqxx::read_transaction tx(c);
    auto r = destinations_table().find(tx, id);
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
}

page<destination_record>
list(pqxx::connection& c, const page_request& p)
{
    pqxx::read_transaction tx(c);
    return to_page<destination_record>(destinations_table().list(tx, p), p, from_row);
}

std::optional<destination_record>
update(pqxx::connection& c, std::int64_t id, const destination_fields& f, const std::string& expected_updated_at)
{
    std::optional<destination_record> out;
    on_unique_name([&] {
        pqxx::work tx(c);
        auto r = tx.exec("UPDATE hubsync.destinations SET name = " + tx.quote(f.name) + ", type = " + tx.quote(f.type) +
                         ", config = " + tx.quote(f.config.dump()) + "::jsonb, secret = " +
                         quote_optional(tx, f.sealed_credentials) + ", auth_method = " + tx.quote(f.auth_method) +
                         ", hub_id = " + hub_id_sql(f.hub_id) + ", scopes = " + tx.quote(f.scopes.dump()) +
                         "::jsonb, status = " + status_after_edit(f) + ", updated_at = now() WHERE id = " +
                         std::to_string(id) + " AND " + iso_time("updated_at") + " = " + tx.quote(expected_updated_at));
        if (r.affected_rows() == 0) {
            if (!destinations_table().find(tx, id).empty())
                throw core::error(core::errc::conflict,
                                  "the destination changed while this edit was made (for example an OAuth "
                                  "authorization completed): read it again and repeat the edit");
            return;
        }
        out = from_row(destinations_table().find(tx, id)[0]);
        tx.commit();
    }, "destination", f.name);
    return out;
}

std::optional<destination_record>
set_credentials(pqxx::connection& c, std::int64_t id, const destination_fields& f)
{
    pqxx::work tx(c);
    auto r = tx.exec("UPDATE hubsync.destinations SET secret = " + quote_optional(tx, f.sealed_credentials) +
                     ", auth_method = " + tx.quote(f.auth_method) + ", hub_id = " + hub_id_sql(f.hub_id) +
                     ", scopes = " + tx.quote(f.scopes.dump()) + "::jsonb, status = 'ok', updated_at = now() WHERE id = " +
                     std::to_string(id));
    if (r.affected_rows() == 0) return std::nullopt;
    auto out = from_row(destinations_table().find(tx, id)[0]);
    tx.commit();
    return out;
}

void
set_status(pqxx::connection& c, std::int64_t id, const std::string& status)
{
    pqxx::work tx(c);
    tx.exec("UPDATE hubsync.destinations SET status = " + tx.quote(status) + ", updated_at = now() WHERE id = " +
            std::to_string(id));
    tx.commit();
}

void
save_refreshed_credentials(pqxx::connection& c, std::int64_t id, const std::string& sealed)
{
    pqxx::work tx(c);
    tx.exec("UPDATE hubsync.destinations SET secret = " + tx.quote(sealed) + " WHERE id = " + std::to_string(id) +
            " AND auth_method = 'oauth'");
    tx.commit();
}

bool
remove(pqxx::connection& c, std::int64_t id)
{
    pqxx::work tx(c);
    bool removed = destinations_table().remove(tx, id, "one or more syncs");
    tx.commit();
    return removed;
}

}  // namespace hubsync::store::destinations
