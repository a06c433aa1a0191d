#include "core/error.hpp"

namespace hubsync::core {

const char*
to_string(errc code) noexcept
{
    switch (code) {
    case errc::invalid_request: return "invalid_request";
    case errc::unauthorized: return "unauthorized";
    case errc::not_found: return "not_found";
    case errc::method_not_allowed: return "method_not_allowed";
    case errc::conflict: return "conflict";
    case errc::payload_too_large: return "payload_too_large";
    case errc::unprocessable: return "validation_failed";
    case errc::unavailable: return "unavailable";
    }
    return "internal";
}

int
http_status(errc code) noexcept
{
    switch (code) {
    case errc::invalid_request: return 400;
    case errc::unauthorized: return 401;
    case errc::not_found: return 404;
    case errc::method_not_allowed: return 405;
    case errc::conflict: return 409;
    case errc::payload_too_large: return 413;
    case errc::unprocessable: return 422;
    case errc::unavailable: return 503;
    }
    return 500;
}

}  // namespace hubsync::core
