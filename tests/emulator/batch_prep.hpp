#pragma once
// The part of a batch write that needs no shared state, done before the state lock is taken (emulator.cpp): the
// inputs' trace ids, ids and lookup keys, the duplicate check, and the conversion of every value against a
// schema_snapshot. Under the lock the handler uses it only while the state's schema version is still the
// snapshot's, so a property or schema created meanwhile makes the batch convert again under the lock: it then
// behaves as if it ran entirely after that change, and otherwise entirely before it.
//
// Nothing here is an answer: a prepare function that meets anything the handler would refuse (a bad shape, a
// non-unique idProperty, duplicate ids, …) returns null and the handler finds it again under the lock, in its own
// order, after authentication, rate limits and scopes.
#include "api/http_types.hpp"
#include "tests/emulator/hubspot_errors.hpp"
#include "tests/emulator/state.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <span>
#include <string>
#include <vector>

namespace hubsync::emulator {

struct prepared_input {
    std::string trace;        // objectWriteTraceId; empty when none
    std::string id;           // update/upsert: the input's id as a string
    std::string id_property;  // update: as sent; upsert: hs_object_id when absent
    std::string key;          // upsert: the unique index key of `id`
    // convert_properties of the input's properties (without an upsert's id property), with no current record
    property_map values;
    std::vector<property_error> errors;
    // upsert creates: the id property converted alone, to be merged into `values`/`errors`
    property_map id_values;
    std::vector<property_error> id_errors;
    // The history entries of `values` (in their order), then of `id_values`, in batch_prep::history.
    std::size_t history_at = 0, history_size = 0, id_history_size = 0;
    // The conversion depends on the record's current values (multi-checkbox appends), or the id property is
    // also among the properties: convert under the lock as before.
    bool convert_under_lock = false;
};

struct batch_prep {
    std::shared_ptr<const schema_snapshot> schema;
    std::vector<prepared_input> inputs;
    // The history entries of every input's converted values: the copies of the values a write keeps, made before
    // the lock, in one list for the batch (prepared_input::history_at).
    std::vector<history_entry> history;
    bool partial = false;  // every input has a distinct objectWriteTraceId (207 mode)
    // Read from the body's text (read_batch_inputs), which was then not parsed: the handler, when it may use this
    // prep, touches no JSON; when the schema changed meanwhile it parses the body under the lock.
    bool from_text = false;
};

// The history entries of `in`'s values (with the id property's entry after them when `with_id`).
inline std::span<history_entry>
prepared_history(batch_prep& prep, const prepared_input& in, bool with_id = false)
{
    return std::span(prep.history).subspan(in.history_at, in.history_size + (with_id ? in.id_history_size : 0));
}

// `body` null: read the request's text, without parsing it (null when it is not of the usual shape); otherwise
// the parsed body.
using prepare_fn = std::unique_ptr<batch_prep> (*)(const api::request& req, const nlohmann::json* body,
                                                   std::shared_ptr<const schema_snapshot> schema);

// batch.cpp
std::unique_ptr<batch_prep> prepare_batch_create(const api::request& req, const nlohmann::json* body,
                                                 std::shared_ptr<const schema_snapshot> schema);
std::unique_ptr<batch_prep> prepare_batch_update(const api::request& req, const nlohmann::json* body,
                                                 std::shared_ptr<const schema_snapshot> schema);
std::unique_ptr<batch_prep> prepare_batch_upsert(const api::request& req, const nlohmann::json* body,
                                                 std::shared_ptr<const schema_snapshot> schema);

}  // namespace hubsync::emulator
