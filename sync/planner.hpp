#pragma once
// The diff of a run (DESIGN §2): the model, streamed in primary-key byte order, merge-joined with the sync's row
// state in the same order. Memory stays constant whatever the model's size: one row of each side at a time, plus
// the run of rows sharing a duplicated key.
#include "store/row_state.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::sync {

struct model_row {
    std::optional<std::string> pk;                   // nullopt: SQL NULL
    std::vector<std::optional<std::string>> values;  // the mapped columns, in mapping order
};

enum class change { added, changed, removed };

struct planned_row {
    change kind = change::added;
    std::string pk;
    std::vector<std::optional<std::string>> values;  // empty for removed rows
    std::int64_t hash = 0;                           // of `values`
    std::optional<std::string> hubspot_id;           // the record, when row state knows it
    bool pending = false;                            // a create was sent earlier and its answer never came
    std::int64_t pending_seconds = 0;                // how long ago that create was sent
};

struct row_problem {
    std::optional<std::string> pk;
    std::string message;
    std::int64_t rows = 1;      // model rows the problem covers (every row sharing a duplicated key)
};

class model_stream {
public:
    virtual ~model_stream() = default;
    // The next row in byte order of pk (NULL keys anywhere); false at the end.
    virtual bool next(model_row& out) = 0;
};

class state_stream {
public:
    virtual ~state_stream() = default;
    virtual bool next(store::row_state_entry& out) = 0;
};

class plan_sink {
public:
    virtual ~plan_sink() = default;
    virtual void row(planned_row&& r) = 0;
    virtual void problem(row_problem&& p) = 0;
};

struct plan_options {
    std::uint64_t seed = 0;      // config_seed(): a changed mapping changes every hash
    bool full_resync = false;    // every model row is sent, whatever its baseline
};

struct plan_counts {
    std::int64_t added = 0;
    std::int64_t changed = 0;
    std::int64_t removed = 0;
    std::int64_t unchanged = 0;
    std::int64_t invalid = 0;    // NULL or duplicated primary keys
};

// Added: no baseline (never acknowledged). Changed: the hash differs, or HubSpot refused the row last time.
// Removed: in row state, not in the model. Rows sharing a primary key are all problems, and their row state is
// left alone (neither changed nor removed).
plan_counts plan(model_stream& model, state_stream& state, const plan_options& options, plan_sink& sink);

std::int64_t row_hash(std::uint64_t seed, const std::vector<std::optional<std::string>>& values);
// What every row hash of a sync depends on besides the values: the sync's configuration.
std::uint64_t config_seed(const nlohmann::json& config);

}  // namespace hubsync::sync
