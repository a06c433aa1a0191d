#pragma once
// The object job's decisions, as pure functions tested without I/O (tests/unit/sync/object_decisions_test.cpp):
// how a planned row reaches HubSpot, and what HubSpot's answer to a batch means for each of its inputs.
#include "hubspot/api_error.hpp"
#include "hubspot/objects_api.hpp"
#include "sync/planner.hpp"
#include "sync/sync_config.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubsync::sync {

// How one row reaches HubSpot.
enum class write_op {
    upsert_by_property,  // batch/upsert with idProperty: create or update in one idempotent call
    update_by_id,        // batch/update by record id (known from row state, or the match column is the id)
    update_by_property,  // batch/update with idProperty (update mode, unique match property)
    create,              // batch/create (insert mode with a unique property: existing records are looked up first)
    search,              // the match property is not unique: find the record by search, then update or create
    baseline,            // reset_baseline: adopt the row as synced without sending it
    keep_inserted,       // insert mode's changed row: adopted as synced, by design never sent
    forget,              // the row left the model: its row state goes, HubSpot's record stays
};

// What choose_write() needs to know of the sync.
struct match_shape {
    write_mode mode = write_mode::upsert;
    bool by_id = false;       // the match column holds record ids
    bool unique = false;      // the match property can be an idProperty
};

write_op choose_write(const match_shape& m, const planned_row& r, bool reset_baseline);

// A match value as HubSpot compares it: it lower-cases emails, and search's IN wants lower-case strings, so
// every comparison of match values is ASCII case-insensitive.
std::string match_key(std::string value);

// One input of a batch as it was sent. The views point into the caller's rows, which outlive the answer's reading.
struct sent_input {
    std::string trace_id;           // objectWriteTraceId
    std::string_view address;       // update/upsert: the id or idProperty value; create: empty
    std::string_view match_value;   // the match property's value, when the input wrote it (empty: none)
};

// What one input came to.
struct input_verdict {
    enum class kind {
        written,      // acknowledged, with the record id
        not_found,    // no record at that address (update), or it was deleted
        conflict,     // another record holds a unique value; `existing_id` when HubSpot named it
        refused,      // HubSpot refused the input's values
        unconfirmed,  // the answer does not say: never counted as written
    };
    kind what = kind::unconfirmed;
    std::optional<std::string> id;           // written: the record id
    std::optional<std::string> existing_id;  // conflict: the record holding the value
    std::string category;
    std::string message;
};

// Reads a 200/201/207 answer. An input is written only when a result names it: by its echoed trace id, else by its
// address (update_by_id: the record id; by property: the match value), else, for creates, by its match value.
// An error names inputs by trace id or by the ids in its context; an error that names none, and a result set that
// does not cover every input, leave the inputs they do not name unconfirmed. One result per input and no error
// covers them all, paired or not (except for creates, whose ids matter); one input and one result left over pair.
std::vector<input_verdict> read_batch_answer(write_op op, const std::vector<sent_input>& inputs,
                                             const hubspot::batch_result& answer, const std::string& match_property);

// A problem that is the sync's, not the row's: a mapped property deleted in HubSpot or made read-only since the
// sync was saved. Every row would fail the same way, so the run fails once, naming the property.
std::optional<std::string> sync_level_problem(const hubspot::input_error& e);
std::optional<std::string> sync_level_problem(const hubspot::error_info& e);

// A unique value held by another record, in either of HubSpot's shapes (hubspot-api.md §2.7, §9 point 4):
// 409 CONFLICT "… already exists. Existing ID: N", or 400 "…already has that value <property>" (UNCONFIRMED).
struct conflict_info {
    std::optional<std::string> existing_id;
    std::string property;     // the 400 shape names it; empty otherwise
};
std::optional<conflict_info> as_conflict(int status, const std::string& category, const std::string& message);

// What to do with a whole-request refusal (a 4xx or 5xx thrown for the batch, not a 207).
struct refusal_plan {
    enum class kind {
        fail_run,     // the sync's problem (see sync_level_problem) or the token's: the run fails with `message`
        narrow,       // about some input we cannot tell: split the batch and send the halves
        per_row,      // one input: this is its verdict
        unconfirmed,  // the request may have been applied (5xx on a create): look before sending it again
        unavailable,  // HubSpot did not apply it and is not answering: these rows fail, the next run retries
    };
    kind what = kind::fail_run;
    std::string message;
    input_verdict verdict;    // per_row
};
refusal_plan plan_refusal(write_op op, std::size_t inputs, const hubspot::error_info& e);

}  // namespace hubsync::sync
