#pragma once
#include "store/paging.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <optional>
#include <string>

namespace hubsync::store {

struct sync_fields {
    std::string name;
    std::int64_t model_id = 0;
    std::int64_t destination_id = 0;
    std::string type;                 // object | event | list
    nlohmann::json config;
    nlohmann::json schedule;          // {"type":"manual"} | interval | cron
    bool enabled = true;
    nlohmann::json warnings = nlohmann::json::array();  // [{"path","message"}]
};

struct sync_record : sync_fields {
    std::int64_t id = 0;
    std::string created_at;
    std::string updated_at;
};

namespace syncs {
// Throw core::error{unprocessable} at "model_id" / "destination_id" when those do not exist.
sync_record insert(pqxx::connection& c, const sync_fields& f);
std::optional<sync_record> find(pqxx::connection& c, std::int64_t id);
page<sync_record> list(pqxx::connection& c, const page_request& p);
// `reset_row_state`: the sync now writes to another destination or object, so what its rows were synced as
// means nothing there: the row state goes in the same transaction (a conflict while a run is running).
std::optional<sync_record> update(pqxx::connection& c, std::int64_t id, const sync_fields& f,
                                  bool reset_row_state = false);
bool remove(pqxx::connection& c, std::int64_t id);
}  // namespace syncs

}  // namespace hubsync::store
