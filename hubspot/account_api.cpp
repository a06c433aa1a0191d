#include "hubspot/account_api.hpp"

#include "hubspot/api_error.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

std::vector<std::string>
string_list(const json& j, const char* key)
{
    std::vector<std::string> out;
    if (auto it = j.find(key); it != j.end() && it->is_array())
        for (const auto& s : *it)
            if (s.is_string()) out.push_back(s.get<std::string>());
    return out;
}

std::optional<std::int64_t>
integer(const json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end()) return std::nullopt;
    if (it->is_number_integer()) return it->get<std::int64_t>();
    if (it->is_string()) {
        try {
            return std::stoll(it->get<std::string>());
        } catch (...) {
        }
    }
    return std::nullopt;
}
}  // namespace

net::awaitable<std::int64_t>
account_api::portal_id()
{
    call c;
    c.target = paths_.account_details();
    c.endpoint = "account.details";
    auto res = co_await client_.send(std::move(c));
    auto j = json::parse(res.body, nullptr, false);
    auto id = j.is_object() ? integer(j, "portalId") : std::nullopt;
    if (!id) throw std::runtime_error("HubSpot's account details carry no portalId");
    co_return *id;
}

net::awaitable<token_info>
account_api::private_app_token_info(std::string token)
{
    call c;
    c.method = http::verb::post;
    c.target = "/oauth/v2/private-apps/get/access-token-info";
    c.body = json{{"tokenKey", token}}.dump();
    c.endpoint = "account.token_info";
    token_info info;
    try {
        auto res = co_await client_.send(std::move(c));
        auto j = json::parse(res.body, nullptr, false);
        if (j.is_object()) {
            info.hub_id = integer(j, "hubId");
            info.scopes = string_list(j, "scopes");
        }
    } catch (const api_error& e) {
        if (e.status() != 404) throw;
    }
    if (!info.hub_id) info.hub_id = co_await portal_id();
    co_return info;
}

net::awaitable<token_info>
account_api::oauth_token_info(std::string token)
{
    call c;
    c.target = "/oauth/v1/access-tokens/" + encode_segment(token);
    c.endpoint = "account.token_info";
    c.authenticated = false;
    auto res = co_await client_.send(std::move(c));
    auto j = json::parse(res.body, nullptr, false);
    token_info info;
    if (j.is_object()) {
        info.hub_id = integer(j, "hub_id");
        info.scopes = string_list(j, "scopes");
    }
    co_return info;
}

std::vector<std::string>
required_scopes_for_object(const std::string& object_type)
{
    static const std::vector<std::pair<std::vector<std::string>, std::string>> standard = {
        {{"contacts", "contact", "0-1"}, "contacts"},
        {{"companies", "company", "0-2"}, "companies"},
        {{"deals", "deal", "0-3"}, "deals"},
    };
    for (const auto& [names, scope] : standard)
        if (std::find(names.begin(), names.end(), object_type) != names.end())
            return {"crm.objects." + scope + ".read", "crm.objects." + scope + ".write", "crm.schemas." + scope + ".read"};
    if (object_type == "tickets" || object_type == "ticket" || object_type == "0-5") return {"tickets"};
    return {"crm.objects.custom.read", "crm.objects.custom.write", "crm.schemas.custom.read"};
}

std::vector<std::string>
missing_scopes(const std::vector<std::string>& required, const std::vector<std::string>& granted)
{
    std::vector<std::string> out;
    for (const auto& r : required)
        if (std::find(granted.begin(), granted.end(), r) == granted.end()) out.push_back(r);
    return out;
}

}  // namespace hubsync::hubspot
