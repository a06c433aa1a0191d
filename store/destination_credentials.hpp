#pragma once
#include "store/secret_box.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace hubsync::store {

struct oauth_credentials {
    std::string access_token;
    std::string refresh_token;
    std::int64_t expires_at = 0;   // epoch seconds
};

// What a HubSpot destination authenticates with; sealed as one JSON document in destinations.secret. A private
// app token, when present, is the one used (DESIGN §3).
struct destination_credentials {
    std::optional<std::string> private_app_token;
    std::optional<oauth_credentials> oauth;

    bool empty() const noexcept { return !private_app_token && !oauth; }
};

// nullopt when there is nothing to store.
std::optional<std::string> seal_credentials(const secret_box& box, const destination_credentials& c);
// Throws secret_error when the value does not open under this key.
destination_credentials open_credentials(const secret_box& box, const std::optional<std::string>& sealed);

}  // namespace hubsync::store
