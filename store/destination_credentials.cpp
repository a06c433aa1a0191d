#include "store/destination_credentials.hpp"

#include <nlohmann/json.hpp>

namespace hubsync::store {

namespace {
// Authenticated with each sealed value, so a destination secret copied into a source row does not open.
constexpr const char* secret_context = "destination";
}  // namespace

std::optional<std::string>
seal_credentials(const secret_box& box, const destination_credentials& c)
{
    if (c.empty()) return std::nullopt;
    nlohmann::json j = nlohmann::json::object();
    if (c.private_app_token) j["private_app_token"] = *c.private_app_token;
    if (c.oauth)
        j["oauth"] = {{"access_token", c.oauth->access_token},
                      {"refresh_token", c.oauth->refresh_token},
                      {"expires_at", c.oauth->expires_at}};
    return box.seal(j.dump(), secret_context);
}

destination_credentials
open_credentials(const secret_box& box, const std::optional<std::string>& sealed)
{
    destination_credentials c;
    if (!sealed) return c;
    auto j = nlohmann::json::parse(box.open(*sealed, secret_context), nullptr, false);
    if (!j.is_object()) throw secret_error("the destination's sealed credentials are not a JSON object");
    if (auto t = j.find("private_app_token"); t != j.end() && t->is_string()) c.private_app_token = t->get<std::string>();
    if (auto o = j.find("oauth"); o != j.end() && o->is_object()) {
        oauth_credentials oc;
        oc.access_token = o->value("access_token", "");
        oc.refresh_token = o->value("refresh_token", "");
        oc.expires_at = o->value("expires_at", std::int64_t{0});
        c.oauth = oc;
    }
    return c;
}

}  // namespace hubsync::store
