// OAuth 2.0 token endpoint, introspection and refresh tokens (hubspot-api.md §1.2-1.4, §8.3).
#include "tests/emulator/auth.hpp"
#include "tests/emulator/handlers.hpp"

#include <map>
#include <random>

namespace hubsync::emulator {

namespace {
using form = std::map<std::string, std::string>;

form
parse_form(const std::string& body)
{
    std::string path;
    form out;
    api::parse_target("/?" + body, path, out);  // same decoding as a query string ('+' is a space)
    return out;
}

std::string
field(const form& f, const char* key)
{
    auto it = f.find(key);
    return it == f.end() ? std::string{} : it->second;
}

// The RFC 6749 + legacy HubSpot body: {"error","error_description","status","message"}.
hs_error
oauth_error(const char* error, const char* status, const std::string& message)
{
    ojson body;
    body["error"] = error;
    body["error_description"] = message;
    body["status"] = status;
    body["message"] = message;
    return hs_error(400, std::move(body));
}

std::string
random_hex(std::size_t n)
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    static const char* digits = "0123456789abcdef";
    std::string out;
    out.reserve(n);
    for (std::size_t i = 0; i < n; ++i) out += digits[rng() & 15];
    return out;
}

ojson
scope_list(const std::set<std::string>& scopes)
{
    ojson a = ojson::array();
    for (const auto& s : scopes) a.push_back(s);
    return a;
}

std::string
user_email()
{
    return "emulator-user@example.com";
}

std::string
hub_domain(const call& c)
{
    return "emulator-" + std::to_string(c.st.portal_id()) + ".hubspot.test";
}

reply
token_endpoint(call& c, bool v3)
{
    const auto f = parse_form(c.req.body);
    const auto grant = field(f, "grant_type");
    if (grant != "authorization_code" && grant != "refresh_token")
        throw oauth_error("unsupported_grant_type", "BAD_GRANT_TYPE",
                          "grant_type must be authorization_code or refresh_token");
    const auto client_id = field(f, "client_id");
    if (client_id.empty()) throw oauth_error("invalid_client", "BAD_CLIENT_ID", "missing or invalid client id");
    if (field(f, "client_secret").empty())
        throw oauth_error("invalid_client", "BAD_CLIENT_SECRET", "missing or invalid client secret");

    refresh_token_info* refresh = nullptr;
    if (grant == "authorization_code") {
        auto it = c.st.auth_codes.find(field(f, "code"));
        if (it == c.st.auth_codes.end())
            throw oauth_error("invalid_grant", "BAD_AUTH_CODE", "missing or invalid auth code");
        if (!it->second.redirect_uri.empty() && it->second.redirect_uri != field(f, "redirect_uri"))
            throw oauth_error("invalid_grant", "BAD_REDIRECT_URI",
                              "redirect_uri does not match the authorization request");
        refresh_token_info info;
        info.token = "na1-" + random_hex(4) + "-" + random_hex(4) + "-" + random_hex(4) + "-" + random_hex(4) + "-" +
                     random_hex(12);
        info.scopes = it->second.scopes;
        info.scopes.insert("oauth");
        info.client_id = client_id;
        info.app_id = c.st.next_app_id++;
        info.user_id = 293199;
        info.bucket = "oauth-app:" + std::to_string(info.app_id);
        c.st.auth_codes.erase(it);  // single use
        auto key = info.token;
        refresh = &(c.st.refresh_tokens[key] = std::move(info));
    } else {
        auto it = c.st.refresh_tokens.find(field(f, "refresh_token"));
        if (it == c.st.refresh_tokens.end() || it->second.revoked || it->second.client_id != client_id)
            throw oauth_error("invalid_grant", "BAD_REFRESH_TOKEN", "refresh token is invalid, expired or revoked");
        refresh = &it->second;
    }

    const int ttl = c.st.config.oauth.access_token_ttl_seconds;
    token_info access;
    access.token = "CN" + random_hex(62);
    access.kind = token_kind::oauth;
    access.scopes = refresh->scopes;
    access.expires_at = c.now + std::chrono::seconds(ttl);
    access.bucket = refresh->bucket;  // one burst window per app installation, across refreshes
    access.refresh_token = refresh->token;
    access.client_id = refresh->client_id;
    access.user_id = refresh->user_id;
    access.app_id = refresh->app_id;
    const auto& stored = c.st.add_token(std::move(access));

    ojson body;
    body["token_type"] = "bearer";
    body["refresh_token"] = refresh->token;
    body["access_token"] = stored.token;
    body["expires_in"] = ttl;
    if (v3) {
        body["hub_id"] = c.st.portal_id();
        body["scopes"] = scope_list(refresh->scopes);
    }
    return json_reply(200, std::move(body));
}

hs_error
token_not_found(const call& c, const std::string& what)
{
    return hs_error(404, error_body(c.cid, "OBJECT_NOT_FOUND", what + " not found"));
}
}  // namespace

reply
oauth_token_v1(call& c)
{
    return token_endpoint(c, false);
}

reply
oauth_token_v3(call& c)
{
    return token_endpoint(c, true);
}

reply
oauth_access_token_info(call& c)
{
    auto* t = c.st.find_token(c.param("token"));
    if (!t || t->kind != token_kind::oauth) throw token_not_found(c, "access token");
    if (t->expires_at && *t->expires_at <= c.now)
        throw expired_authentication(c.cid, to_epoch_ms(*t->expires_at), c.now_ms());
    ojson body;
    body["token"] = t->token;
    body["user"] = user_email();
    body["hub_domain"] = hub_domain(c);
    body["scopes"] = scope_list(t->scopes);
    body["hub_id"] = c.st.portal_id();
    body["app_id"] = t->app_id;
    body["expires_in"] =
        t->expires_at ? std::chrono::duration_cast<std::chrono::seconds>(*t->expires_at - c.now).count() : 0;
    body["user_id"] = t->user_id;
    body["token_type"] = "access";
    return json_reply(200, std::move(body));
}

reply
oauth_introspect(call& c)
{
    const auto f = parse_form(c.req.body);
    std::string token = field(f, "token");
    if (token.empty()) token = field(f, "access_token");
    const std::string refresh = token.empty() ? field(f, "refresh_token") : std::string{};
    ojson body;
    if (!refresh.empty()) {
        auto it = c.st.refresh_tokens.find(refresh);
        if (it == c.st.refresh_tokens.end() || it->second.revoked) {
            body["active"] = false;
            return json_reply(200, std::move(body));
        }
        body["active"] = true;
        body["client_id"] = it->second.client_id;
        body["hub_id"] = c.st.portal_id();
        body["scopes"] = scope_list(it->second.scopes);
        body["user_id"] = it->second.user_id;
        body["token_use"] = "refresh_token";
        body["token_type"] = "Bearer";
        body["is_private_distribution"] = false;
        return json_reply(200, std::move(body));
    }
    auto* t = c.st.find_token(token);
    if (!t || t->kind != token_kind::oauth || (t->expires_at && *t->expires_at <= c.now)) {
        body["active"] = false;
        return json_reply(200, std::move(body));
    }
    body["active"] = true;
    body["client_id"] = t->client_id;
    body["hub_id"] = c.st.portal_id();
    body["app_id"] = t->app_id;
    body["scopes"] = scope_list(t->scopes);
    body["user_id"] = t->user_id;
    body["expires_in"] =
        t->expires_at ? std::chrono::duration_cast<std::chrono::seconds>(*t->expires_at - c.now).count() : 0;
    body["token_use"] = "access_token";
    body["token_type"] = "Bearer";
    body["is_private_distribution"] = false;
    return json_reply(200, std::move(body));
}

reply
oauth_refresh_token_info(call& c)
{
    auto it = c.st.refresh_tokens.find(c.param("token"));
    if (it == c.st.refresh_tokens.end() || it->second.revoked) throw token_not_found(c, "refresh token");
    ojson body;
    body["token"] = it->second.token;
    body["user"] = user_email();
    body["hub_domain"] = hub_domain(c);
    body["scopes"] = scope_list(it->second.scopes);
    body["hub_id"] = c.st.portal_id();
    body["client_id"] = it->second.client_id;
    body["user_id"] = it->second.user_id;
    body["token_type"] = "refresh";
    return json_reply(200, std::move(body));
}

reply
oauth_delete_refresh_token(call& c)
{
    auto it = c.st.refresh_tokens.find(c.param("token"));
    if (it == c.st.refresh_tokens.end()) throw token_not_found(c, "refresh token");
    // Access tokens already minted stay valid until they expire (hubspot-api.md §1.3).
    it->second.revoked = true;
    return empty_reply(204);
}

reply
private_app_token_info(call& c)
{
    const auto& body = c.json_body();
    std::string key = body.is_object() ? body.value("tokenKey", std::string{}) : std::string{};
    auto* t = c.st.find_token(key);
    if (!t || t->kind != token_kind::private_app) throw invalid_authentication(c.cid);
    ojson out;
    out["userId"] = t->user_id;
    out["hubId"] = c.st.portal_id();
    out["appId"] = t->app_id;
    out["scopes"] = scope_list(t->scopes);
    return json_reply(200, std::move(out));
}

}  // namespace hubsync::emulator
