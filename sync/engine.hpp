#pragma once
#include "connectors/postgres/warehouse.hpp"
#include "core/metrics.hpp"
#include "store/database.hpp"
#include "store/runs.hpp"
#include "store/secret_box.hpp"
#include "sync/destination_clients.hpp"
#include "sync/object_writer.hpp"
#include "sync/run_tracker.hpp"

#include <memory>
#include <optional>
#include <string>

namespace hubsync::sync {

struct engine_deps {
    store::database& db;
    net::thread_pool& warehouse_pool;
    const store::secret_box& secrets;
    destination_clients& destinations;
    core::metrics_registry& metrics;
    connectors::postgres::query_limits limits;
    int max_in_flight = 4;
    writer_settings writer;
};

struct run_outcome {
    std::string status;                 // succeeded | partial | failed | cancelled
    std::optional<std::string> error;
};

// Executes runs: loads the sync, its model, source and destination, and hands over to the job of the sync's type.
class engine {
public:
    explicit engine(engine_deps deps);

    // Runs to the end and says how it ended; never throws. Counts and row errors go to `tracker` as it goes.
    net::awaitable<run_outcome> execute(store::run_record run, std::shared_ptr<run_tracker> tracker);

private:
    net::awaitable<void> execute_or_throw(store::run_record run, std::shared_ptr<run_tracker> tracker);
    void count(const store::run_record& run, const run_outcome& outcome, const store::run_progress& p);

    engine_deps deps_;
};

// A failure of a whole run in words a user can act on.
std::string describe_run_failure(std::exception_ptr e);

}  // namespace hubsync::sync
