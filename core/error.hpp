#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace hubsync::core {

// Failures a client can act on. The API boundary maps each to an HTTP status and the JSON error envelope of
// DESIGN §5; everything else that escapes a handler is an internal error.
enum class errc {
    invalid_request,    // 400: body is not JSON, bad query parameter
    unauthorized,       // 401
    not_found,          // 404
    method_not_allowed, // 405
    conflict,           // 409: name taken, still referenced
    payload_too_large,  // 413
    unprocessable,      // 422: well-formed but invalid; details carry JSON paths
    unavailable,        // 503: a dependency (state database, warehouse) cannot be reached
};

struct error_detail {
    std::string path;     // JSON path into the request body, e.g. "config.mappings[1].property"
    std::string message;
};

class error : public std::runtime_error {
public:
    error(errc code, std::string message, std::vector<error_detail> details = {})
        : std::runtime_error(std::move(message)), code_(code), details_(std::move(details))
    {
    }

    errc code() const noexcept { return code_; }
    const std::vector<error_detail>& details() const noexcept { return details_; }

private:
    errc code_;
    std::vector<error_detail> details_;
};

// Stable machine-readable code for the envelope's "code" field.
const char* to_string(errc code) noexcept;
// HTTP status for the code.
int http_status(errc code) noexcept;

}  // namespace hubsync::core
