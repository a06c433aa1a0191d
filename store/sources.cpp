#include "store/sources.hpp"

#include "store/table.hpp"

namespace hubsync::store::sources {

namespace {
const table& sources_table()
{
    static const table t{"hubsync.sources",
                         "id, name, type, config, secret, " + iso_time("created_at") + ", " + iso_time("updated_at"),
                         "source"};
    return t;
}

source_record
from_row(const pqxx::row& r)
{
    source_record s;
    s.id = r[0].as<std::int64_t>();
    s.name = r[1].as<std::string>();
    s.type = r[2].as<std::string>();
    s.config = nlohmann::json::parse(r[3].as<std::string>());
    s.sealed_config = r[4].as<std::string>();
    s.created_at = r[5].as<std::string>();
    s.updated_at = r[6].as<std::string>();
    return s;
}
}  // namespace

source_record
insert(pqxx::connection& c, const source_fields& f)
{
    std::optional<source_record> out;
    on_unique_name([&] {
        pqxx::work tx(c);
        auto r = tx.exec("INSERT INTO hubsync.sources (name, type, config, secret) VALUES (" + tx.quote(f.name) + ", " +
                         tx.quote(f.type) + ", " + tx.quote(f.config.dump()) + "::jsonb, " + tx.quote(f.sealed_config) +
                         ") RETURNING id");
        auto rows = sources_table().find(tx, r[0][0].as<std::int64_t>());
        out = from_row(rows[0]);
        tx.commit();
    }, "source", f.name);
    return *out;
}

std::optional<source_record>
find(pqxx::connection& c, std::int64_t id)
{
    pqxx::read_transaction tx(c);
    auto r = sources_table().find(tx, id);
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
}

page<source_record>
list(pqxx::connection& c, const page_request& p)
{
    pqxx::read_transaction tx(c);
    return to_page<source_record>(sources_table().list(tx, p), p, from_row);
}

std::optional<source_record>
update(pqxx::connection& c, std::int64_t id, const source_fields& f)
{
    std::optional<source_record> out;
    on_unique_name([&] {
        pqxx::work tx(c);
        auto r = tx.exec("UPDATE hubsync.sources SET name = " + tx.quote(f.name) + ", type = " + tx.quote(f.type) +
                         ", config = " + tx.quote(f.config.dump()) + "::jsonb, secret = " + tx.quote(f.sealed_config) +
                         ", updated_at = now() WHERE id = " + std::to_string(id));
        if (r.affected_rows() == 0) return;
        out = from_row(sources_table().find(tx, id)[0]);
        tx.commit();
    }, "source", f.name);
    return out;
}

bool
remove(pqxx::connection& c, std::int64_t id)
{
    pqxx::work tx(c);
    bool removed = sources_table().remove(tx, id, "one or more models");
    tx.commit();
    return removed;
}

std::string
url(const source_record& s, const secret_box& secrets)
{
    // Sealed with the resource kind as associated data, as the API does (api/handlers/sources.cpp).
    return nlohmann::json::parse(secrets.open(s.sealed_config, "source"))["url"];
}

}  // namespace hubsync::store::sources
