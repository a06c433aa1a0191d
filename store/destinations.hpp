#pragma once
#include "store/paging.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <optional>
#include <string>

namespace hubsync::store {

struct destination_fields {
    std::string name;
    std::string type;                    // "hubspot"
    nlohmann::json config;               // non-secret settings (base_url, ...)
    std::optional<std::string> sealed_credentials;  // sealed JSON, e.g. {"private_app_token": "..."}
    std::string auth_method;             // private_app_token | oauth
    std::optional<std::int64_t> hub_id;  // the portal, as HubSpot reported it for the token
    nlohmann::json scopes = nlohmann::json::array();  // granted to the token; [] when HubSpot did not say
};

struct destination_record : destination_fields {
    std::int64_t id = 0;
    std::string status = "ok";           // ok | reauthorization_required
    std::string created_at;
    std::string updated_at;
};

namespace destinations {
destination_record insert(pqxx::connection& c, const destination_fields& f);
std::optional<destination_record> find(pqxx::connection& c, std::int64_t id);
page<destination_record> list(pqxx::connection& c, const page_request& p);
// `expected_updated_at`: the updated_at the edit was based on; a row changed since (an OAuth callback, another
// edit) is core::error{conflict} rather than silently overwritten.
std::optional<destination_record> update(pqxx::connection& c, std::int64_t id, const destination_fields& f,
                                         const std::string& expected_updated_at);
bool remove(pqxx::connection& c, std::int64_t id);
// After OAuth: new credentials, method, portal and scopes, status back to ok.
std::optional<destination_record> set_credentials(pqxx::connection& c, std::int64_t id, const destination_fields& f);
void set_status(pqxx::connection& c, std::int64_t id, const std::string& status);
// A refreshed OAuth access token. Only while the destination still uses OAuth (an edit may have switched it to a
// private app token meanwhile); updated_at stays, since the definition did not change.
void save_refreshed_credentials(pqxx::connection& c, std::int64_t id, const std::string& sealed);
}  // namespace destinations

}  // namespace hubsync::store
