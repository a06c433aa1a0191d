#pragma once
#include "connectors/postgres/warehouse.hpp"
#include "core/metrics.hpp"
#include "core/net.hpp"
#include "hubspot/oauth.hpp"
#include "hubspot/portal_registry.hpp"
#include "store/database.hpp"
#include "store/secret_box.hpp"
#include "sync/destination_clients.hpp"
#include "scheduler/run_queue.hpp"

#include <atomic>

namespace hubsync::api {

// What handlers may use; owned by daemon/app and outliving the server.
struct services {
    store::database& db;
    net::thread_pool& warehouse_pool;   // blocking warehouse queries, apart from state-database work
    const store::secret_box& secrets;
    core::metrics_registry& metrics;
    connectors::postgres::query_limits warehouse_limits;
    int preview_default_rows = 100;
    int preview_max_rows = 1000;
    std::atomic<bool>& shutting_down;
    hubspot::portal_registry& portals;   // one HubSpot client per destination
    hubspot::oauth_app oauth;            // not configured(): the OAuth routes say so
    sync::destination_clients& destinations;  // a destination's client, with its stored credentials
    scheduler::run_queue& runs;          // told when a run is queued
};

}  // namespace hubsync::api
