#pragma once
#include "store/secret_box.hpp"
#include "store/sources.hpp"

#include <string>

namespace hubsync::api {

// The warehouse URL of a source, password included: only for connecting, never for a response or a log.
std::string source_url(const store::source_record& s, const store::secret_box& secrets);

// Shown in place of a secret.
inline constexpr const char* redacted = "********";

}  // namespace hubsync::api

#include "api/services.hpp"

#include <nlohmann/json.hpp>

namespace hubsync::api {

// The columns ([{"name","type"}]) that `sql` produces on source `source_id`, asked of the warehouse.
// Throws core::error{unprocessable} at path `source_path` when the source does not exist, and with the
// warehouse's reason when the SQL fails or the warehouse cannot be reached.
net::awaitable<nlohmann::json> describe_model_columns(services& svc, std::int64_t source_id, std::string sql,
                                                      std::string source_path);

}  // namespace hubsync::api
