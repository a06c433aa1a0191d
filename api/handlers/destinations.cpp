#include "api/handler_support.hpp"
#include "api/hubspot_failure.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shared.hpp"
#include "api/validation.hpp"
#include "hubspot/account_api.hpp"
#include "hubspot/api_error.hpp"
#include "hubspot/paths.hpp"
#include "hubspot/transport.hpp"
#include "hubspot/oauth.hpp"
#include "store/destination_credentials.hpp"
#include "store/destinations.hpp"
#include "store/oauth_states.hpp"

#include <openssl/rand.h>

namespace hubsync::api {

namespace {
json
to_json(const store::destination_record& d)
{
    json config = d.config;
    if (d.sealed_credentials && d.auth_method == "private_app_token") config["private_app_token"] = redacted;
    return {{"id", d.id},
            {"name", d.name},
            {"type", d.type},
            {"config", config},
            {"auth_method", d.auth_method},
            {"hub_id", d.hub_id ? json(*d.hub_id) : json(nullptr)},
            {"scopes", d.scopes},
            {"status", d.status},
            {"created_at", d.created_at},
            {"updated_at", d.updated_at}};
}

json
full_definition(const store::destination_record& d, const store::destination_credentials& credentials)
{
    json config = d.config;
    if (credentials.private_app_token) config["private_app_token"] = *credentials.private_app_token;
    return {{"name", d.name}, {"type", d.type}, {"config", config}};
}

// The client's own parser decides, so a URL accepted here can always be used.
bool
valid_base_url(const std::string& u)
{
    if (u.find_first_of(" \t?#") != std::string::npos) return false;
    try {
        auto b = hubspot::parse_base_url(u);
        return !b.host.empty() && b.host.find_first_of("[]") == std::string::npos;
    } catch (const std::invalid_argument&) {
        return false;
    }
}

struct validated_destination {
    store::destination_fields fields;
    std::optional<std::string> private_app_token;
};

// `oauth`: the OAuth credentials already stored for the destination, kept across edits.
validated_destination
validate(const json& body, const store::secret_box& secrets,
         const std::optional<store::oauth_credentials>& oauth = std::nullopt)
{
    validator v;
    v.only(body, "", {"name", "type", "config"});
    auto name = v.string(body, "", "name", true, 200);
    auto type = v.one_of(body, "", "type", true, {"hubspot"});
    const json* config = v.object(body, "", "config", true);
    std::optional<std::string> token, base_url, api_version;
    if (config) {
        v.only(*config, "config", {"private_app_token", "base_url", "api_version"});
        token = v.string(*config, "config", "private_app_token", false, 4096);
        if (token && token->find_first_of(" \t\r\n") != std::string::npos)
            v.fail("config.private_app_token", "must not contain whitespace");
        base_url = v.string(*config, "config", "base_url", false, 2048);
        if (base_url && !valid_base_url(*base_url))
            v.fail("config.base_url", "must be an http:// or https:// URL with a host, e.g. https://api.hubapi.com");
        api_version = v.string(*config, "config", "api_version", false, 20);
        if (api_version && !hubspot::api_paths::valid_version(*api_version))
            v.fail("config.api_version", "must be \"v3\" (today's v3/v4 paths) or a dated version such as \"2026-03\"");
    }
    v.throw_if_failed();
    store::destination_fields f;
    f.name = *name;
    f.type = *type;
    f.config = json::object();
    if (base_url) {
        while (base_url->size() > 8 && base_url->back() == '/') base_url->pop_back();
        f.config["base_url"] = *base_url;
    }
    if (api_version) f.config["api_version"] = *api_version;
    // A private app token, when there is one, is the one used (DESIGN §3); without either the destination waits
    // for POST …/oauth/start.
    f.sealed_credentials = store::seal_credentials(secrets, {token, oauth});
    f.auth_method = token ? "private_app_token" : "oauth";
    return {std::move(f), token};
}

hubspot::portal_access
access_of(const store::destination_fields& f, const std::string& token)
{
    return {f.config.value("base_url", ""), f.config.value("api_version", ""), token};
}

// Asks HubSpot whom the token belongs to and what it may do, so a wrong token fails now, not at the first run.
net::awaitable<void>
verify_token(services& svc, store::destination_fields& f, std::string token)
{
    auto access = access_of(f, token);
    auto base = access.base_url.empty() ? svc.portals.defaults().base_url : access.base_url;
    auto client = svc.portals.temporary(access, "token-check");
    hubspot::account_api account(*client, hubspot::api_paths(client->settings().api_version));
    std::string problem;
    try {
        auto info = co_await account.private_app_token_info(token);
        f.hub_id = info.hub_id;
        f.scopes = info.scopes;
        co_return;
    } catch (const hubspot::api_error& e) {
        problem = e.status() == 401 ? "HubSpot rejected this token: " + e.info().message
                                    : "HubSpot refused the token check (" + std::to_string(e.status()) + "): " +
                                          e.info().message;
    } catch (const hubspot::transport_error& e) {
        problem = "cannot reach HubSpot at " + base + " (" + e.what() + ")";
    } catch (const hubspot::daily_limit_reached& e) {
        problem = e.what();
    } catch (const std::exception& e) {
        problem = std::string("the token could not be checked: ") + e.what();
    }
    throw core::error(core::errc::unprocessable, problem, {{"config.private_app_token", problem}});
}

net::awaitable<std::optional<store::destination_record>>
find_destination(services& svc, std::int64_t id)
{
    auto work = [id](pqxx::connection& c) { return store::destinations::find(c, id); };
    co_return co_await svc.db.run(work);
}

net::awaitable<response>
create_destination(services& svc, request req)
{
    auto [fields, token] = validate(parse_body(req.body), svc.secrets);
    if (token) co_await verify_token(svc, fields, *token);
    auto work = [&fields](pqxx::connection& c) { return store::destinations::insert(c, fields); };
    auto d = co_await svc.db.run(work);
    co_return json_response(201, to_json(d));
}

net::awaitable<response>
list_destinations(services& svc, request req)
{
    auto p = page_params(req);
    auto work = [&p](pqxx::connection& c) { return store::destinations::list(c, p); };
    auto page = co_await svc.db.run(work);
    co_return json_response(200, page_json(page, to_json));
}

net::awaitable<response>
get_destination(services& svc, request req)
{
    auto id = path_id(req, "destination");
    auto d = co_await find_destination(svc, id);
    if (!d) throw_not_found("destination", id);
    co_return json_response(200, to_json(*d));
}

net::awaitable<response>
patch_destination(services& svc, request req)
{
    auto id = path_id(req, "destination");
    auto patch = parse_body(req.body);
    auto existing = co_await find_destination(svc, id);
    if (!existing) throw_not_found("destination", id);
    auto stored = store::open_credentials(svc.secrets, existing->sealed_credentials);
    json def = full_definition(*existing, stored);
    json stored_token = def["config"].value("private_app_token", json());
    merge_patch(def, patch);
    // Sending back the redacted token means "keep the stored one".
    if (def.contains("config") && def["config"].is_object() && def["config"].value("private_app_token", json()) == redacted)
        def["config"]["private_app_token"] = stored_token;
    auto [fields, token] = validate(def, svc.secrets, stored.oauth);
    if (token) {
        co_await verify_token(svc, fields, *token);
    } else {
        fields.hub_id = existing->hub_id;
        fields.scopes = existing->scopes;
    }
    auto work = [&fields, id, based_on = existing->updated_at](pqxx::connection& c) {
        return store::destinations::update(c, id, fields, based_on);
    };
    auto updated = co_await svc.db.run(work);
    if (!updated) throw_not_found("destination", id);
    svc.destinations.forget(id);
    co_return json_response(200, to_json(*updated));
}

net::awaitable<response>
delete_destination(services& svc, request req)
{
    auto id = path_id(req, "destination");
    auto work = [id](pqxx::connection& c) { return store::destinations::remove(c, id); };
    if (!co_await svc.db.run(work)) throw_not_found("destination", id);
    svc.destinations.forget(id);
    response r;
    r.status = 204;
    co_return r;
}
std::string
random_state()
{
    unsigned char bytes[24];
    if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("no randomness for an OAuth state");
    static constexpr char hex[] = "0123456789abcdef";
    std::string out;
    for (unsigned char b : bytes) {
        out += hex[b >> 4];
        out += hex[b & 15];
    }
    return out;
}

void
require_oauth_app(const services& svc)
{
    if (!svc.oauth.configured())
        throw core::error(core::errc::unprocessable,
                          "OAuth is not configured: set HUBSYNC_OAUTH_CLIENT_ID, HUBSYNC_OAUTH_CLIENT_SECRET and "
                          "HUBSYNC_OAUTH_REDIRECT_URL (or use a private app token)");
}

constexpr std::chrono::seconds oauth_state_ttl{600};

net::awaitable<response>
start_oauth(services& svc, request req)
{
    auto id = path_id(req, "destination");
    optional_body(req);
    require_oauth_app(svc);
    auto existing = co_await find_destination(svc, id);
    if (!existing) throw_not_found("destination", id);
    auto state = random_state();
    auto save = [&state, id](pqxx::connection& c) { store::oauth_states::create(c, state, id, oauth_state_ttl); };
    co_await svc.db.run(save);
    co_return json_response(200, {{"authorize_url", hubspot::authorize_url(svc.oauth, state)},
                                  {"expires_in", oauth_state_ttl.count()}});
}

// HubSpot redirects the user's browser here: no bearer token, so the single-use `state` is what authenticates it.
net::awaitable<response>
oauth_callback(services& svc, request req)
{
    require_oauth_app(svc);
    auto code = req.query.count("code") ? req.query.at("code") : std::string{};
    auto state = req.query.count("state") ? req.query.at("state") : std::string{};
    if (auto err = req.query.find("error"); err != req.query.end())
        throw core::error(core::errc::invalid_request, "HubSpot did not authorize: " + err->second);
    if (code.empty() || state.empty())
        throw core::error(core::errc::invalid_request, "the callback needs both code and state",
                          {{code.empty() ? "code" : "state", "is required"}});
    auto take = [&state](pqxx::connection& c) { return store::oauth_states::consume(c, state); };
    auto id = co_await svc.db.run(take);
    if (!id)
        throw core::error(core::errc::invalid_request,
                          "this authorization link is unknown, used or expired: start again with POST "
                          "/v1/destinations/{id}/oauth/start",
                          {{"state", "unknown, used or expired"}});
    auto destination_id = *id;
    auto existing = co_await find_destination(svc, destination_id);
    if (!existing) throw_not_found("destination", destination_id);

    // The client secret only ever goes to the operator's HubSpot (hubspot_base_url), never to a destination's own
    // base_url, which any API user can set.
    hubspot::portal_access access{"", existing->config.value("api_version", ""), ""};
    auto client = svc.portals.temporary(access, "oauth-exchange");
    std::string problem;
    hubspot::oauth_tokens tokens;
    hubspot::token_info info;
    try {
        tokens = co_await hubspot::exchange_code(*client, svc.oauth, code);
        hubspot::account_api account(*client, hubspot::api_paths(client->settings().api_version));
        info = co_await account.oauth_token_info(tokens.access_token);
    } catch (const hubspot::api_error& e) {
        problem = "HubSpot refused the authorization code (" + std::to_string(e.status()) + "): " + e.info().message;
    } catch (const hubspot::transport_error& e) {
        problem = std::string("cannot reach HubSpot: ") + e.what();
    } catch (const std::exception& e) {
        problem = std::string("the authorization could not be completed: ") + e.what();
    }
    if (!problem.empty()) throw core::error(core::errc::unprocessable, problem, {{"code", problem}});

    // Completing OAuth replaces any private app token (DESIGN §3).
    store::destination_fields f = *existing;
    f.sealed_credentials = store::seal_credentials(svc.secrets, {std::nullopt, sync::to_stored(tokens)});
    f.auth_method = "oauth";
    f.hub_id = info.hub_id;
    f.scopes = info.scopes;
    auto save = [&f, destination_id](pqxx::connection& c) { return store::destinations::set_credentials(c, destination_id, f); };
    auto updated = co_await svc.db.run(save);
    if (!updated) throw_not_found("destination", destination_id);
    svc.destinations.forget(destination_id);
    co_return json_response(200, {{"message", "HubSpot access granted; you can close this window"},
                                  {"destination", to_json(*updated)}});
}

// GET …/schema answers from the cache (reading the portal once when there is nothing cached yet); POST
// …/schema/refresh always reads it again.
net::awaitable<response>
destination_schema(services& svc, request req, bool refresh)
{
    auto id = path_id(req, "destination");
    if (refresh) optional_body(req);
    std::exception_ptr failure;
    hubspot::schema_cache::entry e;
    try {
        e = co_await svc.destinations.schema(id, refresh);
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) throw hubspot_failure(failure, "reading the destination's schema");
    json body = hubspot::to_json(*e.schema);
    body["destination_id"] = id;
    co_return json_response(200, body);
}
}  // namespace

void
add_destination_routes(router& r, services& svc)
{
    r.add({"POST", "/v1/destinations", [&svc](const request& q) { return create_destination(svc, q); }});
    r.add({"GET", "/v1/destinations", [&svc](const request& q) { return list_destinations(svc, q); }});
    r.add({"GET", "/v1/destinations/{id}", [&svc](const request& q) { return get_destination(svc, q); }});
    r.add({"PATCH", "/v1/destinations/{id}", [&svc](const request& q) { return patch_destination(svc, q); }});
    r.add({"DELETE", "/v1/destinations/{id}", [&svc](const request& q) { return delete_destination(svc, q); }});
    r.add({"POST", "/v1/destinations/{id}/oauth/start", [&svc](const request& q) { return start_oauth(svc, q); }});
    r.add({"GET", "/v1/destinations/{id}/schema",
           [&svc](const request& q) { return destination_schema(svc, q, false); }});
    r.add({"POST", "/v1/destinations/{id}/schema/refresh",
           [&svc](const request& q) { return destination_schema(svc, q, true); }});
    r.add({"GET", "/v1/oauth/callback", [&svc](const request& q) { return oauth_callback(svc, q); }, false});
}

}  // namespace hubsync::api
