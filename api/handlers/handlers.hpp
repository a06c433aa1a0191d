#pragma once
#include "api/router.hpp"
#include "api/services.hpp"

namespace hubsync::api {

// Each adds one resource's routes (DESIGN §5) to the router.
void add_health_routes(router& r, services& svc);
void add_source_routes(router& r, services& svc);
void add_destination_routes(router& r, services& svc);
void add_model_routes(router& r, services& svc);
void add_sync_routes(router& r, services& svc);
void add_run_routes(router& r, services& svc);

// All of the above: the daemon's whole API.
void add_all_routes(router& r, services& svc);

}  // namespace hubsync::api
