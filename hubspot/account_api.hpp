#pragma once
#include "hubspot/client.hpp"
#include "hubspot/paths.hpp"

#include <optional>
#include <string>
#include <vector>

namespace hubsync::hubspot {

struct token_info {
    std::optional<std::int64_t> hub_id;
    std::vector<std::string> scopes;
};

// Who the token belongs to and what it may do.
class account_api {
public:
    account_api(client& c, api_paths paths) : client_(c), paths_(std::move(paths)) {}

    // Private app token: POST /oauth/v2/private-apps/get/access-token-info (widely used, not in HubSpot's specs:
    // hubspot-api.md §1.2). Falls back to GET /account-info/v3/details for the hub id when that endpoint is
    // missing (404), leaving scopes empty.
    net::awaitable<token_info> private_app_token_info(std::string token);
    // OAuth access token: GET /oauth/v1/access-tokens/{token}.
    net::awaitable<token_info> oauth_token_info(std::string token);
    net::awaitable<std::int64_t> portal_id();

private:
    client& client_;
    api_paths paths_;
};

// The scopes an object sync needs (hubspot-api.md §1.6): read and write of the records and read of the schema.
// Names HubSpot does not define are custom objects, which need the custom-object scopes.
std::vector<std::string> required_scopes_for_object(const std::string& object_type);
// The scopes of `required` that `granted` lacks, in order.
std::vector<std::string> missing_scopes(const std::vector<std::string>& required, const std::vector<std::string>& granted);

}  // namespace hubsync::hubspot
