#include "store/models.hpp"

#include "store/table.hpp"

namespace hubsync::store::models {

namespace {
const table& models_table()
{
    static const table t{"hubsync.models",
                         "id, name, source_id, sql, primary_key, columns, " + iso_time("created_at") + ", " +
                             iso_time("updated_at"),
                         "model"};
    return t;
}

model_record
from_row(const pqxx::row& r)
{
    model_record m;
    m.id = r[0].as<std::int64_t>();
    m.name = r[1].as<std::string>();
    m.source_id = r[2].as<std::int64_t>();
    m.sql = r[3].as<std::string>();
    m.primary_key = r[4].as<std::string>();
    m.columns = nlohmann::json::parse(r[5].as<std::string>());
    m.created_at = r[6].as<std::string>();
    m.updated_at = r[7].as<std::string>();
    return m;
}

template <class F>
void
guard_source_reference(F f, const std::string& name)
{
    try {
        on_unique_name(f, "model", name);
    } catch (const pqxx::foreign_key_violation&) {
        throw core::error(core::errc::unprocessable, "the model refers to a source that does not exist",
                          {{"source_id", "no source with this id"}});
    }
}
}  // namespace

model_record
insert(pqxx::connection& c, const model_fields& f)
{
    std::optional<model_record> out;
    guard_source_reference([&] {
        pqxx::work tx(c);
        auto r = tx.exec("INSERT INTO hubsync.models (name, source_id, sql, primary_key, columns) VALUES (" +
                         tx.quote(f.name) + ", " + std::to_string(f.source_id) + ", " + tx.quote(f.sql) + ", " +
                         tx.quote(f.primary_key) + ", " + tx.quote(f.columns.dump()) + "::jsonb) RETURNING id");
        out = from_row(models_table().find(tx, r[0][0].as<std::int64_t>())[0]);
        tx.commit();
    }, f.name);
    return *out;
}

std::optional<model_record>
find(pqxx::connection& c, std::int64_t id)
{
    pqxx::read_transaction tx(c);
    auto r = models_table().find(tx, id);
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
}

page<model_record>
list(pqxx::connection& c, const page_request& p)
{
    pqxx::read_transaction tx(c);
    return to_page<model_record>(models_table().list(tx, p), p, from_row);
}

std::optional<model_record>
update(pqxx::connection& c, std::int64_t id, const model_fields& f)
{
    std::optional<model_record> out;
    guard_source_reference([&] {
        pqxx::work tx(c);
        auto r = tx.exec("UPDATE hubsync.models SET name = " + tx.quote(f.name) + ", source_id = " +
                         std::to_string(f.source_id) + ", sql = " + tx.quote(f.sql) + ", primary_key = " +
                         tx.quote(f.primary_key) + ", columns = " + tx.quote(f.columns.dump()) +
                         "::jsonb, updated_at = now() WHERE id = " + std::to_string(id));
        if (r.affected_rows() == 0) return;
        out = from_row(models_table().find(tx, id)[0]);
        tx.commit();
    }, f.name);
    return out;
}

void
set_columns(pqxx::connection& c, std::int64_t id, const nlohmann::json& columns)
{
    pqxx::work tx(c);
    tx.exec("UPDATE hubsync.models SET columns = " + tx.quote(columns.dump()) + "::jsonb WHERE id = " +
            std::to_string(id));
    tx.commit();
}

bool
remove(pqxx::connection& c, std::int64_t id)
{
    pqxx::work tx(c);
    bool removed = models_table().remove(tx, id, "one or more syncs");
    tx.commit();
    return removed;
}

}  // namespace hubsync::store::models
