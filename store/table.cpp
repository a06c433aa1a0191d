#include "store/table.hpp"

namespace hubsync::store {

std::string
iso_time(const std::string& column)
{
    return "to_char(" + column + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.MS\"Z\"')";
}

pqxx::result
table::find(pqxx::transaction_base& tx, std::int64_t id) const
{
    return tx.exec("SELECT " + select_list + " FROM " + name + " WHERE id = " + std::to_string(id));
}

pqxx::result
table::list(pqxx::transaction_base& tx, const page_request& p, const std::string& where) const
{
    std::string sql = "SELECT " + select_list + " FROM " + name + " WHERE (" + where + ")";
    if (p.after) sql += " AND id > " + std::to_string(*p.after);
    sql += " ORDER BY id LIMIT " + std::to_string(p.limit + 1);
    return tx.exec(sql);
}

bool
table::remove(pqxx::transaction_base& tx, std::int64_t id, const std::string& referenced_by) const
{
    try {
        return tx.exec("DELETE FROM " + name + " WHERE id = " + std::to_string(id)).affected_rows() > 0;
    } catch (const pqxx::foreign_key_violation&) {
        throw core::error(core::errc::conflict,
                          "this " + what + " is still used by " + referenced_by + "; delete those first");
    }
}

void
on_unique_name(const std::function<void()>& f, const std::string& what, const std::string& name)
{
    try {
        f();
    } catch (const pqxx::unique_violation&) {
        throw core::error(core::errc::conflict, "a " + what + " named '" + name + "' already exists",
                          {{"name", "must be unique"}});
    }
}

}  // namespace hubsync::store
