#include "tests/emulator/records.hpp"

#include "core/json_string.hpp"
#include "tests/emulator/json_text.hpp"
#include "tests/emulator/values.hpp"

#include <algorithm>
#include <stdexcept>

namespace hubsync::emulator {

namespace {
constexpr std::size_t history_cap = 20;

void
index_add(object_type& t, record& r)
{
    for (auto& [prop, index] : t.unique_index) {
        auto it = r.properties.find(prop);
        if (it != r.properties.end() && !it->second.empty()) index[it->second] = &r;
    }
}

void
index_remove(object_type& t, const record& r)
{
    for (auto& [prop, index] : t.unique_index) {
        auto it = r.properties.find(prop);
        if (it == r.properties.end()) continue;
        auto hit = index.find(it->second);
        if (hit != index.end() && hit->second == &r) index.erase(hit);
    }
}

// The index of a converted value's property in its type (conversion only lets the type's properties through).
std::uint32_t
property_number(const type_definition& t, const std::string& name)
{
    const auto* def = t.find_property(name);
    if (!def) throw std::logic_error("a converted value names no property of " + t.name + ": " + name);
    return t.number_of(*def);
}

bool
history_full(const record& r)
{
    return r.history.size() >= std::max<std::size_t>(r.history_trim_at, 2 * history_cap);
}

// Keeps each property's newest history_cap values once the list is full. The next trim waits until the list has
// doubled again, so a value costs O(1) amortised, and each property always shows at least its newest history_cap.
void
trim_history(const type_definition& t, record& r)
{
    if (!history_full(r)) return;
    auto& h = r.history;
    thread_local std::vector<std::uint8_t> kept;
    kept.assign(t.properties.size(), 0);
    // Newest first; kept entries move towards the end, in order.
    std::size_t w = h.size();
    for (std::size_t i = h.size(); i-- > 0;) {
        auto& n = kept[h[i].property];
        if (n == history_cap) continue;
        ++n;
        if (--w != i) h[w] = std::move(h[i]);
    }
    h.erase(h.begin(), h.begin() + static_cast<std::ptrdiff_t>(w));
    r.history_trim_at = static_cast<std::uint32_t>(2 * h.size());
}

const char*
source_name(history_source s)
{
    return s == history_source::import ? "IMPORT" : "API";
}

// The values `name` had, newest first, as propertiesWithHistory lists them; empty when it never had one.
std::vector<const history_entry*>
history_values(const type_definition& t, const record& r, const std::string& name)
{
    std::vector<const history_entry*> out;
    const auto* def = t.find_property(name);
    if (!def) return out;
    const auto property = t.number_of(*def);
    for (auto e = r.history.rbegin(); e != r.history.rend(); ++e)
        if (e->property == property) out.push_back(&*e);
    return out;
}

// `before`: the properties before this write of an existing record. When no version is kept yet (the record was
// written while the lag was off, or long ago) they become the version search has already indexed.
void
add_version(call& c, record& r, const property_map* before)
{
    const int lag = c.st.config.search.lag_ms;
    if (lag <= 0) {
        r.versions.clear();
        return;
    }
    if (r.versions.empty() && before)
        r.versions.push_back({steady_clock::time_point{}, std::make_shared<const property_map>(*before)});
    auto cutoff = c.now_steady - std::chrono::milliseconds(lag);
    // Versions older than the newest one already past the lag can never be seen again.
    while (r.versions.size() >= 2 && r.versions[1].at <= cutoff) r.versions.erase(r.versions.begin());
    r.versions.push_back({c.now_steady, std::make_shared<const property_map>(r.properties)});
}

// The first unique value of `values` (in name order) another live record holds. A type has a few unique
// properties and a write many values: the indexes are walked, not the values.
bool
find_conflict(const call& c, object_type& t, const property_map& values, std::uint64_t self, input_failure& why,
              free_unique_value known = {})
{
    const std::string* first = nullptr;
    const record* holder = nullptr;
    for (const auto& [name, index] : t.unique_index) {
        auto v = values.find(name);
        if (v == values.end() || v->second.empty() || (first && *first < name)) continue;
        if (known.property && *known.property == name && *known.value == v->second) continue;
        auto* other = t.find_by_unique(name, v->second);
        if (other && other->id != self) {
            first = &name;
            holder = other;
        }
    }
    if (!holder) return false;
    why = {};
    // hubspot-api.md §9 point 4: a custom unique property's conflict may be a 400 instead (one report); contact
    // email always answers the documented 409.
    const bool custom = !(t.id == "0-1" && *first == "email");
    if (custom && c.st.config.objects.unique_conflict == objects_config::conflict_shape::validation_400) {
        why.status = 400;
        why.category = "VALIDATION_ERROR";
        why.message = "propertyValue: already has that value " + *first;
        return true;
    }
    why.status = 409;
    why.category = "CONFLICT";
    why.message = t.label_singular + " already exists. Existing ID: " + std::to_string(holder->id);
    return true;
}
}  // namespace

input_failure
validation_failure(const call& c, const std::vector<property_error>& errors)
{
    input_failure f;
    f.status = 400;
    f.category = "VALIDATION_ERROR";
    f.message = property_errors_message(errors, c.st.portal_id());
    f.errors = property_errors_details(errors);
    return f;
}

void
undo_log::created(object_type& t, std::uint64_t id)
{
    entries_.push_back(entry{&t, id, true, 0, 0, 0, 0, {}});
}

undo_log::entry&
undo_log::updating(object_type& t, const record& r)
{
    entries_.push_back(entry{&t, r.id, false, r.updated_ms, r.history.size(), saved_.size(), saved_.size(), r.versions});
    return entries_.back();
}

void
undo_log::rollback()
{
    for (auto it = entries_.rbegin(); it != entries_.rend(); ++it) {
        auto* r = it->type->find_record(it->id);
        if (!r) continue;
        index_remove(*it->type, *r);
        if (it->created) {
            it->type->records.erase(it->id);
            continue;
        }
        // Newest first, so a property saved twice ends with its oldest value.
        for (auto i = it->saved_to; i-- > it->saved_from;) {
            auto& b = saved_[i];
            if (b.before) r->properties[*b.name] = std::move(*b.before);
            else r->properties.erase(*b.name);
        }
        r->updated_ms = it->updated_ms;
        r->versions = std::move(it->versions);
        r->history.erase(r->history.begin() + static_cast<std::ptrdiff_t>(it->history_size), r->history.end());
        index_add(*it->type, *r);
    }
    entries_.clear();
    saved_.clear();
    to_trim_.clear();
    st_.rewind_record_id(first_id_);
}

void
undo_log::commit()
{
    for (auto [t, r] : to_trim_) trim_history(*t, *r);
    entries_.clear();
    saved_.clear();
    to_trim_.clear();
}

const nlohmann::json&
properties_of(const nlohmann::json& input)
{
    static const nlohmann::json none = nlohmann::json::object();
    auto it = input.find("properties");
    return it == input.end() ? none : *it;
}

namespace {
// One name and value of a write's "properties" (the value as scalar_to_string prints it): convert_properties's step.
void
convert_one(const type_definition& t, const std::string& name, std::string value, const record* current,
            bool seeding, property_map& out, std::vector<property_error>& errors, bool* checkbox,
            std::vector<history_entry>* history = nullptr, property_finder* finder = nullptr)
{
    const auto* def = finder ? finder->find(name) : t.find_property(name);
    if (!def) {
        errors.push_back({name, "PROPERTY_DOESNT_EXIST", "Property \"" + name + "\" does not exist"});
        return;
    }
    if (!seeding && (def->read_only_value || def->calculated)) {
        errors.push_back({name, "READ_ONLY_VALUE", "\"" + name + "\" is a read only property; its value cannot be set."});
        return;
    }
    const std::string* cur = nullptr;
    // Only multi-checkbox values (";x" appends) depend on the current one.
    if (checkbox && def->field_type == "checkbox") *checkbox = true;
    if (current && def->field_type == "checkbox") {
        auto it = current->properties.find(name);
        if (it != current->properties.end()) cur = &it->second;
    }
    std::string converted;
    property_error err;
    if (!normalize_string(*def, std::move(value), cur, converted, err)) {
        errors.push_back(std::move(err));
        return;
    }
    if (history)
        history->push_back({converted, 0, t.number_of(*def), history_source::api});
    // Names come in key order, so the end is the right place (the hint makes that O(1)).
    out.insert_or_assign(out.end(), name, std::move(converted));
}
}  // namespace

void
convert_property_value(const type_definition& t, const std::string& name, std::string value, property_map& out,
                       std::vector<property_error>& errors, bool* checkbox, std::vector<history_entry>* history)
{
    convert_one(t, name, std::move(value), nullptr, false, out, errors, checkbox, history);
}

const property_def*
property_finder::find(const std::string& name)
{
    const auto at = at_++;
    if (at < seen_.size() && seen_[at] && seen_[at]->name == name) return seen_[at];
    const auto* def = t_.find_property(name);
    if (at < seen_.size()) seen_[at] = def;
    else seen_.push_back(def);
    return def;
}

std::vector<property_error>
convert_property_list(property_finder& properties, std::vector<std::pair<std::string, std::string>>& props,
                      property_map& out, bool* checkbox, std::vector<history_entry>* history)
{
    std::vector<property_error> errors;
    properties.next_input();
    for (auto& [name, value] : props)
        convert_one(properties.type(), name, std::move(value), nullptr, false, out, errors, checkbox, history,
                    &properties);
    return errors;
}

std::vector<property_error>
convert_properties(const type_definition& t, const nlohmann::json& props, const record* current, bool seeding,
                   property_map& out, const extra_property* extra, bool* checkbox)
{
    std::vector<property_error> errors;
    auto convert = [&](const std::string& name, const nlohmann::json& value) {
        convert_one(t, name, scalar_to_string(value), current, seeding, out, errors, checkbox);
    };
    if (extra) {
        // In key order, as if `extra` were a member of `props`: errors are listed in that order too.
        static const nlohmann::json no_properties = nlohmann::json::object();
        const auto& base = props.is_object() ? props : no_properties;
        bool placed = false;
        for (const auto& [name, value] : base.items()) {
            if (!placed && extra->name <= name) {
                convert(extra->name, extra->value);
                placed = true;
                if (extra->name == name) continue;
            }
            convert(name, value);
        }
        if (!placed) convert(extra->name, extra->value);
        return errors;
    }
    if (props.is_null()) return errors;
    if (!props.is_object()) {
        errors.push_back({"properties", "INVALID_PROPERTIES", "properties must be an object"});
        return errors;
    }
    for (const auto& [name, value] : props.items()) convert(name, value);
    return errors;
}

record*
create_record(call& c, object_type& t, const nlohmann::json& props, undo_log* undo, input_failure& why, bool seeding,
              const extra_property* extra)
{
    property_map values;
    auto errors = convert_properties(t, props, nullptr, seeding, values, extra);
    if (!errors.empty()) {
        why = validation_failure(c, errors);
        return nullptr;
    }
    return create_converted(c, t, std::move(values), undo, why, seeding);
}

record*
create_converted(call& c, object_type& t, property_map&& values, undo_log* undo, input_failure& why, bool seeding,
                 std::span<history_entry> history, free_unique_value known)
{
    if (history.size() != values.size()) history = {};  // not made for these values: ignored
    std::vector<property_error> errors;
    // Defaults applied, when the history is given: their entries are not in it.
    std::vector<const std::pair<const std::string, std::string>*> defaulted;
    for (const auto& d : t.create_defaults) {
        auto& value = values[d.first];
        if (!value.empty()) continue;
        value = d.second;
        if (!history.empty()) defaulted.push_back(&d);
    }
    if (!seeding) {
        for (const auto& name : t.required_properties) {
            auto it = values.find(name);
            if (it == values.end() || it->second.empty())
                errors.push_back({name, "MISSING_REQUIRED_PROPERTY", "Property \"" + name + "\" is required"});
        }
        if (!errors.empty()) {
            why = validation_failure(c, errors);
            return nullptr;
        }
    }
    if (find_conflict(c, t, values, 0, why, known)) return nullptr;

    const auto id = c.st.allocate_record_id();
    // Ids only grow (a rollback rewinds them with its records), so the new record goes at the end.
    record& r = t.records.try_emplace(t.records.end(), id)->second;
    r.id = id;
    const auto now = c.now_ms();
    r.created_ms = r.updated_ms = now;
    const auto source = seeding ? history_source::import : history_source::api;
    r.history.reserve(values.size());
    if (!history.empty()) {
        // A value that clears is not written, so it has no history either.
        for (auto& e : history)
            if (!e.value.empty()) r.history.push_back(std::move(e));
        for (const auto* d : defaulted) r.history.push_back({d->second, 0, property_number(t, d->first), source});
        for (auto& e : r.history) {
            e.at_ms = now;
            e.source = source;
        }
    }
    // The nodes of `values` move into the record (both are property_maps, in the same order): no allocation.
    for (auto it = values.begin(); it != values.end();) {
        auto next = std::next(it);
        if (!it->second.empty()) {
            if (history.empty()) r.history.push_back({it->second, now, property_number(t, it->first), source});
            r.properties.insert(r.properties.end(), values.extract(it));
        }
        it = next;
    }
    const std::string& stamp = c.now_stamp();
    r.properties["hs_object_id"] = std::to_string(id);
    // A seeded create date wins, and dates the record (createdAt) too.
    if (auto [it, fresh] = r.properties.emplace(t.created_property, stamp); !fresh)
        if (auto ms = parse_instant(it->second)) r.created_ms = *ms;
    r.properties.emplace(t.modified_property, stamp);
    index_add(t, r);
    if (!seeding) add_version(c, r, nullptr);
    if (undo) undo->created(t, id);
    return &r;
}

bool
update_record(call& c, object_type& t, record& r, const nlohmann::json& props, undo_log* undo, input_failure& why)
{
    property_map values;
    auto errors = convert_properties(t, props, &r, false, values);
    if (!errors.empty()) {
        why = validation_failure(c, errors);
        return false;
    }
    return update_converted(c, t, r, std::move(values), undo, why);
}

bool
update_converted(call& c, object_type& t, record& r, property_map&& values, undo_log* undo, input_failure& why,
                 std::span<history_entry> history)
{
    if (find_conflict(c, t, values, r.id, why)) return false;
    if (history.size() != values.size()) history = {};  // not made for these values: ignored
    undo_log::entry* saved = undo ? &undo->updating(t, r) : nullptr;

    std::optional<property_map> before;
    if (c.st.config.search.lag_ms > 0 && r.versions.empty()) before = r.properties;
    // Re-indexing is only needed when a unique property is written: the others leave the indexes as they are.
    const bool reindex = std::any_of(t.unique_index.begin(), t.unique_index.end(),
                                     [&](const auto& index) { return values.count(index.first) != 0; });
    if (reindex) index_remove(t, r);
    const auto now = c.now_ms();
    // `values` and the record's properties are both sorted: one walk finds every name's place.
    auto at = r.properties.begin();
    std::size_t i = 0;
    for (auto& [name, value] : values) {
        if (!history.empty()) r.history.push_back(std::move(history[i++]));
        else r.history.push_back({value, 0, property_number(t, name), history_source::api});
        auto& entry = r.history.back();
        entry.at_ms = now;
        entry.source = history_source::api;
        if (saved) undo->saved_.push_back({&t.properties[entry.property].name, std::nullopt});
        while (at != r.properties.end() && at->first < name) ++at;
        if (at != r.properties.end() && at->first == name) {
            if (saved) undo->saved_.back().before = std::move(at->second);
            if (value.empty()) at = r.properties.erase(at);
            else (at++)->second = std::move(value);
        } else if (!value.empty()) {
            r.properties.emplace_hint(at, name, std::move(value));
        }
    }
    r.updated_ms = now;
    if (!undo) trim_history(t, r);
    else if (history_full(r)) undo->to_trim_.emplace_back(&t, &r);
    auto [modified, fresh] = r.properties.try_emplace(t.modified_property);
    if (saved) {
        undo->saved_.push_back(
            {&t.modified_property, fresh ? std::nullopt : std::optional(std::move(modified->second))});
        saved->saved_to = undo->saved_.size();
    }
    modified->second = c.now_stamp();
    if (reindex) index_add(t, r);
    add_version(c, r, before ? &*before : nullptr);
    return true;
}

void
archive_record(call& c, object_type& t, record& r)
{
    index_remove(t, r);
    r.archived = true;
    r.archived_ms = c.now_ms();
    r.versions.clear();
}

bool
usable_id_property(const type_definition& t, const std::string& name)
{
    const auto* p = t.find_property(name);
    return p && p->has_unique_value;
}

hs_error
non_unique_id_property(const call& c, const object_type& t, const std::string& name)
{
    return validation_error(c.cid, "Unable to perform update/upsert by non-unique " + t.id + " property " + name +
                                       " in portal ID " + std::to_string(c.st.portal_id()));
}

record*
find_record_by(call& c, object_type& t, const std::string& id, const std::string& id_property, bool archived)
{
    if (!id_property.empty() && id_property != "hs_object_id") {
        if (!usable_id_property(t, id_property)) throw non_unique_id_property(c, t, id_property);
        if (archived) return nullptr;  // archived records are not in the unique indexes
        return t.find_by_unique(id_property, lookup_key(t.find_property(id_property), id));
    }
    if (id.empty() || id.size() > 19 ||
        !std::all_of(id.begin(), id.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
        return nullptr;
    auto* r = t.find_record(std::stoull(id));
    if (!r || r->archived != archived) return nullptr;
    return r;
}

std::vector<std::string>
prepare_names(std::vector<std::string> names)
{
    std::sort(names.begin(), names.end());
    names.erase(std::unique(names.begin(), names.end()), names.end());
    return names;
}

ojson
record_json(const object_type& t, const record& r, const std::vector<std::string>* names,
            const std::vector<std::string>* history, const property_map* view)
{
    const property_map& shown = view ? *view : r.properties;
    ojson j = reserved_object(9);
    j["id"] = std::to_string(r.id);
    ojson props = reserved_object(names ? names->size() + 3 : shown.size());
    if (!names) {
        for (const auto& [k, v] : shown) props[k] = v;
    } else {
        // Always-present properties merge into the sorted request list.
        std::vector<std::string> wanted = *names;
        for (const auto* always : {&t.created_property, &t.modified_property}) wanted.push_back(*always);
        wanted.push_back("hs_object_id");
        wanted = prepare_names(std::move(wanted));
        for (const auto& n : wanted) {
            auto it = shown.find(n);
            if (it != shown.end()) props[n] = it->second;
        }
    }
    j["properties"] = std::move(props);
    if (history && !history->empty()) {
        ojson h = reserved_object(history->size());
        for (const auto& n : *history) {
            const auto values = history_values(t, r, n);
            if (values.empty()) continue;
            ojson list = ojson::array();
            for (const auto* e : values) {
                ojson item;
                item["value"] = e->value;
                item["timestamp"] = iso8601_ms(e->at_ms);
                item["sourceType"] = source_name(e->source);
                list.push_back(std::move(item));
            }
            h[n] = std::move(list);
        }
        j["propertiesWithHistory"] = std::move(h);
    }
    j["createdAt"] = iso8601_ms(r.created_ms);
    j["updatedAt"] = iso8601_ms(r.updated_ms);
    j["archived"] = r.archived;
    if (r.archived) j["archivedAt"] = iso8601_ms(r.archived_ms);
    return j;
}

void
write_record_open(std::string& out, const object_type& t, const record& r, const std::vector<std::string>* names,
                  const std::vector<std::string>* history, const property_map* view)
{
    static const std::string object_id_name = "hs_object_id";
    const property_map& shown = view ? *view : r.properties;
    out += R"({"id":")";
    out += std::to_string(r.id);
    out += R"(","properties":{)";
    bool first = true;
    auto property = [&](const std::string& name, const std::string& value) {
        append_json_member(out, !first, name, value);
        first = false;
    };
    if (!names) {
        for (const auto& [k, v] : shown) property(k, v);
    } else {
        // As record_json: the always-present properties merge into the sorted request list.
        std::vector<const std::string*> wanted;
        wanted.reserve(names->size() + 3);
        for (const auto& n : *names) wanted.push_back(&n);
        wanted.push_back(&t.created_property);
        wanted.push_back(&t.modified_property);
        wanted.push_back(&object_id_name);
        std::sort(wanted.begin(), wanted.end(), [](const auto* a, const auto* b) { return *a < *b; });
        wanted.erase(std::unique(wanted.begin(), wanted.end(), [](const auto* a, const auto* b) { return *a == *b; }),
                     wanted.end());
        for (const auto* n : wanted) {
            auto it = shown.find(*n);
            if (it != shown.end()) property(*n, it->second);
        }
    }
    out += '}';
    if (history && !history->empty()) {
        out += R"(,"propertiesWithHistory":{)";
        bool first_name = true;
        for (std::size_t i = 0; i < history->size(); ++i) {
            const auto& n = (*history)[i];
            // A repeated name would only overwrite its own ojson entry with the same list.
            if (std::find(history->begin(), history->begin() + static_cast<std::ptrdiff_t>(i), n) !=
                history->begin() + static_cast<std::ptrdiff_t>(i))
                continue;
            const auto values = history_values(t, r, n);
            if (values.empty()) continue;
            if (!first_name) out += ',';
            first_name = false;
            core::append_json_string(out, n);
            out += ":[";
            for (const auto* e : values) {
                if (e != values.front()) out += ',';
                out += R"({"value":)";
                core::append_json_string(out, e->value);
                out += R"(,"timestamp":")";
                append_iso8601_ms(out, e->at_ms);
                out += R"(","sourceType":)";
                core::append_json_string(out, source_name(e->source));
                out += '}';
            }
            out += ']';
        }
        out += '}';
    }
    out += R"(,"createdAt":")";
    append_iso8601_ms(out, r.created_ms);
    out += R"(","updatedAt":")";
    append_iso8601_ms(out, r.updated_ms);
    out += R"(","archived":)";
    out += r.archived ? "true" : "false";
    if (r.archived) {
        out += R"(,"archivedAt":")";
        append_iso8601_ms(out, r.archived_ms);
        out += '"';
    }
}

hs_error
to_error(const call& c, const input_failure& f)
{
    auto body = error_head(c.cid, f.message);
    if (!f.errors.is_null()) body["errors"] = f.errors;
    if (!f.context.empty()) body["context"] = f.context;
    body["category"] = f.category;
    return hs_error(f.status, std::move(body));
}

ojson
to_item_error(const input_failure& f)
{
    ojson j;
    j["status"] = "error";
    j["category"] = f.category;
    j["message"] = f.message;
    j["context"] = f.context;
    return j;
}

}  // namespace hubsync::emulator
