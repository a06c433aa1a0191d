#pragma once
// Writes converted rows of an object sync to HubSpot and says what became of each: batch calls, the look-ups that
// keep creates from duplicating records (a unique property by batch read, another by search), and what each answer
// means (object_decisions.hpp). Lives on the run's strand.
#include "hubspot/objects_api.hpp"
#include "sync/object_decisions.hpp"
#include "sync/object_mapping.hpp"
#include "sync/run_pipeline.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

namespace hubsync::sync {

struct writer_settings {
    // A create whose answer was lost is looked for by search before it is sent again; search lags behind writes,
    // so until this long after the create "not found" is not believed (hubspot-api.md §2.4).
    std::chrono::seconds search_settle{60};
    // Batches in a row that HubSpot would not take (5xx, resets, after the client's retries) before the run stops.
    int unavailable_batches = 3;
};

class object_writer {
public:
    object_writer(const object_mapping& m, hubspot::objects_api objects, writer_settings s);

    // Throws core::error (or what the client threw) for a failure of the whole run.
    net::awaitable<std::vector<row_outcome>> write(write_op op, std::vector<outgoing> rows, send_context& ctx);

private:
    using outcomes = std::vector<row_outcome>;

    net::awaitable<void> send(write_op op, std::vector<outgoing> rows, send_context& ctx, outcomes& out);
    net::awaitable<void> create_unique(std::vector<outgoing> rows, send_context& ctx, outcomes& out);
    net::awaitable<void> by_search(std::vector<outgoing> rows, send_context& ctx, outcomes& out);
    net::awaitable<void> search_then_write(std::vector<outgoing> rows, send_context& ctx, outcomes& out);
    net::awaitable<void> journal_and_create(std::vector<outgoing> rows, send_context& ctx, outcomes& out);
    net::awaitable<void> follow_ups(write_op op, std::vector<std::pair<outgoing, input_verdict>> conflicts,
                                    std::vector<outgoing> gone, send_context& ctx, outcomes& out);
    net::awaitable<std::map<std::string, std::string>> existing_by_property(const std::vector<outgoing>& rows,
                                                                           send_context& ctx);
    net::awaitable<hubspot::batch_result> call(write_op op, std::vector<outgoing>& rows,
                                               std::vector<sent_input>& sent);

    void written(const outgoing& o, write_op op, const std::optional<std::string>& id, outcomes& out);
    void exists(const outgoing& o, const std::string& id, outcomes& out);
    // Insert mode found `id` holding the row's match value.
    void insert_found(const outgoing& o, const std::string& id, outcomes& out);
    void unavailable(std::vector<outgoing>& rows, write_op op, const std::string& why, bool maybe_applied,
                     outcomes& out);
    void remember_created(const std::string& key, const std::string& id);

    const object_mapping& map_;
    hubspot::objects_api objects_;
    writer_settings settings_;
    int unavailable_streak_ = 0;
    // Records this run created, by match key, when the match property is not unique: search would not show them
    // yet, and a second row with the same value must not create another. Bounded, so memory stays flat.
    std::unordered_map<std::string, std::string> created_;
    bool searching_ = false;                         // a search batch holds the turn (see by_search)
    std::unique_ptr<net::steady_timer> search_turn_; // made on first use, on the run's strand
};

}  // namespace hubsync::sync
