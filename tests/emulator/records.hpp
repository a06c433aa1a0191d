#pragma once
// Record writes shared by the single, batch, seed and (later) association paths: validation, uniqueness, the
// unique indexes, history, search-index versions, and undo for all-or-nothing batches.
#include "tests/emulator/call.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace hubsync::emulator {

// Why one input of a write was refused (hubspot-api.md §2.7): the whole answer of an all-or-nothing request, or
// one entry of a 207's "errors" when the inputs carry objectWriteTraceIds.
struct input_failure {
    int status = 400;
    std::string category = "VALIDATION_ERROR";
    std::string message;
    ojson errors;                       // property details; null when none
    ojson context = ojson::object();    // e.g. {"objectWriteTraceId":["t1"]}
};

// Restores the state as it was before an all-or-nothing batch whose later input failed. Cheap on the success
// path: an update saves the old values of the properties it changes and the history's length, not the record.
class undo_log {
public:
    explicit undo_log(portal_state& st) : st_(st), first_id_(st.peek_record_id()) {}
    void created(object_type& t, std::uint64_t id);
    void rollback();
    // The batch succeeded: trims the histories the writes grew (deferred so rollback can shorten them).
    void commit();

private:
    friend bool update_converted(call&, object_type&, record&, property_map&&, undo_log*, input_failure&,
                                 std::span<history_entry>);
    // A property an update set, with its value before (none: it was not set). The name is the type's own
    // (a property_def's, or modified_property), which outlives the batch: no copy.
    struct saved_property {
        const std::string* name;
        std::optional<std::string> before;
    };
    struct entry {
        object_type* type;
        std::uint64_t id;
        bool created;
        std::int64_t updated_ms = 0;
        std::size_t history_size = 0;              // the record's history list before the update
        std::size_t saved_from = 0, saved_to = 0;  // the update's properties in saved_
        std::vector<record::version> versions;
    };
    // Opens the entry of an update of `r`; update_converted appends to saved_ as it writes (old values are moved,
    // not copied) and closes the range.
    entry& updating(object_type& t, const record& r);

    portal_state& st_;
    std::uint64_t first_id_;
    std::vector<entry> entries_;
    std::vector<saved_property> saved_;  // one flat list for the whole batch: no allocation per record
    // Records whose history an update took to its trimming size, which commit trims (deferred so that rollback can
    // shorten the lists first). Only those: touching every written record again would cost a cache miss each.
    std::vector<std::pair<const object_type*, record*>> to_trim_;
};

// The "properties" of a write body or batch input (an empty object when absent).
const nlohmann::json& properties_of(const nlohmann::json& input);

// A property written as if it were in the "properties" object, replacing one of the same name there (an upsert's
// idProperty and id), without copying that object to add it.
struct extra_property {
    const std::string& name;
    const nlohmann::json& value;
};

// Checks a write's "properties" object against `t` and converts the values into `out` ("" = clear). API writes
// may not set read-only or calculated properties; seeding may. Returns the errors, empty when valid. With `extra`,
// a `props` that is not an object counts as an empty one.
// `checkbox`, when given, is set when a multi-checkbox property is written: its value may depend on `current`.
std::vector<property_error> convert_properties(const type_definition& t, const nlohmann::json& props,
                                               const record* current, bool seeding, property_map& out,
                                               const extra_property* extra = nullptr, bool* checkbox = nullptr);

// The refusal of a write whose values convert_properties rejected (400 "Property values were not valid: …").
input_failure validation_failure(const call& c, const std::vector<property_error>& errors);

// Finds a type's properties by name for the inputs of one batch, which mostly name the same properties in the
// same order: each position in an input remembers its last answer, so a repeat costs a string comparison rather
// than a hash look-up.
class property_finder {
public:
    explicit property_finder(const type_definition& t) : t_(t) {}
    const type_definition& type() const { return t_; }
    void next_input() { at_ = 0; }
    const property_def* find(const std::string& name);

private:
    const type_definition& t_;
    std::vector<const property_def*> seen_;  // by position
    std::size_t at_ = 0;
};

// convert_properties of an object with these members, sorted by name and without repeats, values as
// scalar_to_string prints them (read_batch_inputs), for a new record and an API write. The values are taken.
// `history`, when given, receives each converted value's history entry, in `out`'s order (see create_converted).
std::vector<property_error> convert_property_list(property_finder& properties,
                                                  std::vector<std::pair<std::string, std::string>>& props,
                                                  property_map& out, bool* checkbox = nullptr,
                                                  std::vector<history_entry>* history = nullptr);
// One member's step of convert_property_list: converts `value` into `out` or adds its error to `errors`.
void convert_property_value(const type_definition& t, const std::string& name, std::string value, property_map& out,
                            std::vector<property_error>& errors, bool* checkbox = nullptr,
                            std::vector<history_entry>* history = nullptr);

// Creates a record; on refusal returns null, fills `why` and writes nothing. Seeding skips the read-only and
// required-property checks and makes the record visible to search at once.
record* create_record(call& c, object_type& t, const nlohmann::json& props, undo_log* undo, input_failure& why,
                      bool seeding = false, const extra_property* extra = nullptr);
// A unique property's value that the caller has just looked up and found free (an upsert that creates), so the
// conflict check need not look it up again.
struct free_unique_value {
    const std::string* property = nullptr;
    const std::string* value = nullptr;
};

// create_record after a successful convert_properties (done without the lock: batch_prep): `values` are taken.
// `history`, when not empty, holds the values' history entries (copies made outside the lock, in any order; their
// timestamps are set here), which are taken too.
record* create_converted(call& c, object_type& t, property_map&& values, undo_log* undo, input_failure& why,
                         bool seeding = false, std::span<history_entry> history = {}, free_unique_value known = {});
// Applies `props` to `r`; on refusal returns false, fills `why` and writes nothing.
bool update_record(call& c, object_type& t, record& r, const nlohmann::json& props, undo_log* undo,
                   input_failure& why);
// update_record after a successful convert_properties; `values` are taken, and so is `history`, which when not
// empty holds one entry per value, in `values`' order (as create_converted).
bool update_converted(call& c, object_type& t, record& r, property_map&& values, undo_log* undo, input_failure& why,
                      std::span<history_entry> history = {});
// Moves `r` to the recycle bin: hidden from reads and search, its unique values freed.
void archive_record(call& c, object_type& t, record& r);

// True when `name` may address records (idProperty): a property with hasUniqueValue.
bool usable_id_property(const type_definition& t, const std::string& name);
// 400 "Unable to perform update/upsert by non-unique 0-2 property x in portal ID N".
hs_error non_unique_id_property(const call& c, const object_type& t, const std::string& name);
// The record `id` names: a record id, or the value of `id_property` (empty or hs_object_id: record id). Only
// live records, or only archived ones when `archived`. Throws 400 for a non-unique `id_property`.
record* find_record_by(call& c, object_type& t, const std::string& id, const std::string& id_property,
                       bool archived = false);

// Sorted, de-duplicated property names for record_json (unknown names are kept: they are simply never set).
std::vector<std::string> prepare_names(std::vector<std::string> names);
// SimplePublicObject. `names` null: every set property; otherwise those (plus hs_object_id and the create/modify
// dates, which HubSpot always returns). `history`: propertiesWithHistory names.
// `view`: the properties to show instead of r.properties (search shows the indexed version).
ojson record_json(const object_type& t, const record& r, const std::vector<std::string>* names,
                  const std::vector<std::string>* history = nullptr, const property_map* view = nullptr);

// record_json(...).dump() written straight into `out` (same keys, order and escaping) but left open, without the
// closing '}', so a batch can append objectWriteTraceId and "new" before closing it.
void write_record_open(std::string& out, const object_type& t, const record& r, const std::vector<std::string>* names,
                       const std::vector<std::string>* history = nullptr, const property_map* view = nullptr);

hs_error to_error(const call& c, const input_failure& f);
ojson to_item_error(const input_failure& f);

}  // namespace hubsync::emulator
