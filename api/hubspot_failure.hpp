#pragma once
#include "core/error.hpp"

#include <exception>
#include <string>

namespace hubsync::api {

// A failed HubSpot call as an error the API user can act on: refused credentials, a missing scope or a revoked
// OAuth grant are 422s at `path`; an unreachable or rate-limited HubSpot is a 503. `doing` says what failed
// ("reading the destination's schema"). core::error passes through unchanged.
core::error hubspot_failure(std::exception_ptr e, const std::string& doing, const std::string& path = "");

}  // namespace hubsync::api
