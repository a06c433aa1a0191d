#include "sync/sync_config.hpp"

#include "hubspot/account_api.hpp"

#include <algorithm>

namespace hubsync::sync {

namespace {
using json = nlohmann::json;

[[noreturn]] void
bad(const std::string& path, const std::string& why)
{
    throw core::error(core::errc::unprocessable, "the sync's stored configuration is not valid at " + path + ": " + why,
                      {{path, why}});
}

const json&
member(const json& obj, const std::string& parent, const char* key)
{
    if (!obj.is_object()) bad(parent, "must be an object");
    auto it = obj.find(key);
    if (it == obj.end()) bad(parent + "." + key, "is missing");
    return *it;
}

std::string
text(const json& obj, const std::string& parent, const char* key)
{
    const auto& v = member(obj, parent, key);
    if (!v.is_string() || v.get_ref<const std::string&>().empty()) bad(parent + "." + key, "must be a non-empty string");
    return v.get<std::string>();
}

std::optional<std::string>
optional_text(const json& obj, const std::string& parent, const char* key)
{
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) return std::nullopt;
    if (!it->is_string()) bad(parent + "." + key, "must be a string or null");
    return it->get<std::string>();
}

template <class E, std::size_t N>
E
one_of(const json& obj, const std::string& parent, const char* key, const std::pair<const char*, E> (&choices)[N])
{
    auto s = text(obj, parent, key);
    for (const auto& [name, value] : choices)
        if (s == name) return value;
    bad(parent + "." + key, "'" + s + "' is not a known value");
}

column_property
pair_at(const json& obj, const std::string& path)
{
    return {text(obj, path, "column"), text(obj, path, "property")};
}

std::vector<column_property>
mappings_at(const json& cfg)
{
    std::vector<column_property> out;
    auto it = cfg.find("mappings");
    if (it == cfg.end() || it->is_null()) return out;
    if (!it->is_array()) bad("config.mappings", "must be an array");
    for (std::size_t i = 0; i < it->size(); ++i)
        out.push_back(pair_at((*it)[i], "config.mappings[" + std::to_string(i) + "]"));
    return out;
}

association_type
association_type_at(const json& a, const std::string& path)
{
    association_type t;
    auto it = a.find("type");
    if (it == a.end() || it->is_null()) return t;
    if (it->is_number_integer() && it->get<std::int64_t>() > 0) {
        t.what = association_type::kind::type_id;
        t.type_id = it->get<std::int64_t>();
    } else if (it->is_string() && it->get_ref<const std::string&>() == "default") {
        t.what = association_type::kind::default_type;
    } else if (it->is_string() && !it->get_ref<const std::string&>().empty()) {
        t.what = association_type::kind::label;
        t.label = it->get<std::string>();
    } else {
        bad(path + ".type", "must be \"default\", a label name or a positive association type id");
    }
    return t;
}

object_config
object_at(const json& cfg)
{
    static constexpr std::pair<const char*, write_mode> modes[] = {
        {"upsert", write_mode::upsert}, {"update", write_mode::update}, {"insert", write_mode::insert}};
    object_config o;
    o.object = text(cfg, "config", "object");
    o.mode = one_of(cfg, "config", "mode", modes);
    o.match = pair_at(member(cfg, "config", "match"), "config.match");
    o.mappings = mappings_at(cfg);
    if (auto it = cfg.find("associations"); it != cfg.end() && !it->is_null()) {
        if (!it->is_array()) bad("config.associations", "must be an array");
        for (std::size_t i = 0; i < it->size(); ++i) {
            std::string at = "config.associations[" + std::to_string(i) + "]";
            const auto& a = (*it)[i];
            association_config ac;
            ac.to_object = text(a, at, "to_object");
            ac.type = association_type_at(a, at);
            ac.match = pair_at(member(a, at, "match"), at + ".match");
            o.associations.push_back(std::move(ac));
        }
    }
    return o;
}

event_config
event_at(const json& cfg)
{
    static constexpr std::pair<const char*, contact_key> keys[] = {
        {"email", contact_key::email}, {"object_id", contact_key::object_id}, {"utk", contact_key::utk}};
    event_config e;
    e.event_name = text(cfg, "config", "event_name");
    const auto& contact = member(cfg, "config", "contact");
    e.contact_column = text(contact, "config.contact", "column");
    e.contact_by = one_of(contact, "config.contact", "by", keys);
    e.occurred_at_column = optional_text(cfg, "config", "occurred_at_column");
    e.mappings = mappings_at(cfg);
    return e;
}

list_config
list_at(const json& cfg)
{
    static constexpr std::pair<const char*, member_key> keys[] = {{"email", member_key::email},
                                                                  {"contact_id", member_key::contact_id}};
    list_config l;
    l.list_name = optional_text(cfg, "config", "list_name");
    const auto& match = member(cfg, "config", "match");
    l.match_column = text(match, "config.match", "column");
    l.by = one_of(match, "config.match", "by", keys);
    return l;
}
}  // namespace

sync_config
parse_sync_config(std::string_view type, const json& config)
{
    if (!config.is_object()) bad("config", "must be an object");
    sync_config c;
    if (type == "object") {
        c.type = sync_type::object;
        c.spec = object_at(config);
    } else if (type == "event") {
        c.type = sync_type::event;
        c.spec = event_at(config);
    } else if (type == "list") {
        c.type = sync_type::list;
        c.spec = list_at(config);
    } else {
        bad("type", "'" + std::string(type) + "' is not a sync type");
    }
    return c;
}

const char*
to_string(sync_type t)
{
    switch (t) {
    case sync_type::object: return "object";
    case sync_type::event: return "event";
    case sync_type::list: return "list";
    }
    return "object";
}

const char*
to_string(write_mode m)
{
    switch (m) {
    case write_mode::upsert: return "upsert";
    case write_mode::update: return "update";
    case write_mode::insert: return "insert";
    }
    return "upsert";
}

const char*
to_string(contact_key k)
{
    switch (k) {
    case contact_key::email: return "email";
    case contact_key::object_id: return "object_id";
    case contact_key::utk: return "utk";
    }
    return "email";
}

const char*
to_string(member_key k)
{
    return k == member_key::email ? "email" : "contact_id";
}

std::vector<std::string>
required_scopes(const sync_config& c)
{
    std::vector<std::string> out;
    auto add = [&out](const std::vector<std::string>& scopes) {
        for (const auto& s : scopes)
            if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(s);
    };
    if (const auto* o = c.object()) {
        add(hubspot::required_scopes_for_object(o->object));
        // Associated records are only looked up: their read scope suffices.
        for (const auto& a : o->associations) add({hubspot::required_scopes_for_object(a.to_object).front()});
    } else if (c.event()) {
        add({"analytics.behavioral_events.send"});
    } else if (c.list()) {
        add({"crm.lists.read", "crm.lists.write", "crm.objects.contacts.read"});
    }
    return out;
}

std::vector<core::error_detail>
unsupported_parts(const sync_config& c)
{
    std::vector<core::error_detail> out;
    if (const auto* o = c.object()) {
        if (!o->associations.empty())
            out.push_back({"config.associations",
                           "associations are not run by this version of hubsync yet; remove them from the sync to "
                           "run its object writes, or wait for the release that runs them"});
    } else if (c.event()) {
        out.push_back({"type", "event syncs are not run by this version of hubsync yet"});
    } else if (c.list()) {
        out.push_back({"type", "list syncs are not run by this version of hubsync yet"});
    }
    return out;
}

}  // namespace hubsync::sync
