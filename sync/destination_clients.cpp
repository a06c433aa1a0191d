#include "sync/destination_clients.hpp"

#include "core/error.hpp"
#include "core/log.hpp"
#include "store/destinations.hpp"

namespace hubsync::sync {

store::oauth_credentials
to_stored(const hubspot::oauth_tokens& t)
{
    return {t.access_token, t.refresh_token,
            std::chrono::duration_cast<std::chrono::seconds>(t.expires_at.time_since_epoch()).count()};
}

hubspot::oauth_tokens
from_stored(const store::oauth_credentials& c)
{
    return {c.access_token, c.refresh_token, std::chrono::system_clock::time_point(std::chrono::seconds(c.expires_at))};
}

namespace {
// Refreshes at the operator's HubSpot (the daemon's base URL), like the code exchange: the client secret never
// goes to a destination's own base_url.
net::awaitable<hubspot::oauth_tokens>
refresh_at_operator(hubspot::portal_registry& portals, hubspot::oauth_app app, std::string api_version,
                    std::string refresh_token)
{
    auto c = portals.temporary({"", api_version, ""}, "oauth-refresh");
    co_return co_await hubspot::refresh_tokens(*c, std::move(app), std::move(refresh_token));
}

core::error
needs_authorization(std::int64_t id, const std::string& why)
{
    return core::error(core::errc::unprocessable,
                       "destination " + std::to_string(id) + " " + why + ": authorize it with POST /v1/destinations/" +
                           std::to_string(id) + "/oauth/start, or set config.private_app_token",
                       {{"destination_id", why}});
}
}  // namespace

destination_clients::destination_clients(store::database& db, const store::secret_box& secrets,
                                         hubspot::portal_registry& portals, hubspot::oauth_app oauth)
    : db_(db), secrets_(secrets), portals_(portals), oauth_(std::move(oauth))
{
}

std::shared_ptr<hubspot::token_provider>
destination_clients::oauth_provider(std::int64_t id, std::string api_version, const store::oauth_credentials& stored)
{
    auto refresh = [this, api_version](std::string refresh_token) {
        return refresh_at_operator(portals_, oauth_, api_version, std::move(refresh_token));
    };
    auto on_refreshed = [this, id](const hubspot::oauth_tokens& fresh) {
        auto sealed = store::seal_credentials(secrets_, {std::nullopt, to_stored(fresh)});
        auto save = [id, sealed = *sealed](pqxx::connection& c) {
            store::destinations::save_refreshed_credentials(c, id, sealed);
        };
        auto persist = [this, save]() -> net::awaitable<void> { co_await db_.run(save); };
        net::co_spawn(portals_.io_context(), persist, [id](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                // The fresh token still works in memory; a restart falls back to the stored refresh token.
                core::logger("hubspot")->warn("oauth.refresh_not_saved destination={} reason=\"{}\"", id, ex.what());
            }
        });
    };
    auto on_revoked = [this, id] {
        core::logger("hubspot")->error("oauth.revoked destination={} status=reauthorization_required", id);
        auto mark = [id](pqxx::connection& c) { store::destinations::set_status(c, id, "reauthorization_required"); };
        auto persist = [this, mark]() -> net::awaitable<void> { co_await db_.run(mark); };
        net::co_spawn(portals_.io_context(), persist, net::detached);
        portals_.forget(id);
    };
    return std::make_shared<hubspot::oauth_token_provider>(net::make_strand(portals_.io_context()),
                                                            from_stored(stored), refresh, on_refreshed, on_revoked);
}

net::awaitable<destination_client>
destination_clients::get(std::int64_t id)
{
    auto find = [id](pqxx::connection& c) { return store::destinations::find(c, id); };
    auto d = co_await db_.run(find);
    if (!d) throw core::error(core::errc::not_found, "no destination with id " + std::to_string(id));
    auto credentials = store::open_credentials(secrets_, d->sealed_credentials);
    auto base_url = d->config.value("base_url", "");
    auto api_version = d->config.value("api_version", "");
    hubspot::portal_access access{base_url, api_version, ""};
    std::shared_ptr<hubspot::client> client;
    if (credentials.private_app_token) {
        access.token = *credentials.private_app_token;
        client = portals_.for_destination(id, access);
    } else if (credentials.oauth && d->status != "reauthorization_required") {
        access.token = "oauth:" + credentials.oauth->refresh_token;
        auto oauth = *credentials.oauth;
        client = portals_.for_destination(id, access, [&] { return oauth_provider(id, api_version, oauth); });
    } else if (credentials.oauth) {
        throw needs_authorization(id, "needs to be authorized again (HubSpot refused its refresh token)");
    } else {
        throw needs_authorization(id, "is not authorized yet");
    }
    co_return destination_client{client, hubspot::api_paths(client->settings().api_version)};
}

namespace {
net::awaitable<hubspot::portal_schema>
fetch_with(destination_client dc)
{
    co_return co_await hubspot::fetch_portal_schema(*dc.client, dc.paths);
}
}  // namespace

net::awaitable<hubspot::schema_cache::entry>
destination_clients::schema(std::int64_t id, bool refresh)
{
    // Even a cached answer first checks that the destination exists and may be used.
    co_return co_await schema(id, co_await get(id), refresh);
}

net::awaitable<hubspot::schema_cache::entry>
destination_clients::schema(std::int64_t id, destination_client dc, bool refresh)
{
    auto fetch = [dc] { return fetch_with(dc); };
    co_return co_await schemas_.get(id, fetch, refresh);
}

}  // namespace hubsync::sync
