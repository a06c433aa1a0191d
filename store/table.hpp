#pragma once
#include "core/error.hpp"
#include "store/paging.hpp"

#include <pqxx/pqxx>

#include <functional>
#include <string>

namespace hubsync::store {

// SQL that renders a timestamptz column as ISO-8601 UTC with milliseconds, as the API shows times.
std::string iso_time(const std::string& column);

// The shared statements of the definition tables (sources, destinations, models, syncs). `select_list` is the
// table's column list; `what` names one row in messages ("source").
struct table {
    std::string name;         // e.g. "hubsync.sources"
    std::string select_list;  // e.g. "id, name, ..."
    std::string what;

    pqxx::result find(pqxx::transaction_base& tx, std::int64_t id) const;
    pqxx::result list(pqxx::transaction_base& tx, const page_request& p, const std::string& where = "TRUE") const;
    // Deletes; throws core::error{conflict} naming `referenced_by` when a foreign key still points at the row.
    bool remove(pqxx::transaction_base& tx, std::int64_t id, const std::string& referenced_by) const;
};

// Runs `f` and turns a unique-name violation into core::error{conflict} "<what> named '<name>' already exists".
void on_unique_name(const std::function<void()>& f, const std::string& what, const std::string& name);

// Fills page::next_after from a result fetched with limit + 1 rows.
template <class T, class Map>
page<T>
to_page(const pqxx::result& r, const page_request& p, Map map)
{
    page<T> out;
    for (std::size_t i = 0; i < r.size() && static_cast<int>(i) < p.limit; ++i) out.items.push_back(map(r[i]));
    if (static_cast<int>(r.size()) > p.limit && !r.empty()) out.next_after = r[p.limit - 1][0].as<std::int64_t>();
    return out;
}

}  // namespace hubsync::store
