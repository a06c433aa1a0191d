#pragma once
// The planner's two inputs, each read ahead by a thread of its own: fetching and decoding the model and the row
// state then overlap the merge instead of adding to it. A no-change re-run is nothing but planning, and DESIGN §6
// bounds it at 2.5 times a bare COPY of the model (bench/RESULTS.md "Object sync").
#include "connectors/postgres/model_reader.hpp"
#include "sync/planner.hpp"

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace hubsync::sync {

// Runs `fill` on a thread of its own, keeping up to `depth` filled pages ready. Pages are recycled: the consumer's
// spent page is what `fill` gets to fill again, so their strings and vectors are reused.
template <class Page>
class page_pipe {
public:
    // `fill(page)` replaces the page's content with the next page; false when there is no more. `interrupt`, when
    // given, makes a `fill` blocked on I/O return (by throwing) when the pipe is destroyed early.
    explicit page_pipe(std::function<bool(Page&)> fill, std::function<void()> interrupt = {}, std::size_t depth = 2)
        : fill_(std::move(fill)), interrupt_(std::move(interrupt)), depth_(depth), thread_([this] { produce(); })
    {
    }

    ~page_pipe()
    {
        bool running;
        {
            std::lock_guard lock(mutex_);
            stop_ = true;
            running = !done_;
        }
        changed_.notify_all();
        if (running && interrupt_) interrupt_();
        thread_.join();
    }

    page_pipe(const page_pipe&) = delete;
    page_pipe& operator=(const page_pipe&) = delete;

    // Swaps the next page into `page` (whose old content is recycled); false at the end. Rethrows what `fill` threw.
    bool next(Page& page)
    {
        std::unique_lock lock(mutex_);
        changed_.wait(lock, [this] { return !ready_.empty() || done_; });
        if (ready_.empty()) {
            if (error_) std::rethrow_exception(error_);
            return false;
        }
        spare_.push_back(std::move(page));
        page = std::move(ready_.front());
        ready_.pop_front();
        changed_.notify_all();
        return true;
    }

private:
    void produce()
    {
        try {
            for (;;) {
                Page page;
                {
                    std::unique_lock lock(mutex_);
                    changed_.wait(lock, [this] { return ready_.size() < depth_ || stop_; });
                    if (stop_) break;
                    if (!spare_.empty()) {
                        page = std::move(spare_.back());
                        spare_.pop_back();
                    }
                }
                bool more = fill_(page);
                std::lock_guard lock(mutex_);
                if (stop_ || !more) break;
                ready_.push_back(std::move(page));
                changed_.notify_all();
            }
        } catch (...) {
            std::lock_guard lock(mutex_);
            error_ = std::current_exception();
        }
        std::lock_guard lock(mutex_);
        done_ = true;
        changed_.notify_all();
    }

    std::function<bool(Page&)> fill_;
    std::function<void()> interrupt_;
    std::size_t depth_;
    std::mutex mutex_;
    std::condition_variable changed_;
    std::deque<Page> ready_;
    std::vector<Page> spare_;
    bool stop_ = false;
    bool done_ = false;
    std::exception_ptr error_;
    std::thread thread_;  // last: started once everything it uses exists
};

// The model, in chunks decoded by the read-ahead thread. The reader must outlive the stream; cancelling it ends
// the stream with read_cancelled.
class read_ahead_model final : public model_stream {
public:
    explicit read_ahead_model(connectors::postgres::model_reader& r);
    bool next(model_row& out) override;

private:
    std::vector<connectors::postgres::model_row> chunk_;
    std::size_t at_ = 0;
    page_pipe<std::vector<connectors::postgres::model_row>> pipe_;
};

// A sync's row state in pk order, a page at a time, on a connection of its own.
class read_ahead_state final : public state_stream {
public:
    read_ahead_state(std::string url, std::int64_t sync_id);
    bool next(store::row_state_entry& out) override;

private:
    std::vector<store::row_state_entry> page_;
    std::size_t at_ = 0;
    page_pipe<std::vector<store::row_state_entry>> pipe_;
};

}  // namespace hubsync::sync
