#pragma once
// One run of an object sync (DESIGN §3 "Objects"): the object job plugged into the run pipeline. It writes the
// added and changed rows to HubSpot in batches of 100 (upsert, update or insert); the pipeline advances each row's
// baseline only once HubSpot acknowledged it.
#include "hubspot/portal_schema.hpp"
#include "store/models.hpp"
#include "sync/destination_clients.hpp"
#include "sync/object_writer.hpp"
#include "sync/run_pipeline.hpp"
#include "sync/sync_config.hpp"

#include <memory>

namespace hubsync::sync {

struct object_job_inputs {
    std::int64_t sync_id = 0;
    object_config config;
    std::uint64_t config_seed = 0;      // of the stored configuration: a changed mapping changes every hash
    store::model_record model;
    model_source source;
    destination_client destination;
    std::shared_ptr<const hubspot::portal_schema> schema;
    run_options options;
    writer_settings writer;
};

// Throws core::error for a failure of the whole run (the model cannot be read, HubSpot refuses the token, a mapped
// property is gone, ...); rows HubSpot refuses are row errors in `tracker`.
net::awaitable<void> run_object_job(job_env env, object_job_inputs in, std::shared_ptr<run_tracker> tracker);

}  // namespace hubsync::sync
