#include "api/handler_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shared.hpp"
#include "api/validation.hpp"
#include "core/dsn.hpp"
#include "core/run_blocking.hpp"
#include "store/sources.hpp"

namespace hubsync::api {

namespace {
namespace pg = connectors::postgres;
constexpr const char* secret_context = "source";

json
to_json(const store::source_record& s)
{
    return {{"id", s.id},           {"name", s.name},
            {"type", s.type},       {"config", s.config},
            {"created_at", s.created_at}, {"updated_at", s.updated_at}};
}

// The definition as the user wrote it, secrets included: the base a PATCH applies to.
json
full_definition(const store::source_record& s, const store::secret_box& secrets)
{
    return {{"name", s.name}, {"type", s.type}, {"config", {{"url", source_url(s, secrets)}}}};
}

store::source_fields
validate(const json& body, const store::secret_box& secrets)
{
    validator v;
    v.only(body, "", {"name", "type", "config"});
    auto name = v.string(body, "", "name", true, 200);
    auto type = v.one_of(body, "", "type", true, {"postgres"});
    const json* config = v.object(body, "", "config", true);
    std::optional<std::string> url;
    if (config) {
        v.only(*config, "config", {"url"});
        url = v.string(*config, "config", "url", true, 4096);
        if (url) {
            auto check = core::check_dsn(*url);
            if (!check.ok) v.fail("config.url", "is not a PostgreSQL connection string: " + check.error);
        }
    }
    v.throw_if_failed();
    store::source_fields f;
    f.name = *name;
    f.type = *type;
    f.config = {{"url", core::redact_dsn(*url)}};
    f.sealed_config = secrets.seal(json{{"url", *url}}.dump(), secret_context);
    return f;
}

net::awaitable<response>
create_source(services& svc, request req)
{
    auto fields = validate(parse_body(req.body), svc.secrets);
    auto work = [&fields](pqxx::connection& c) { return store::sources::insert(c, fields); };
    auto s = co_await svc.db.run(work);
    co_return json_response(201, to_json(s));
}

net::awaitable<response>
list_sources(services& svc, request req)
{
    auto p = page_params(req);
    auto work = [&p](pqxx::connection& c) { return store::sources::list(c, p); };
    auto page = co_await svc.db.run(work);
    co_return json_response(200, page_json(page, to_json));
}

net::awaitable<std::optional<store::source_record>>
find_source(services& svc, std::int64_t id)
{
    auto work = [id](pqxx::connection& c) { return store::sources::find(c, id); };
    co_return co_await svc.db.run(work);
}

net::awaitable<response>
get_source(services& svc, request req)
{
    auto id = path_id(req, "source");
    auto s = co_await find_source(svc, id);
    if (!s) throw_not_found("source", id);
    co_return json_response(200, to_json(*s));
}

net::awaitable<response>
patch_source(services& svc, request req)
{
    auto id = path_id(req, "source");
    auto patch = parse_body(req.body);
    auto existing = co_await find_source(svc, id);
    if (!existing) throw_not_found("source", id);
    json def = full_definition(*existing, svc.secrets);
    std::string stored_url = def["config"]["url"];
    merge_patch(def, patch);
    // A client that sends back the redacted URL it was shown means "unchanged", not a new password of asterisks.
    if (def.contains("config") && def["config"].is_object() && def["config"].value("url", json()) == existing->config["url"])
        def["config"]["url"] = stored_url;
    auto fields = validate(def, svc.secrets);
    auto work = [&fields, id](pqxx::connection& c) { return store::sources::update(c, id, fields); };
    auto updated = co_await svc.db.run(work);
    if (!updated) throw_not_found("source", id);
    co_return json_response(200, to_json(*updated));
}

net::awaitable<response>
delete_source(services& svc, request req)
{
    auto id = path_id(req, "source");
    auto work = [id](pqxx::connection& c) { return store::sources::remove(c, id); };
    if (!co_await svc.db.run(work)) throw_not_found("source", id);
    response r;
    r.status = 204;
    co_return r;
}

net::awaitable<response>
test_source(services& svc, request req)
{
    auto id = path_id(req, "source");
    optional_body(req);
    auto s = co_await find_source(svc, id);
    if (!s) throw_not_found("source", id);
    std::string url = source_url(*s, svc.secrets);
    auto limits = svc.warehouse_limits;
    auto probe = [url, limits]() -> json {
        try {
            auto t = pg::test_connection(url, limits);
            return {{"ok", true}, {"server_version", t.server_version}, {"latency_ms", t.latency_ms}};
        } catch (const core::error& e) {
            return {{"ok", false}, {"error", e.what()}};
        }
    };
    auto result = co_await core::run_blocking(svc.warehouse_pool, probe);
    co_return json_response(200, result);
}
}  // namespace

std::string
source_url(const store::source_record& s, const store::secret_box& secrets)
{
    return store::sources::url(s, secrets);
}

void
add_source_routes(router& r, services& svc)
{
    r.add({"POST", "/v1/sources", [&svc](const request& q) { return create_source(svc, q); }});
    r.add({"GET", "/v1/sources", [&svc](const request& q) { return list_sources(svc, q); }});
    r.add({"GET", "/v1/sources/{id}", [&svc](const request& q) { return get_source(svc, q); }});
    r.add({"PATCH", "/v1/sources/{id}", [&svc](const request& q) { return patch_source(svc, q); }});
    r.add({"DELETE", "/v1/sources/{id}", [&svc](const request& q) { return delete_source(svc, q); }});
    r.add({"POST", "/v1/sources/{id}/test", [&svc](const request& q) { return test_source(svc, q); }});
}

}  // namespace hubsync::api
