#pragma once
// One run's pipeline, shared by every job type (DESIGN §1 "Concurrency"):
//
//   planner thread ──bounded queue──► senders on the run's strand ──► row-state commit ──► counts
//   (model ⋈ row state, batching)     (up to max_in_flight batches;    (per batch)          (only after the
//                                       the portal's limiter paces)                          commit)
//
// A job plugs in by saying which model columns a row needs and how they are hashed, which batch a planned row joins,
// how a batch is sent and what each answer means for each row. The pipeline owns the rest: cancellation (which
// also follows a lost lease, through the tracker), live progress, dry runs, and the rule that a row counts as
// succeeded only once its row state is committed. Every wait is signalled (a timer parked at the end of time and
// cancelled to wake it), never polled.
#include "connectors/postgres/warehouse.hpp"
#include "core/net.hpp"
#include "store/database.hpp"
#include "store/row_state.hpp"
#include "sync/planner.hpp"
#include "sync/run_tracker.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::sync {

struct run_options {
    bool full_resync = false;     // send every row, whatever its baseline
    bool reset_baseline = false;  // adopt the current rows as synced without sending anything
    bool dry_run = false;         // plan and report; write nothing to HubSpot or row state
};

struct job_env {
    store::database& db;
    net::thread_pool& warehouse_pool;
    net::any_io_executor strand;  // the run's coroutines
    int max_in_flight = 4;        // batches awaiting HubSpot at once; the portal's limiter paces them
};

// Where the model comes from.
struct model_source {
    std::string url;
    std::string sql;
    std::string primary_key;
    connectors::postgres::query_limits limits;
};

// Rows that travel together to one kind of call.
struct work_batch {
    int key = 0;                      // the job's batch kind (what batch_key() said)
    std::vector<planned_row> rows;
};

// What became of one row: how it counts, the error to show, and the row state to write before it counts.
struct row_outcome {
    enum class verdict {
        succeeded,  // counts as succeeded
        failed,     // counts as failed, with `category` and `message` as its row error
        silent,     // counts as neither (insert mode's changed rows: adopted as synced, by design not sent)
    };
    std::string pk;
    change kind = change::added;
    verdict result = verdict::succeeded;
    std::string category;
    std::string message;
    std::optional<store::row_state_update> state;  // written before the row is counted
    bool forget = false;                           // the row state is deleted instead (rows gone from the model)

    static row_outcome synced(const planned_row& r, std::optional<std::string> hubspot_id);
    // Failed, and retried by the next run: the row keeps its old baseline, and its status says "failed".
    static row_outcome failed(const planned_row& r, std::string category, std::string message);
    // Failed for now, with the state a create whose answer was lost needs: "pending", so the next run looks for
    // the record before it creates anything.
    static row_outcome unconfirmed(const planned_row& r, std::string message);
};

// What a dry run shows of one batch.
struct batch_preview {
    int api_calls = 0;
    std::vector<nlohmann::json> sample;   // {"primary_key","change","properties"}
};

// Given to a job while it sends: the run's counters and an early row-state write (a journal entry before a call).
class send_context {
public:
    virtual ~send_context() = default;
    virtual void api_call(std::int64_t n = 1) = 0;
    virtual net::awaitable<void> journal(std::vector<store::row_state_update> updates) = 0;
    virtual bool cancelled() const = 0;
};

// A job type, as the pipeline sees it. The planner-side members run on the planner thread while send() runs on
// the run's strand, so those members must only read state fixed at construction.
class run_job {
public:
    virtual ~run_job() = default;

    // Planner side: the columns the model reader reads (their values, in this order, are what a row hashes), the
    // seed every row hash depends on besides them (the configuration), and which batch a row joins (removed rows
    // included) and how many rows that batch holds at most.
    virtual std::vector<connectors::postgres::column> columns() const = 0;
    virtual std::uint64_t hash_seed() const = 0;
    virtual int batch_key(const planned_row& r) const = 0;
    virtual std::size_t batch_limit(int key) const = 0;

    // On the strand: sends a batch and says what became of every row. Throws for a failure of the whole run (the
    // token was refused, a mapped property is gone); a row it says nothing about counts as failed.
    virtual net::awaitable<std::vector<row_outcome>> send(work_batch batch, send_context& ctx) = 0;
    // Dry run: what send() would do, without any I/O.
    virtual batch_preview preview(const work_batch& batch) = 0;
};

// Runs `job` over the model to the end, cancellation or the first failure of the whole run (rethrown after every
// batch in flight has ended and the planner has stopped).
net::awaitable<void> run_pipeline(job_env env, model_source source, std::int64_t sync_id, run_options options,
                                  run_job& job, std::shared_ptr<run_tracker> tracker);

}  // namespace hubsync::sync
