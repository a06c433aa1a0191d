#pragma once
// One run of an object sync (DESIGN §3 "Objects"): plan the model against row state, write the added and changed
// rows to HubSpot in batches of 100 (upsert, update or insert), and advance each row's baseline only once HubSpot
// acknowledged it.
#include "connectors/postgres/warehouse.hpp"
#include "hubspot/portal_schema.hpp"
#include "store/database.hpp"
#include "store/models.hpp"
#include "store/syncs.hpp"
#include "sync/destination_clients.hpp"
#include "sync/run_tracker.hpp"

#include <memory>

namespace hubsync::sync {

struct run_options {
    bool full_resync = false;     // send every row, whatever its baseline
    bool reset_baseline = false;  // adopt the current rows as synced without sending anything
    bool dry_run = false;         // plan and report; write nothing to HubSpot or row state
};

struct job_env {
    store::database& db;
    net::thread_pool& warehouse_pool;
    net::any_io_executor strand;  // the run's coroutines
    int max_in_flight = 4;        // batches awaiting HubSpot at once; the portal's limiter paces them
};

struct object_job_inputs {
    store::sync_record sync;
    store::model_record model;
    std::string source_url;
    connectors::postgres::query_limits limits;
    destination_client destination;
    std::shared_ptr<const hubspot::portal_schema> schema;
    run_options options;
};

// Throws core::error for a failure of the whole run (the model cannot be read, HubSpot refuses the token, ...);
// rows HubSpot refuses are row errors in `tracker`.
net::awaitable<void> run_object_job(job_env env, object_job_inputs in, std::shared_ptr<run_tracker> tracker);

}  // namespace hubsync::sync
