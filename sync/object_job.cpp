#include "sync/object_job.hpp"

#include "hubspot/objects_api.hpp"

namespace hubsync::sync {

namespace {
constexpr std::size_t removal_chunk = 1000;

class object_job final : public run_job {
public:
    object_job(const object_job_inputs& in, object_mapping m)
        : in_(in), map_(std::move(m)), shape_(map_.shape()),
          writer_(map_, hubspot::objects_api(*in.destination.client, in.destination.paths), in.writer)
    {
    }

    std::vector<connectors::postgres::column> columns() const override { return map_.columns; }
    std::uint64_t hash_seed() const override { return in_.config_seed; }
    int batch_key(const planned_row& r) const override
    {
        return static_cast<int>(choose_write(shape_, r, in_.options.reset_baseline));
    }
    std::size_t batch_limit(int key) const override
    {
        return static_cast<write_op>(key) == write_op::forget ? removal_chunk : hubspot::max_batch_inputs;
    }

    net::awaitable<std::vector<row_outcome>> send(work_batch batch, send_context& ctx) override
    {
        const auto op = static_cast<write_op>(batch.key);
        std::vector<row_outcome> out;
        if (without_sending(op, batch, out)) co_return out;
        std::vector<outgoing> ready;
        convert(batch, ready, out);
        auto written = co_await writer_.write(op, std::move(ready), ctx);
        for (auto& o : written) out.push_back(std::move(o));
        co_return out;
    }

    batch_preview preview(const work_batch& batch) override
    {
        const auto op = static_cast<write_op>(batch.key);
        batch_preview p;
        if (op == write_op::forget || op == write_op::baseline || op == write_op::keep_inserted) return p;
        work_batch copy = batch;
        std::vector<outgoing> ready;
        std::vector<row_outcome> refused;
        convert(copy, ready, refused);
        if (ready.empty()) return p;
        // The look-up first (search or batch read), then the write.
        p.api_calls = op == write_op::search || op == write_op::create ? 2 : 1;
        for (const auto& o : ready)
            p.sample.push_back({{"primary_key", o.row.pk},
                                {"change", o.row.kind == change::added ? "added" : "changed"},
                                {"properties", o.properties}});
        return p;
    }

private:
    // Batches that need no call: rows gone from the model, adopted baselines and insert mode's changed rows.
    bool without_sending(write_op op, const work_batch& batch, std::vector<row_outcome>& out) const
    {
        switch (op) {
        case write_op::forget:
            // Object syncs leave HubSpot's records alone; the row state of rows gone from the model goes.
            for (const auto& r : batch.rows) {
                row_outcome o;
                o.pk = r.pk;
                o.kind = change::removed;
                o.forget = true;
                out.push_back(std::move(o));
            }
            return true;
        case write_op::baseline:
            for (const auto& r : batch.rows) out.push_back(row_outcome::synced(r, std::nullopt));
            return true;
        case write_op::keep_inserted:
            for (const auto& r : batch.rows) {
                auto o = row_outcome::synced(r, std::nullopt);
                o.result = row_outcome::verdict::silent;  // not sent, by design
                out.push_back(std::move(o));
            }
            return true;
        default: return false;
        }
    }

    void convert(work_batch& batch, std::vector<outgoing>& ready, std::vector<row_outcome>& out) const
    {
        ready.reserve(batch.rows.size());
        for (auto& r : batch.rows) {
            outgoing o;
            o.row = std::move(r);
            if (auto problem = convert_row(map_, o)) out.push_back(row_outcome::failed(o.row, "invalid_value", *problem));
            else ready.push_back(std::move(o));
        }
    }

    const object_job_inputs& in_;
    const object_mapping map_;
    const match_shape shape_;
    object_writer writer_;
};
}  // namespace

net::awaitable<void>
run_object_job(job_env env, object_job_inputs in, std::shared_ptr<run_tracker> tracker)
{
    object_job job(in, resolve_object_mapping(in.config, *in.schema, in.model.columns));
    co_await run_pipeline(env, in.source, in.sync_id, in.options, job, std::move(tracker));
}

}  // namespace hubsync::sync
