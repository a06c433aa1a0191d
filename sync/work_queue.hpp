#pragma once
// Hands work from a blocking producer thread (the planner, reading the warehouse and the row state) to coroutines
// on one strand (the senders). Bounded: a producer faster than HubSpot waits, so memory stays flat.
#include "core/net.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>

namespace hubsync::sync {

// Always held by a shared_ptr: a posted wake-up keeps it alive.
template <class T>
class work_queue : public std::enable_shared_from_this<work_queue<T>> {
public:
    // `strand`: where pop() is awaited; wake-ups are posted there, so none is lost.
    work_queue(net::any_io_executor strand, std::size_t capacity)
        : strand_(std::move(strand)), capacity_(capacity), ready_(strand_)
    {
    }

    // Producer: waits while the queue is full. False when the consumer abandoned the queue.
    bool push(T item)
    {
        {
            std::unique_lock lock(mutex_);
            not_full_.wait(lock, [this] { return items_.size() < capacity_ || abandoned_; });
            if (abandoned_) return false;
            items_.push_back(std::move(item));
        }
        wake();
        return true;
    }

    // Producer: no more items; `error` (if any) is rethrown by pop() after the last item.
    void finish(std::exception_ptr error = nullptr)
    {
        {
            std::lock_guard lock(mutex_);
            done_ = true;
            error_ = error;
        }
        wake();
    }

    // Consumer: stops a producer blocked in push() (cancellation, a fatal error downstream).
    void abandon()
    {
        {
            std::lock_guard lock(mutex_);
            abandoned_ = true;
            items_.clear();
        }
        not_full_.notify_all();
    }

    // Consumer: pop() returns nullopt from now on, at once if it is waiting (cancellation). Any thread.
    void interrupt()
    {
        {
            std::lock_guard lock(mutex_);
            interrupted_ = true;
        }
        wake();
    }

    // Consumer, on the strand: the next item; nullopt once the producer finished and everything was taken, or
    // after interrupt(). Waits on a timer parked at the end of time that wake() cancels: wake() runs on the same
    // strand, so it can only run while pop() is suspended in that wait, and no wake-up is lost.
    net::awaitable<std::optional<T>> pop()
    {
        for (;;) {
            {
                std::lock_guard lock(mutex_);
                if (interrupted_) co_return std::nullopt;
                if (!items_.empty()) {
                    T item = std::move(items_.front());
                    items_.pop_front();
                    not_full_.notify_one();
                    co_return item;
                }
                if (done_) {
                    if (error_) std::rethrow_exception(error_);
                    co_return std::nullopt;
                }
            }
            ready_.expires_at(net::steady_timer::time_point::max());
            boost::system::error_code ec;
            co_await ready_.async_wait(net::redirect_error(net::use_awaitable, ec));
        }
    }

private:
    void wake()
    {
        net::post(strand_, [self = this->shared_from_this()] { self->ready_.cancel(); });
    }

    net::any_io_executor strand_;
    std::size_t capacity_;
    net::steady_timer ready_;
    std::mutex mutex_;
    std::condition_variable not_full_;
    std::deque<T> items_;
    bool done_ = false;
    bool abandoned_ = false;
    bool interrupted_ = false;
    std::exception_ptr error_;
};

}  // namespace hubsync::sync
