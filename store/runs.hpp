#pragma once
#include "store/paging.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <optional>
#include <string>
#include <vector>

namespace hubsync::store {

struct run_record {
    std::int64_t id = 0;
    std::int64_t sync_id = 0;
    std::string status;                 // queued | running | succeeded | partial | failed | cancelled
    nlohmann::json options;             // the trigger's options
    bool dry_run = false;
    std::string created_at;
    std::optional<std::string> started_at;
    std::optional<std::string> finished_at;
    nlohmann::json planned;             // {"added","changed","removed","unchanged"}
    nlohmann::json succeeded;           // {"added","changed","removed"}
    nlohmann::json failed;
    std::int64_t api_calls = 0;
    std::optional<std::string> error;
    nlohmann::json extra;               // dry-run projection and sample
};

struct run_error_record {
    std::int64_t id = 0;
    std::optional<std::string> primary_key;
    std::string category;
    std::string message;
};

namespace runs {
run_record insert_queued(pqxx::connection& c, std::int64_t sync_id, const nlohmann::json& options, bool dry_run);
std::optional<run_record> find(pqxx::connection& c, std::int64_t id);
page<run_record> list_for_sync(pqxx::connection& c, std::int64_t sync_id, const page_request& p);
std::optional<run_record> last_for_sync(pqxx::connection& c, std::int64_t sync_id);
void add_errors(pqxx::connection& c, std::int64_t run_id, const std::vector<run_error_record>& errors);
page<run_error_record> errors(pqxx::connection& c, std::int64_t run_id, const page_request& p);
}  // namespace runs

}  // namespace hubsync::store
