// The emulator's own control API under /__emulator/ (no auth, never faulted, not counted, not rate-limited).
#include "tests/emulator/association_calls.hpp"
#include "tests/emulator/catalog.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/records.hpp"

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

reply
admin_error(int status, const std::string& message, ojson details = nullptr)
{
    ojson body;
    body["error"] = message;
    if (!details.is_null()) body["details"] = std::move(details);
    return json_reply(status, std::move(body));
}

// The body as JSON, or a 400 admin error.
bool
admin_body(const call& c, json& out, reply& err)
{
    try {
        out = c.req.body.empty() ? json::object() : json::parse(c.req.body);
        return true;
    } catch (const json::parse_error& e) {
        err = admin_error(400, std::string("the body is not JSON: ") + e.what());
        return false;
    }
}

ojson
counters_json(const request_counters& n)
{
    ojson body;
    body["total"] = n.total;
    body["by_route"] = ojson::object();
    for (const auto& [k, v] : n.by_route) body["by_route"][k] = v;
    body["by_status"] = ojson::object();
    for (const auto& [k, v] : n.by_status) body["by_status"][k] = v;
    return body;
}

std::set<std::string>
scopes_from(const json& j)
{
    std::set<std::string> out;
    for (const auto& s : j) out.insert(s.get<std::string>());
    return out;
}

bool
string_array(const json& j)
{
    if (!j.is_array()) return false;
    for (const auto& s : j)
        if (!s.is_string()) return false;
    return true;
}
}  // namespace

reply
admin_health(call& c)
{
    ojson body;
    body["status"] = "ok";
    body["portalId"] = c.st.portal_id();
    return json_reply(200, std::move(body));
}

reply
admin_reset(call& c)
{
    c.st.reset();
    ojson body;
    body["status"] = "ok";
    return json_reply(200, std::move(body));
}

reply
admin_get_config(call& c)
{
    return json_reply(200, to_json(c.st.config));
}

reply
admin_set_config(call& c)
{
    json patch;
    reply err;
    if (!admin_body(c, patch, err)) return err;
    try {
        apply_config(c.st.config, patch);
    } catch (const config_error& e) {
        return admin_error(400, e.what());
    }
    return json_reply(200, to_json(c.st.config));
}

reply
admin_add_token(call& c)
{
    json body;
    reply err;
    if (!admin_body(c, body, err)) return err;
    if (!body.is_object() || !body.contains("token") || !body["token"].is_string() ||
        body["token"].get<std::string>().empty())
        return admin_error(400, "token: required non-empty string");
    token_info t;
    t.token = body["token"].get<std::string>();
    if (body.contains("scopes")) {
        if (!string_array(body["scopes"])) return admin_error(400, "scopes: must be an array of strings");
        t.scopes = scopes_from(body["scopes"]);
    } else {
        t.scopes = all_scopes();
    }
    const auto kind = body.value("kind", std::string{"private_app"});
    if (kind == "oauth") t.kind = token_kind::oauth;
    else if (kind != "private_app") return admin_error(400, "kind: must be \"private_app\" or \"oauth\"");
    if (body.contains("expires_in")) {
        if (!body["expires_in"].is_number_integer())
            return admin_error(400, "expires_in: must be an integer (seconds)");
        t.expires_at = c.now + std::chrono::seconds(body["expires_in"].get<long long>());
    }
    const auto& stored = c.st.add_token(std::move(t));
    ojson out;
    out["token"] = stored.token;
    out["kind"] = stored.kind == token_kind::oauth ? "oauth" : "private_app";
    out["scopes"] = stored.scopes;
    out["app_id"] = stored.app_id;
    out["expires_at"] = stored.expires_at ? ojson(iso8601(*stored.expires_at)) : ojson(nullptr);
    return json_reply(201, std::move(out));
}

reply
admin_add_auth_code(call& c)
{
    json body;
    reply err;
    if (!admin_body(c, body, err)) return err;
    if (!body.is_object() || !body.contains("code") || !body["code"].is_string() ||
        body["code"].get<std::string>().empty())
        return admin_error(400, "code: required non-empty string");
    auth_code a;
    a.code = body["code"].get<std::string>();
    if (body.contains("scopes")) {
        if (!string_array(body["scopes"])) return admin_error(400, "scopes: must be an array of strings");
        a.scopes = scopes_from(body["scopes"]);
    } else {
        a.scopes = all_scopes();
    }
    a.redirect_uri = body.value("redirect_uri", std::string{});
    ojson out;
    out["code"] = a.code;
    out["scopes"] = a.scopes;
    out["redirect_uri"] = a.redirect_uri;
    auto key = a.code;
    c.st.auth_codes[key] = std::move(a);
    return json_reply(201, std::move(out));
}

reply
admin_revoke_refresh_token(call& c)
{
    json body;
    reply err;
    if (!admin_body(c, body, err)) return err;
    const auto token = body.is_object() ? body.value("refresh_token", std::string{}) : std::string{};
    auto it = c.st.refresh_tokens.find(token);
    if (it == c.st.refresh_tokens.end()) return admin_error(404, "unknown refresh token");
    it->second.revoked = true;
    ojson out;
    out["refresh_token"] = token;
    out["revoked"] = true;
    return json_reply(200, std::move(out));
}

reply
admin_seed(call& c)
{
    auto* t = c.st.find_type(c.param("objectType"));
    if (!t) return admin_error(404, "unknown object type " + c.param("objectType"));
    json body;
    reply err;
    if (!admin_body(c, body, err)) return err;
    if (!body.is_object() || !body.contains("records") || !body["records"].is_array())
        return admin_error(400, "records: required array of {\"properties\":{...}}");
    // All or nothing, like a batch without trace ids; no size cap, no rate limit, read-only properties allowed.
    undo_log undo(c.st);
    ojson ids = ojson::array();
    for (std::size_t i = 0; i < body["records"].size(); ++i) {
        const auto& rec = body["records"][i];
        const auto props = rec.is_object() && rec.contains("properties") ? rec["properties"] : json::object();
        input_failure why;
        auto* r = create_record(c, *t, props, &undo, why, true);
        if (!r) {
            undo.rollback();
            ojson details;
            details["index"] = i;
            details["status"] = why.status;
            details["category"] = why.category;
            details["message"] = why.message;
            return admin_error(why.status == 409 ? 409 : 400, "records[" + std::to_string(i) + "]: " + why.message,
                               std::move(details));
        }
        ids.push_back(std::to_string(r->id));
    }
    ojson out;
    out["objectTypeId"] = t->id;
    out["ids"] = std::move(ids);
    return json_reply(201, std::move(out));
}

reply
admin_state(call& c)
{
    auto* t = c.st.find_type(c.param("objectType"));
    if (!t) return admin_error(404, "unknown object type " + c.param("objectType"));
    ojson results = ojson::array();
    for (const auto& [id, r] : t->records) results.push_back(record_json(*t, r, nullptr));
    ojson out;
    out["objectTypeId"] = t->id;
    out["name"] = t->name;
    out["total"] = t->records.size();
    out["results"] = std::move(results);
    return json_reply(200, std::move(out));
}

reply
admin_associations(call& c)
{
    auto* from = c.st.find_type(c.param("fromObjectType"), true);
    auto* to = c.st.find_type(c.param("toObjectType"), true);
    if (!from || !to)
        return admin_error(404, "unknown object type " + (from ? c.param("toObjectType") : c.param("fromObjectType")));
    auto& store = c.st.associations;
    ojson definitions = ojson::array();
    for (const auto* d : store.definitions(from->id, to->id)) {
        auto j = association_type_json(*d);
        j["inverseTypeId"] = d->inverse.id;
        if (!d->name.empty()) j["name"] = d->name;
        definitions.push_back(std::move(j));
    }
    // Every stored link, archived records' included: the raw state, for assertions.
    ojson results = ojson::array();
    if (const auto* links = store.links(from->id, to->id))
        for (const auto& [from_id, targets] : *links)
            for (const auto& [to_id, types] : targets) {
                ojson pair;
                pair["fromId"] = std::to_string(from_id);
                pair["toId"] = std::to_string(to_id);
                pair["types"] = ojson::array();
                for (const auto& k : types) pair["types"].push_back(association_type_json(*store.find(k)));
                results.push_back(std::move(pair));
            }
    ojson out;
    out["fromObjectTypeId"] = from->id;
    out["toObjectTypeId"] = to->id;
    out["definitions"] = std::move(definitions);
    out["total"] = results.size();
    out["results"] = std::move(results);
    return json_reply(200, std::move(out));
}

reply
admin_requests(call& c)
{
    return json_reply(200, counters_json(c.st.counters));
}

reply
admin_reset_requests(call& c)
{
    c.st.counters = request_counters{};
    return json_reply(200, counters_json(c.st.counters));
}

reply
admin_reset_rate_limits(call& c)
{
    c.st.rates = rate_state{};
    ojson body;
    body["status"] = "ok";
    return json_reply(200, std::move(body));
}

}  // namespace hubsync::emulator
