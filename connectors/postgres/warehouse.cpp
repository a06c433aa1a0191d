#include "connectors/postgres/warehouse.hpp"

#include "core/dsn.hpp"
#include "core/error.hpp"

#include <pqxx/pqxx>

#include <map>
#include <set>

namespace hubsync::connectors::postgres {

namespace {
using core::errc;

std::string
first_line(std::string m)
{
    if (m.rfind("ERROR:", 0) == 0) m.erase(0, 6);
    while (!m.empty() && m.front() == ' ') m.erase(0, 1);
    auto nl = m.find('\n');
    if (nl != std::string::npos) m.resize(nl);
    return m;
}

std::unique_ptr<pqxx::connection>
connect(const std::string& dsn, const query_limits& limits)
{
    try {
        return std::make_unique<pqxx::connection>(core::with_connect_timeout(dsn, limits.connect_timeout_seconds));
    } catch (const std::exception& e) {
        throw core::error(errc::unprocessable,
                          "cannot connect to the source: " + first_line(core::hide_dsn(e.what(), dsn)));
    }
}

void
begin_limited(pqxx::transaction_base& tx, const query_limits& limits)
{
    tx.exec("SET LOCAL statement_timeout = " + std::to_string(limits.statement_timeout.count()));
}

// Runs `f` and turns warehouse failures into errors the user can act on.
template <class F>
auto
guarded(const query_limits& limits, F f)
{
    try {
        return f();
    } catch (const pqxx::sql_error& e) {
        if (e.sqlstate() == "57014")
            throw core::error(errc::unprocessable, "the model query ran longer than the statement timeout of " +
                                                       std::to_string(limits.statement_timeout.count()) + " ms",
                              {{"sql", "query timed out"}});
        throw core::error(errc::unprocessable, "the model query failed: " + first_line(e.what()),
                          {{"sql", first_line(e.what())}});
    } catch (const pqxx::broken_connection& e) {
        throw core::error(errc::unprocessable, "the connection to the source was lost: " + first_line(e.what()));
    }
}

std::vector<column>
columns_of(pqxx::transaction_base& tx, const pqxx::result& r)
{
    std::set<pqxx::oid> oids;
    for (pqxx::row::size_type i = 0; i < r.columns(); ++i) oids.insert(r.column_type(i));
    std::map<pqxx::oid, std::string> names;
    if (!oids.empty()) {
        std::string list;
        for (auto o : oids) list += (list.empty() ? "" : ",") + std::to_string(o);
        for (const auto& row : tx.exec("SELECT oid, format_type(oid, NULL) FROM pg_type WHERE oid IN (" + list + ")"))
            names[row[0].as<pqxx::oid>()] = row[1].as<std::string>();
    }
    std::vector<column> out;
    std::set<std::string> seen;
    for (pqxx::row::size_type i = 0; i < r.columns(); ++i) {
        std::string name = r.column_name(i);
        if (!seen.insert(name).second)
            throw core::error(errc::unprocessable, "the model query returns the column '" + name +
                                                       "' more than once; give each column a distinct name",
                              {{"sql", "duplicate column name '" + name + "'"}});
        out.push_back({name, names.count(r.column_type(i)) ? names[r.column_type(i)] : "unknown"});
    }
    return out;
}

std::string
wrapped(const std::string& sql)
{
    return "(" + normalise_model_sql(sql) + "\n) AS hubsync_model";
}
}  // namespace

std::string
normalise_model_sql(const std::string& sql)
{
    auto is_trim = [](char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == ';'; };
    std::size_t b = 0, e = sql.size();
    while (b < e && (sql[b] == ' ' || sql[b] == '\n' || sql[b] == '\r' || sql[b] == '\t')) ++b;
    while (e > b && is_trim(sql[e - 1])) --e;
    return sql.substr(b, e - b);
}

connection_test
test_connection(const std::string& dsn, const query_limits& limits)
{
    auto started = std::chrono::steady_clock::now();
    auto conn = connect(dsn, limits);
    return guarded(limits, [&] {
        pqxx::read_transaction tx(*conn);
        begin_limited(tx, limits);
        auto v = tx.exec("SELECT current_setting('server_version')")[0][0].as<std::string>();
        tx.commit();
        std::chrono::duration<double, std::milli> ms = std::chrono::steady_clock::now() - started;
        return connection_test{v, ms.count()};
    });
}

std::vector<column>
describe(const std::string& dsn, const std::string& model_sql, const query_limits& limits)
{
    auto conn = connect(dsn, limits);
    return guarded(limits, [&] {
        pqxx::read_transaction tx(*conn);
        begin_limited(tx, limits);
        auto r = tx.exec("SELECT * FROM " + wrapped(model_sql) + " LIMIT 0");
        return columns_of(tx, r);
    });
}

preview_result
preview(const std::string& dsn, const std::string& model_sql, int limit, const query_limits& limits)
{
    auto conn = connect(dsn, limits);
    return guarded(limits, [&] {
        pqxx::read_transaction tx(*conn);
        begin_limited(tx, limits);
        preview_result out;
        out.columns = columns_of(tx, tx.exec("SELECT * FROM " + wrapped(model_sql) + " LIMIT 0"));
        // row_to_json keeps column order and renders arrays, numerics and times as JSON the way PostgreSQL does.
        auto r = tx.exec("SELECT row_to_json(hubsync_model)::text FROM " + wrapped(model_sql) + " LIMIT " +
                         std::to_string(limit));
        out.rows = nlohmann::json::array();
        for (const auto& row : r) out.rows.push_back(nlohmann::json::parse(row[0].as<std::string>()));
        return out;
    });
}

}  // namespace hubsync::connectors::postgres
