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
    std::optional<std::int64_t> duration_ms;  // since it started; until now while it runs
};

struct run_error_record {
    std::int64_t id = 0;
    std::optional<std::string> primary_key;
    std::string category;
    std::string message;
};

// What a run has done so far; written with each heartbeat (live counts) and at the end.
struct run_progress {
    nlohmann::json planned = {{"added", 0}, {"changed", 0}, {"removed", 0}, {"unchanged", 0}};
    nlohmann::json succeeded = {{"added", 0}, {"changed", 0}, {"removed", 0}};
    nlohmann::json failed = {{"added", 0}, {"changed", 0}, {"removed", 0}};
    std::int64_t api_calls = 0;
    nlohmann::json extra = nlohmann::json::object();
};

namespace runs {
// A queued run for the sync: the one already waiting (created = false), or a new one. At most one run per sync
// waits behind the running one.
struct enqueued {
    run_record run;
    bool created = false;
};
enqueued enqueue(pqxx::connection& c, std::int64_t sync_id, const nlohmann::json& options, bool dry_run);
// Claims the oldest queued run whose sync has no running run: it becomes `running`, owned by `owner`.
std::optional<run_record> claim_next(pqxx::connection& c, const std::string& owner);
// Keeps the lease and publishes live counts. Returns whether a cancel was requested; false when the run is no
// longer this owner's (then the caller stops).
struct heartbeat_answer {
    bool still_owned = true;
    bool cancel_requested = false;
};
heartbeat_answer heartbeat(pqxx::connection& c, std::int64_t run_id, const std::string& owner, const run_progress& p);
// Final status (succeeded | partial | failed | cancelled), counts and error.
void finish(pqxx::connection& c, std::int64_t run_id, const std::string& status, const run_progress& p,
            const std::optional<std::string>& error);
// A queued run is cancelled at once; a running one is asked to stop (accepted = false: it had already ended).
// nullopt when there is no such run.
struct cancel_answer {
    run_record run;
    bool accepted = false;
};
std::optional<cancel_answer> request_cancel(pqxx::connection& c, std::int64_t run_id);
// Runs whose owner stopped renewing its lease (a daemon that died): failed, each sync queued again. Returns the
// runs recovered.
std::vector<std::int64_t> recover_abandoned(pqxx::connection& c, int lease_seconds);
std::optional<run_record> find(pqxx::connection& c, std::int64_t id);
page<run_record> list_for_sync(pqxx::connection& c, std::int64_t sync_id, const page_request& p);
std::optional<run_record> last_for_sync(pqxx::connection& c, std::int64_t sync_id);
void add_errors(pqxx::connection& c, std::int64_t run_id, const std::vector<run_error_record>& errors);
page<run_error_record> errors(pqxx::connection& c, std::int64_t run_id, const page_request& p);
}  // namespace runs

}  // namespace hubsync::store
