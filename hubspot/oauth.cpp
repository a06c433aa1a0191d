#include "hubspot/oauth.hpp"

#include "hubspot/api_error.hpp"
#include "hubspot/paths.hpp"

#include <nlohmann/json.hpp>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

net::awaitable<oauth_tokens>
token_call(client& c, std::string body)
{
    call request;
    request.method = http::verb::post;
    request.target = api_paths(c.settings().api_version).oauth_token();
    request.body = std::move(body);
    request.content_type = "application/x-www-form-urlencoded";
    request.endpoint = "oauth.token";
    request.authenticated = false;
    auto res = co_await c.send(std::move(request));
    auto j = json::parse(res.body, nullptr, false);
    if (!j.is_object() || !j.contains("access_token"))
        throw std::runtime_error("HubSpot's token endpoint answered without an access_token");
    oauth_tokens t;
    t.access_token = j.value("access_token", "");
    t.refresh_token = j.value("refresh_token", "");
    t.expires_at = std::chrono::system_clock::now() + std::chrono::seconds(j.value("expires_in", 1800));
    co_return t;
}
}  // namespace

const std::vector<std::string>&
supported_scopes()
{
    static const std::vector<std::string> scopes = {
        "crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.read",
        "crm.objects.companies.read", "crm.objects.companies.write", "crm.schemas.companies.read",
        "crm.objects.deals.read", "crm.objects.deals.write", "crm.schemas.deals.read",
        "tickets", "crm.objects.custom.read", "crm.objects.custom.write", "crm.schemas.custom.read",
        "crm.lists.read", "crm.lists.write", "crm.import", "analytics.behavioral_events.send", "oauth"};
    return scopes;
}

std::string
form_encode(const std::vector<std::pair<std::string, std::string>>& fields)
{
    std::string out;
    for (const auto& [k, v] : fields) out += (out.empty() ? "" : "&") + encode_segment(k) + "=" + encode_segment(v);
    return out;
}

std::string
authorize_url(const oauth_app& app, const std::string& state)
{
    std::string scopes;
    for (const auto& s : supported_scopes()) scopes += (scopes.empty() ? "" : " ") + s;
    return app.authorize_endpoint + "?" +
           form_encode({{"client_id", app.client_id}, {"redirect_uri", app.redirect_url}, {"scope", scopes},
                        {"state", state}});
}

net::awaitable<oauth_tokens>
exchange_code(client& c, oauth_app app, std::string code)
{
    auto body = form_encode({{"grant_type", "authorization_code"},
                             {"client_id", app.client_id},
                             {"client_secret", app.client_secret},
                             {"redirect_uri", app.redirect_url},
                             {"code", code}});
    co_return co_await token_call(c, std::move(body));
}

net::awaitable<oauth_tokens>
refresh_tokens(client& c, oauth_app app, std::string refresh_token)
{
    auto body = form_encode({{"grant_type", "refresh_token"},
                             {"client_id", app.client_id},
                             {"client_secret", app.client_secret},
                             {"refresh_token", refresh_token}});
    co_return co_await token_call(c, std::move(body));
}

oauth_token_provider::oauth_token_provider(net::any_io_executor strand, oauth_tokens initial, refresher refresh,
                                           std::function<void(const oauth_tokens&)> on_refreshed,
                                           std::function<void()> on_revoked, std::chrono::seconds early)
    : strand_(std::move(strand)), tokens_(std::move(initial)), refresh_(std::move(refresh)),
      on_refreshed_(std::move(on_refreshed)), on_revoked_(std::move(on_revoked)), early_(early), refreshed_(strand_),
      obtained_(std::chrono::system_clock::now())
{
    refreshed_.expires_at(std::chrono::steady_clock::time_point::max());
}

net::awaitable<std::string>
oauth_token_provider::access_token()
{
    co_return co_await net::co_spawn(strand_, on_strand(false, {}), net::use_awaitable);
}

net::awaitable<bool>
oauth_token_provider::refresh_after_expiry(std::string rejected)
{
    auto token = co_await net::co_spawn(strand_, on_strand(true, rejected), net::use_awaitable);
    co_return token != rejected;
}

net::awaitable<void>
oauth_token_provider::refresh_once()
{
    refreshing_ = true;
    std::exception_ptr failure;
    try {
        auto fresh = co_await refresh_(tokens_.refresh_token);
        if (fresh.refresh_token.empty()) fresh.refresh_token = tokens_.refresh_token;
        tokens_ = std::move(fresh);
        obtained_ = std::chrono::system_clock::now();
        ++refreshes_;
        if (on_refreshed_) on_refreshed_(tokens_);
    } catch (const api_error& e) {
        if (e.info().oauth_error == "invalid_grant" || e.status() == 400 || e.status() == 401) {
            revoked_ = true;
            if (on_revoked_) on_revoked_();
            // Every caller, the first one included, learns the same actionable thing.
            failure = std::make_exception_ptr(reauthorization_required());
        } else {
            failure = std::current_exception();
        }
    } catch (...) {
        failure = std::current_exception();
    }
    refreshing_ = false;
    refreshed_.cancel();  // wake every waiter; they re-check
    if (failure) std::rethrow_exception(failure);
}

net::awaitable<std::string>
oauth_token_provider::on_strand(bool force, std::string rejected)
{
    for (;;) {
        if (revoked_) throw reauthorization_required();
        if (refreshing_) {
            boost::system::error_code ec;
            co_await refreshed_.async_wait(net::redirect_error(net::use_awaitable, ec));
            refreshed_.expires_at(std::chrono::steady_clock::time_point::max());
            continue;
        }
        // Refresh `early_` before expiry, or half-way through a lifetime shorter than that, so short-lived
        // tokens are not refreshed on every call.
        auto lead = std::min<std::chrono::system_clock::duration>(early_, (tokens_.expires_at - obtained_) / 2);
        bool due = std::chrono::system_clock::now() + lead >= tokens_.expires_at;
        bool stale = force && tokens_.access_token == rejected;
        if (!due && !stale) co_return tokens_.access_token;
        co_await refresh_once();
    }
}

}  // namespace hubsync::hubspot
