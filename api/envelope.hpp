#pragma once
#include "api/http_types.hpp"
#include "core/error.hpp"

#include <nlohmann/json.hpp>

namespace hubsync::api {

// {"error":{"code","message","details":[{"path","message"}]}} with the status of the code.
response error_response(const core::error& e);
response internal_error_response(const std::string& request_id);
response json_response(int status, const nlohmann::json& body);

}  // namespace hubsync::api
