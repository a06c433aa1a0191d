#include "api/handler_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shared.hpp"
#include "api/validation.hpp"
#include "hubspot/account_api.hpp"
#include "hubspot/api_error.hpp"
#include "hubspot/paths.hpp"
#include "store/destinations.hpp"

namespace hubsync::api {

namespace {
constexpr const char* secret_context = "destination";

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
full_definition(const store::destination_record& d, const store::secret_box& secrets)
{
    json config = d.config;
    if (d.sealed_credentials) config.update(json::parse(secrets.open(*d.sealed_credentials, secret_context)));
    return {{"name", d.name}, {"type", d.type}, {"config", config}};
}

bool
valid_base_url(const std::string& u)
{
    auto rest = u.rfind("https://", 0) == 0 ? u.substr(8) : u.rfind("http://", 0) == 0 ? u.substr(7) : "";
    return !rest.empty() && rest.front() != '/' && rest.find_first_of(" \t?#") == std::string::npos;
}

store::destination_fields
validate(const json& body, const store::secret_box& secrets)
{
    validator v;
    v.only(body, "", {"name", "type", "config"});
    auto name = v.string(body, "", "name", true, 200);
    auto type = v.one_of(body, "", "type", true, {"hubspot"});
    const json* config = v.object(body, "", "config", true);
    std::optional<std::string> token, base_url, api_version;
    if (config) {
        v.only(*config, "config", {"private_app_token", "base_url", "api_version"});
        token = v.string(*config, "config", "private_app_token", true, 4096);
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
    f.sealed_credentials = secrets.seal(json{{"private_app_token", *token}}.dump(), secret_context);
    f.auth_method = "private_app_token";
    return f;
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
    }
    throw core::error(core::errc::unprocessable, problem, {{"config.private_app_token", problem}});
}

std::string
token_of(const store::destination_fields& f, const store::secret_box& secrets)
{
    return json::parse(secrets.open(*f.sealed_credentials, secret_context))["private_app_token"];
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
    auto fields = validate(parse_body(req.body), svc.secrets);
    auto token = token_of(fields, svc.secrets);
    co_await verify_token(svc, fields, token);
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
    json def = full_definition(*existing, svc.secrets);
    json stored_token = def["config"].value("private_app_token", json());
    merge_patch(def, patch);
    // Sending back the redacted token means "keep the stored one".
    if (def.contains("config") && def["config"].is_object() && def["config"].value("private_app_token", json()) == redacted)
        def["config"]["private_app_token"] = stored_token;
    auto fields = validate(def, svc.secrets);
    auto token = token_of(fields, svc.secrets);
    co_await verify_token(svc, fields, token);
    auto work = [&fields, id](pqxx::connection& c) { return store::destinations::update(c, id, fields); };
    auto updated = co_await svc.db.run(work);
    if (!updated) throw_not_found("destination", id);
    svc.portals.forget(id);
    co_return json_response(200, to_json(*updated));
}

net::awaitable<response>
delete_destination(services& svc, request req)
{
    auto id = path_id(req, "destination");
    auto work = [id](pqxx::connection& c) { return store::destinations::remove(c, id); };
    if (!co_await svc.db.run(work)) throw_not_found("destination", id);
    svc.portals.forget(id);
    response r;
    r.status = 204;
    co_return r;
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
}

}  // namespace hubsync::api
