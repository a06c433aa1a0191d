#include "api/handler_support.hpp"
#include "api/handlers/handlers.hpp"
#include "api/handlers/run_json.hpp"
#include "api/handlers/shared.hpp"
#include "api/hubspot_failure.hpp"
#include "api/sync_validation.hpp"
#include "core/log.hpp"
#include "core/text.hpp"
#include "hubspot/account_api.hpp"
#include "store/destinations.hpp"
#include "store/models.hpp"
#include "store/runs.hpp"
#include "store/syncs.hpp"
#include "sync/schema_checks.hpp"
#include "sync/sync_config.hpp"

#include <map>

namespace hubsync::api {

namespace {
json
to_json(const store::sync_record& s, const std::optional<store::run_record>& last_run)
{
    return {{"id", s.id},
            {"name", s.name},
            {"model_id", s.model_id},
            {"destination_id", s.destination_id},
            {"type", s.type},
            {"config", s.config},
            {"schedule", s.schedule},
            {"enabled", s.enabled},
            {"warnings", s.warnings},
            {"last_run", last_run ? run_json(*last_run) : json(nullptr)},
            {"created_at", s.created_at},
            {"updated_at", s.updated_at}};
}

// A schema read more than this long ago is read again before a sync is refused for naming something it lacks.
constexpr auto schema_recheck_after = std::chrono::seconds(10);

// The sync against the destination's portal schema: refuses unknown or read-only properties, unknown objects,
// labels and events; adds warnings (e.g. matching by a non-unique property) to `fields`.
net::awaitable<void>
check_schema(services& svc, store::sync_fields& fields, const sync::sync_config& config,
             std::map<std::string, std::string> column_types)
{
    if (config.list()) co_return;  // lists need nothing from the schema
    sync::schema_findings found;
    std::exception_ptr failure;
    try {
        auto e = co_await svc.destinations.schema(fields.destination_id);
        found = sync::check_against_schema(config, *e.schema, column_types);
        if (found.unknown_names && std::chrono::steady_clock::now() - e.fetched > schema_recheck_after) {
            e = co_await svc.destinations.schema(fields.destination_id, true);
            found = sync::check_against_schema(config, *e.schema, column_types);
        }
    } catch (...) {
        failure = std::current_exception();
    }
    if (failure) throw hubspot_failure(failure, "reading the destination's schema to check the sync", "destination_id");
    if (!found.problems.empty()) {
        auto message = found.problems.size() == 1 ? found.problems[0].path + ": " + found.problems[0].message
                                                  : "the sync does not fit the destination's HubSpot schema (" +
                                                        std::to_string(found.problems.size()) + " problems)";
        throw core::error(core::errc::unprocessable, message, found.problems);
    }
    for (const auto& w : found.warnings) fields.warnings.push_back({{"path", w.path}, {"message", w.message}});
}

// Validates a full definition against the model's current columns. The warehouse is asked first; when it cannot
// answer, the columns seen at the model's last check are used, so editing a sync does not need the warehouse up.
net::awaitable<store::sync_fields>
validated(services& svc, const json& def)
{
    auto refs = validate_sync_references(def);
    auto model_id = refs.model_id;
    auto find = [model_id](pqxx::connection& c) { return store::models::find(c, model_id); };
    auto model = co_await svc.db.run(find);
    if (!model)
        throw core::error(core::errc::unprocessable, "model_id: no model with id " + std::to_string(model_id),
                          {{"model_id", "no model with this id"}});
    json columns = model->columns;
    try {
        columns = co_await describe_model_columns(svc, model->source_id, model->sql, "model_id");
    } catch (const core::error& e) {
        if (model->columns.empty()) throw;
        core::logger("api")->warn("model.describe_failed model={} using=stored_columns reason=\"{}\"", model_id,
                                  e.what());
    }
    model_shape shape;
    shape.primary_key = model->primary_key;
    for (const auto& c : columns) shape.columns.push_back(c["name"]);
    auto fields = validate_sync(def, shape);
    const auto config = sync::parse_sync_config(fields.type, fields.config);

    auto destination_id = refs.destination_id;
    auto find_destination = [destination_id](pqxx::connection& c) { return store::destinations::find(c, destination_id); };
    auto destination = co_await svc.db.run(find_destination);
    if (!destination)
        throw core::error(core::errc::unprocessable, "destination_id: no destination with id " + std::to_string(destination_id),
                          {{"destination_id", "no destination with this id"}});
    // HubSpot did not list the token's scopes (empty): the first run will tell instead.
    std::vector<std::string> granted;
    for (const auto& s : destination->scopes) granted.push_back(s.get<std::string>());
    if (!granted.empty()) {
        auto missing = hubspot::missing_scopes(sync::required_scopes(config), granted);
        if (!missing.empty()) {
            std::string list;
            for (const auto& m : missing) list += (list.empty() ? "" : ", ") + m;
            std::string message = "the destination's token lacks the scope" + std::string(missing.size() > 1 ? "s " : " ") +
                                  list + " that this sync needs; grant " + (missing.size() > 1 ? "them" : "it") +
                                  " to the private app (or re-authorize) and refresh the destination";
            throw core::error(core::errc::unprocessable, message, {{"destination_id", message}});
        }
    }
    std::map<std::string, std::string> column_types;
    for (const auto& c : columns) column_types[c.value("name", "")] = c.value("type", "");
    co_await check_schema(svc, fields, config, std::move(column_types));
    // Parts this version does not run yet are accepted, but the sync says so at once, and its runs fail naming them.
    for (const auto& part : sync::unsupported_parts(config))
        fields.warnings.push_back({{"path", part.path}, {"message", part.message + "; runs of this sync fail until then"}});
    co_return fields;
}

// Row state belongs to one destination and object type: a sync moved to another starts from an empty baseline.
// Object names are compared as the destination resolves them ("contacts", "contact" and "0-1" are one object).
net::awaitable<bool>
writes_elsewhere(services& svc, const store::sync_record& before, const store::sync_fields& after)
{
    if (before.destination_id != after.destination_id || before.type != after.type) co_return true;
    if (after.type != "object") co_return false;
    auto old_object = before.config.value("object", "");
    auto new_object = after.config.value("object", "");
    if (core::ascii_lower(old_object) == core::ascii_lower(new_object)) co_return false;
    auto entry = co_await svc.destinations.schema(after.destination_id);
    const auto* a = entry.schema->object(old_object);
    const auto* b = entry.schema->object(new_object);
    co_return !a || !b || a->object_type_id != b->object_type_id;
}

net::awaitable<std::optional<store::sync_record>>
find_sync(services& svc, std::int64_t id)
{
    auto work = [id](pqxx::connection& c) { return store::syncs::find(c, id); };
    co_return co_await svc.db.run(work);
}

net::awaitable<response>
create_sync(services& svc, request req)
{
    auto body = parse_body(req.body);
    auto fields = co_await validated(svc, body);
    auto work = [&fields](pqxx::connection& c) { return store::syncs::insert(c, fields); };
    auto s = co_await svc.db.run(work);
    co_return json_response(201, to_json(s, std::nullopt));
}

net::awaitable<response>
list_syncs(services& svc, request req)
{
    auto p = page_params(req);
    auto work = [&p](pqxx::connection& c) {
        auto page = store::syncs::list(c, p);
        std::vector<std::optional<store::run_record>> last;
        for (const auto& s : page.items) last.push_back(store::runs::last_for_sync(c, s.id));
        return std::make_pair(page, last);
    };
    auto [page, last] = co_await svc.db.run(work);
    json data = json::array();
    for (std::size_t i = 0; i < page.items.size(); ++i) data.push_back(to_json(page.items[i], last[i]));
    co_return json_response(200, {{"data", data},
                                  {"next_cursor", page.next_after ? json(std::to_string(*page.next_after)) : json(nullptr)}});
}

net::awaitable<response>
get_sync(services& svc, request req)
{
    auto id = path_id(req, "sync");
    auto work = [id](pqxx::connection& c) {
        return std::make_pair(store::syncs::find(c, id), store::runs::last_for_sync(c, id));
    };
    auto [s, last] = co_await svc.db.run(work);
    if (!s) throw_not_found("sync", id);
    co_return json_response(200, to_json(*s, last));
}

net::awaitable<response>
patch_sync(services& svc, request req)
{
    auto id = path_id(req, "sync");
    auto patch = parse_body(req.body);
    auto existing = co_await find_sync(svc, id);
    if (!existing) throw_not_found("sync", id);
    json def = {{"name", existing->name},         {"model_id", existing->model_id},
                {"destination_id", existing->destination_id}, {"type", existing->type},
                {"config", existing->config},     {"schedule", existing->schedule},
                {"enabled", existing->enabled}};
    merge_patch(def, patch);
    auto fields = co_await validated(svc, def);
    const bool reset = co_await writes_elsewhere(svc, *existing, fields);
    auto work = [&fields, id, reset](pqxx::connection& c) {
        auto updated = store::syncs::update(c, id, fields, reset);
        return std::make_pair(updated, store::runs::last_for_sync(c, id));
    };
    auto [updated, last] = co_await svc.db.run(work);
    if (!updated) throw_not_found("sync", id);
    auto answer = to_json(*updated, last);
    // Says so: the next run sends every row of the model to the new target.
    answer["baseline_reset"] = reset;
    co_return json_response(200, answer);
}

net::awaitable<response>
delete_sync(services& svc, request req)
{
    auto id = path_id(req, "sync");
    auto work = [id](pqxx::connection& c) { return store::syncs::remove(c, id); };
    if (!co_await svc.db.run(work)) throw_not_found("sync", id);
    response r;
    r.status = 204;
    co_return r;
}
}  // namespace

void
add_sync_routes(router& r, services& svc)
{
    r.add({"POST", "/v1/syncs", [&svc](const request& q) { return create_sync(svc, q); }});
    r.add({"GET", "/v1/syncs", [&svc](const request& q) { return list_syncs(svc, q); }});
    r.add({"GET", "/v1/syncs/{id}", [&svc](const request& q) { return get_sync(svc, q); }});
    r.add({"PATCH", "/v1/syncs/{id}", [&svc](const request& q) { return patch_sync(svc, q); }});
    r.add({"DELETE", "/v1/syncs/{id}", [&svc](const request& q) { return delete_sync(svc, q); }});
}

}  // namespace hubsync::api
