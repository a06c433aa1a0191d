#include "tests/emulator/state.hpp"

#include "tests/emulator/catalog.hpp"

#include <cctype>

namespace hubsync::emulator {

namespace {
// portal_state::find_type and schema_snapshot::find_type over their key maps.
template <typename Map>
typename Map::mapped_type
find_type_in(const Map& keys, const Map& singular_keys, std::string_view key, bool singular)
{
    std::string k(key);
    auto it = keys.find(k);
    if (it != keys.end()) return it->second;
    // Custom object names are case-insensitive in paths ("lender", "P12345678_lender").
    std::string lower = k;
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    it = keys.find(lower);
    if (it != keys.end()) return it->second;
    if (singular) {
        auto s = singular_keys.find(lower);
        if (s != singular_keys.end()) return s->second;
    }
    return nullptr;
}
}  // namespace

const property_def*
type_definition::find_property(std::string_view n) const
{
    auto it = property_index.find(n);
    return it == property_index.end() ? nullptr : &properties[it->second];
}

void
object_type::add_property(property_def p)
{
    if (p.display_order < 0) p.display_order = -1;
    property_index[p.name] = properties.size();
    if (p.has_unique_value) unique_index[p.name];
    properties.push_back(std::move(p));
}

bool
object_type::archive_property(const std::string& name)
{
    auto it = property_index.find(name);
    if (it == property_index.end()) return false;
    properties[it->second].archived = true;
    unique_index.erase(name);
    property_index.erase(it);
    return true;
}

record*
object_type::find_record(std::uint64_t rid)
{
    auto it = records.find(rid);
    return it == records.end() ? nullptr : &it->second;
}

record*
object_type::find_live(std::uint64_t rid)
{
    auto* r = find_record(rid);
    return r && !r->archived ? r : nullptr;
}

record*
object_type::find_by_unique(const std::string& property, const std::string& value)
{
    auto idx = unique_index.find(property);
    if (idx == unique_index.end()) return nullptr;
    auto it = idx->second.find(value);
    return it == idx->second.end() || it->second->archived ? nullptr : it->second;
}

const property_def*
event_definition::find_property(const std::string& n) const
{
    auto it = property_index.find(n);
    return it == property_index.end() ? nullptr : &properties[it->second];
}

void
event_definition::add_property(property_def p)
{
    property_index[p.name] = properties.size();
    properties.push_back(std::move(p));
}

std::size_t
event_definition::custom_property_count() const
{
    std::size_t n = 0;
    for (const auto& p : properties)
        if (!p.hubspot_defined) ++n;
    return n;
}

void
rolling_window::prune(steady_clock::time_point now, std::chrono::milliseconds window)
{
    while (!hits.empty() && hits.front() <= now - window) hits.pop_front();
}

std::size_t
rolling_window::count_since(steady_clock::time_point since) const
{
    std::size_t n = 0;
    for (auto it = hits.rbegin(); it != hits.rend() && *it > since; ++it) ++n;
    return n;
}

portal_state::portal_state(startup_options opts) : opts_(std::move(opts))
{
    reset();
}

void
portal_state::reset()
{
    types_.clear();
    type_keys_.clear();
    singular_keys_.clear();
    install_standard_types();
    associations = association_store{};
    tokens_.clear();
    refresh_tokens.clear();
    auth_codes.clear();
    next_app_id = 3001;
    for (const auto& t : opts_.tokens) {
        token_info info;
        info.token = t;
        info.kind = token_kind::private_app;
        info.scopes = all_scopes();
        add_token(std::move(info));
    }
    config = emulator_config{};
    rates = rate_state{};
    counters = request_counters{};
    lists = list_store{};
    events = event_store{};
    next_record_id_ = 1001;
    next_custom_type_ = 1;
    schema_changed();
}

void
portal_state::install_standard_types()
{
    for (auto& t : standard_object_types()) {
        type_keys_[t->name] = t.get();
        type_keys_[t->id] = t.get();
        singular_keys_[t->singular_name] = t.get();
        types_.push_back(std::move(t));
    }
}

object_type*
portal_state::find_type(std::string_view key, bool singular)
{
    return find_type_in(type_keys_, singular_keys_, key, singular);
}

const type_definition*
schema_snapshot::find_type(std::string_view key, bool singular) const
{
    return find_type_in(type_keys, singular_keys, key, singular);
}

void
portal_state::schema_changed()
{
    auto snap = std::make_shared<schema_snapshot>();
    snap->version = ++schema_version_;
    std::unordered_map<const object_type*, const type_definition*> copies;
    for (const auto& t : types_) {
        // The definitions only (a slicing copy): no records, no indexes.
        snap->types.push_back(std::make_unique<const type_definition>(static_cast<const type_definition&>(*t)));
        copies[t.get()] = snap->types.back().get();
    }
    for (const auto& [k, t] : type_keys_) snap->type_keys[k] = copies.at(t);
    for (const auto& [k, t] : singular_keys_) snap->singular_keys[k] = copies.at(t);
    std::lock_guard lock(schema_mutex_);
    schema_ = std::move(snap);
}

std::shared_ptr<const schema_snapshot>
portal_state::schema() const
{
    std::lock_guard lock(schema_mutex_);
    return schema_;
}

object_type&
portal_state::add_custom_type(std::unique_ptr<object_type> t)
{
    auto* p = t.get();
    auto lower = [](std::string s) {
        for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        return s;
    };
    type_keys_[p->id] = p;
    type_keys_[lower(p->name)] = p;
    type_keys_[lower(p->fully_qualified_name)] = p;
    singular_keys_[lower(p->singular_name)] = p;
    types_.push_back(std::move(t));
    return *p;
}

token_info*
portal_state::find_token(const std::string& token)
{
    auto it = tokens_.find(token);
    return it == tokens_.end() ? nullptr : &it->second;
}

token_info&
portal_state::add_token(token_info t)
{
    if (t.bucket.empty()) t.bucket = "token:" + t.token;
    if (t.app_id == 0) t.app_id = next_app_id++;
    if (t.user_id == 0) t.user_id = 101;
    auto key = t.token;
    auto& slot = tokens_[key];
    slot = std::move(t);
    return slot;
}

}  // namespace hubsync::emulator
