#pragma once
// Bearer authentication as HubSpot answers it (hubspot-api.md §1.5, §8.2).
#include "tests/emulator/call.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace hubsync::emulator {

// The token of "Bearer <token>" (scheme case-insensitive); nullopt when absent or malformed.
std::optional<std::string> bearer_token(std::string_view authorization);

// Sets c.who from the Authorization header. Throws 401 INVALID_AUTHENTICATION (missing or unknown token) or
// 401 EXPIRED_AUTHENTICATION (an OAuth access token past its expiry).
void authenticate(call& c);

}  // namespace hubsync::emulator
