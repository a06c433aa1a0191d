#pragma once
#include "store/runs.hpp"

#include <nlohmann/json.hpp>

namespace hubsync::api {

// A run as DESIGN §5 shows it; a dry run adds dry_run, projected_api_calls and sample.
nlohmann::json run_json(const store::run_record& r);

}  // namespace hubsync::api
