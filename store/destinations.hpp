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
std::optional<destination_record> update(pqxx::connection& c, std::int64_t id, const destination_fields& f);
bool remove(pqxx::connection& c, std::int64_t id);
// After OAuth: new credentials, method, portal and scopes, status back to ok.
std::optional<destination_record> set_credentials(pqxx::connection& c, std::int64_t id, const destination_fields& f);
void set_status(pqxx::connection& c, std::int64_t id, const std::string& status);
}  // namespace destinations

}  // namespace hubsync::store
