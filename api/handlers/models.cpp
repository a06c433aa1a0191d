#include "api/handler_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/shared.hpp"
#include "api/validation.hpp"
#include "store/models.hpp"

namespace hubsync::api {

namespace {
namespace pg = connectors::postgres;

json
to_json(const store::model_record& m)
{
    return {{"id", m.id},
            {"name", m.name},
            {"source_id", m.source_id},
            {"sql", m.sql},
            {"primary_key", m.primary_key},
            {"columns", m.columns},
            {"created_at", m.created_at},
            {"updated_at", m.updated_at}};
}

json
columns_json(const std::vector<pg::column>& columns)
{
    json out = json::array();
    for (const auto& c : columns) out.push_back({{"name", c.name}, {"type", c.type}});
    return out;
}

std::vector<std::string>
column_names(const json& columns)
{
    std::vector<std::string> names;
    for (const auto& c : columns) names.push_back(c["name"]);
    return names;
}

// Checks the body's shape; the warehouse check follows in `complete`.
store::model_fields
validate_shape(const json& body)
{
    validator v;
    v.only(body, "", {"name", "source_id", "sql", "primary_key"});
    auto name = v.string(body, "", "name", true, 200);
    auto source_id = v.integer(body, "", "source_id", true, 1, std::numeric_limits<std::int64_t>::max());
    auto sql = v.string(body, "", "sql", true, 1'000'000);
    auto pk = v.string(body, "", "primary_key", true, 200);
    if (sql && pg::normalise_model_sql(*sql).empty()) v.fail("sql", "must contain a query");
    v.throw_if_failed();
    store::model_fields f;
    f.name = *name;
    f.source_id = *source_id;
    f.sql = pg::normalise_model_sql(*sql);
    f.primary_key = *pk;
    return f;
}

// Asks the warehouse for the model's columns and checks the primary key is one of them.
net::awaitable<void>
complete(services& svc, store::model_fields& f)
{
    f.columns = co_await describe_model_columns(svc, f.source_id, f.sql, "source_id");
    auto names = column_names(f.columns);
    if (std::find(names.begin(), names.end(), f.primary_key) == names.end()) {
        std::string message = "column '" + f.primary_key + "' is not returned by the model";
        if (auto s = did_you_mean(f.primary_key, names)) message += "; did you mean '" + *s + "'?";
        std::string all;
        for (const auto& n : names) all += (all.empty() ? "" : ", ") + n;
        message += " (columns: " + all + ")";
        throw core::error(core::errc::unprocessable, "primary_key: " + message, {{"primary_key", message}});
    }
}

net::awaitable<std::optional<store::model_record>>
find_model(services& svc, std::int64_t id)
{
    auto work = [id](pqxx::connection& c) { return store::models::find(c, id); };
    co_return co_await svc.db.run(work);
}

net::awaitable<response>
create_model(services& svc, request req)
{
    auto fields = validate_shape(parse_body(req.body));
    co_await complete(svc, fields);
    auto work = [&fields](pqxx::connection& c) { return store::models::insert(c, fields); };
    auto m = co_await svc.db.run(work);
    co_return json_response(201, to_json(m));
}

net::awaitable<response>
list_models(services& svc, request req)
{
    auto p = page_params(req);
    auto work = [&p](pqxx::connection& c) { return store::models::list(c, p); };
    auto page = co_await svc.db.run(work);
    co_return json_response(200, page_json(page, to_json));
}

net::awaitable<response>
get_model(services& svc, request req)
{
    auto id = path_id(req, "model");
    auto m = co_await find_model(svc, id);
    if (!m) throw_not_found("model", id);
    co_return json_response(200, to_json(*m));
}

net::awaitable<response>
patch_model(services& svc, request req)
{
    auto id = path_id(req, "model");
    auto patch = parse_body(req.body);
    auto existing = co_await find_model(svc, id);
    if (!existing) throw_not_found("model", id);
    json def = {{"name", existing->name},
                {"source_id", existing->source_id},
                {"sql", existing->sql},
                {"primary_key", existing->primary_key}};
    merge_patch(def, patch);
    auto fields = validate_shape(def);
    co_await complete(svc, fields);
    auto work = [&fields, id](pqxx::connection& c) { return store::models::update(c, id, fields); };
    auto updated = co_await svc.db.run(work);
    if (!updated) throw_not_found("model", id);
    co_return json_response(200, to_json(*updated));
}

net::awaitable<response>
delete_model(services& svc, request req)
{
    auto id = path_id(req, "model");
    auto work = [id](pqxx::connection& c) { return store::models::remove(c, id); };
    if (!co_await svc.db.run(work)) throw_not_found("model", id);
    response r;
    r.status = 204;
    co_return r;
}

net::awaitable<response>
preview_model(services& svc, request req)
{
    auto id = path_id(req, "model");
    auto body = optional_body(req);
    validator v;
    v.only(body, "", {"limit"});
    auto limit = v.integer(body, "", "limit", false, 1, svc.preview_max_rows);
    v.throw_if_failed();
    auto m = co_await find_model(svc, id);
    if (!m) throw_not_found("model", id);
    auto source_id = m->source_id;
    auto find = [source_id](pqxx::connection& c) { return store::sources::find(c, source_id); };
    auto source = co_await svc.db.run(find);
    if (!source) throw core::error(core::errc::unprocessable, "the model's source no longer exists");
    auto url = source_url(*source, svc.secrets);
    auto sql = m->sql;
    auto limits = svc.warehouse_limits;
    int rows = limit ? static_cast<int>(*limit) : svc.preview_default_rows;
    auto query = [url, sql, rows, limits] { return pg::preview(url, sql, rows, limits); };
    auto result = co_await core::run_blocking(svc.warehouse_pool, query);
    auto columns = columns_json(result.columns);
    // The preview is the freshest description of the model: later sync validation starts from it.
    auto save = [id, &columns](pqxx::connection& c) { store::models::set_columns(c, id, columns); };
    co_await svc.db.run(save);
    co_return json_response(200, {{"columns", columns}, {"rows", result.rows}});
}
}  // namespace

net::awaitable<json>
describe_model_columns(services& svc, std::int64_t source_id, std::string sql, std::string source_path)
{
    auto find = [source_id](pqxx::connection& c) { return store::sources::find(c, source_id); };
    auto source = co_await svc.db.run(find);
    if (!source)
        throw core::error(core::errc::unprocessable, source_path + ": no source with id " + std::to_string(source_id),
                          {{source_path, "no source with this id"}});
    auto url = source_url(*source, svc.secrets);
    auto limits = svc.warehouse_limits;
    auto query = [url, sql, limits] { return pg::describe(url, sql, limits); };
    auto columns = co_await core::run_blocking(svc.warehouse_pool, query);
    co_return columns_json(columns);
}

void
add_model_routes(router& r, services& svc)
{
    r.add({"POST", "/v1/models", [&svc](const request& q) { return create_model(svc, q); }});
    r.add({"GET", "/v1/models", [&svc](const request& q) { return list_models(svc, q); }});
    r.add({"GET", "/v1/models/{id}", [&svc](const request& q) { return get_model(svc, q); }});
    r.add({"PATCH", "/v1/models/{id}", [&svc](const request& q) { return patch_model(svc, q); }});
    r.add({"DELETE", "/v1/models/{id}", [&svc](const request& q) { return delete_model(svc, q); }});
    r.add({"POST", "/v1/models/{id}/preview", [&svc](const request& q) { return preview_model(svc, q); }});
}

}  // namespace hubsync::api
