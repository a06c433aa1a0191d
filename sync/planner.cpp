#include "sync/planner.hpp"

#include <xxhash.h>

namespace hubsync::sync {

std::int64_t
row_hash(std::uint64_t seed, const std::vector<std::optional<std::string>>& values)
{
    // Length-prefixed, with NULL distinct from "", so no two value lists hash the same input. One buffer per thread:
    // the planner hashes every model row.
    thread_local std::string buffer;
    buffer.clear();
    for (const auto& v : values) {
        buffer.push_back(v ? '\1' : '\0');
        if (!v) continue;
        std::uint64_t n = v->size();
        buffer.append(reinterpret_cast<const char*>(&n), sizeof n);
        buffer.append(*v);
    }
    return static_cast<std::int64_t>(XXH3_64bits_withSeed(buffer.data(), buffer.size(), seed));
}

std::uint64_t
config_seed(const nlohmann::json& config)
{
    auto text = config.dump();
    return XXH3_64bits(text.data(), text.size());
}

namespace {
std::string
describe_values(const std::vector<std::optional<std::string>>& values)
{
    std::string out;
    for (const auto& v : values) {
        if (out.size() > 120) {
            out += ", …";
            break;
        }
        out += (out.empty() ? "" : ", ") + (v ? *v : std::string("NULL"));
    }
    return out;
}

class merger {
public:
    merger(model_stream& m, state_stream& s, const plan_options& o, plan_sink& sink)
        : model_(m), state_(s), options_(o), sink_(sink)
    {
        advance_state();
        have_row_ = model_.next(row_);
    }

    plan_counts run()
    {
        while (have_row_) {
            if (!row_.pk) {
                ++counts_.invalid;
                sink_.problem({std::nullopt, "the primary key is NULL (mapped values: " + describe_values(row_.values) +
                                                 "); the row was not sent"});
                have_row_ = model_.next(row_);
                continue;
            }
            // Everything in row state before this key has left the model.
            while (have_state_ && entry_.pk < *row_.pk) removed();
            // Swapped, not moved: the two rows' strings go back to the stream to be filled again, so an unchanged
            // row (most of a re-run) costs no allocation.
            std::swap(current_, row_);
            have_row_ = model_.next(row_);
            if (have_row_ && row_.pk && *row_.pk == *current_.pk) {
                duplicates();
                continue;
            }
            const store::row_state_entry* known = have_state_ && entry_.pk == *current_.pk ? &entry_ : nullptr;
            classify(known);
            if (known) advance_state();
        }
        while (have_state_) removed();
        return counts_;
    }

private:
    void advance_state() { have_state_ = state_.next(entry_); }

    void removed()
    {
        ++counts_.removed;
        planned_row r;
        r.kind = change::removed;
        r.pk = entry_.pk;
        r.hubspot_id = entry_.hubspot_id;
        sink_.row(std::move(r));
        advance_state();
    }

    void duplicates()
    {
        std::string pk = *current_.pk;
        std::int64_t n = 1;
        while (have_row_ && row_.pk && *row_.pk == pk) {
            ++n;
            have_row_ = model_.next(row_);
        }
        counts_.invalid += n;
        sink_.problem({pk, "the primary key '" + pk + "' appears in " + std::to_string(n) +
                               " rows of the model; none of them was sent",
                    n});
        // The key's row state stays as it is: the row is neither changed nor gone.
        while (have_state_ && entry_.pk <= pk) {
            if (entry_.pk < pk) {
                removed();
                continue;
            }
            advance_state();
        }
    }

    void classify(const store::row_state_entry* known)
    {
        auto hash = row_hash(options_.seed, current_.values);
        change kind;
        bool acknowledged = known && known->hash.has_value();
        if (!acknowledged && !(known && known->hubspot_id)) {
            kind = change::added;
            ++counts_.added;
        } else if (options_.full_resync || known->status != "synced" || !known->hash || *known->hash != hash) {
            kind = change::changed;
            ++counts_.changed;
        } else {
            ++counts_.unchanged;
            return;
        }
        planned_row r;
        r.kind = kind;
        r.pk = *current_.pk;
        r.hash = hash;
        r.values = std::move(current_.values);
        if (known) {
            r.hubspot_id = known->hubspot_id;
            r.pending = known->status == "pending";
            r.pending_seconds = known->pending_seconds.value_or(0);
        }
        sink_.row(std::move(r));
    }

    model_stream& model_;
    state_stream& state_;
    const plan_options& options_;
    plan_sink& sink_;
    model_row row_;
    model_row current_;
    bool have_row_ = false;
    store::row_state_entry entry_;
    bool have_state_ = false;
    plan_counts counts_;
};
}  // namespace

plan_counts
plan(model_stream& model, state_stream& state, const plan_options& options, plan_sink& sink)
{
    return merger(model, state, options, sink).run();
}

}  // namespace hubsync::sync
