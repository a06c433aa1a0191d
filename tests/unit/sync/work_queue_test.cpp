// The hand-over between the planner thread and the senders, and cancellation's wake-up: signalled, never polled.
#include "sync/run_tracker.hpp"
#include "sync/work_queue.hpp"
#include "tests/support/run_sync.hpp"

#include <catch2/catch.hpp>

#include <stdexcept>
#include <thread>

using namespace hubsync;

namespace {
net::awaitable<std::vector<int>>
drain(std::shared_ptr<sync::work_queue<int>> q)
{
    std::vector<int> out;
    while (auto item = co_await q->pop()) out.push_back(*item);
    co_return out;
}

net::awaitable<bool>
pop_is_empty(std::shared_ptr<sync::work_queue<int>> q)
{
    auto item = co_await q->pop();
    co_return !item.has_value();
}
}  // namespace

TEST_CASE("work queue: a producer thread's items reach a waiting consumer in order, then the end", "[sync][queue]")
{
    net::io_context ioc;
    auto strand = net::make_strand(ioc);
    auto q = std::make_shared<sync::work_queue<int>>(strand, 2);
    // A capacity of 2 makes the producer wait for the consumer many times over.
    std::thread producer([q] {
        for (int i = 0; i < 500; ++i) REQUIRE(q->push(i));
        q->finish();
    });
    auto got = test::run_on(ioc, net::co_spawn(strand, drain(q), net::use_awaitable));
    producer.join();
    REQUIRE(got.size() == 500);
    CHECK(got.front() == 0);
    CHECK(got.back() == 499);
}

TEST_CASE("work queue: the producer's error comes after its items", "[sync][queue]")
{
    net::io_context ioc;
    auto strand = net::make_strand(ioc);
    auto q = std::make_shared<sync::work_queue<int>>(strand, 4);
    q->push(1);
    q->finish(std::make_exception_ptr(std::runtime_error("warehouse gone")));
    CHECK_THROWS_WITH(test::run_on(ioc, net::co_spawn(strand, drain(q), net::use_awaitable)), "warehouse gone");
}

TEST_CASE("work queue: interrupt() ends a waiting pop at once, and abandon() frees a blocked producer",
          "[sync][queue]")
{
    net::io_context ioc;
    auto strand = net::make_strand(ioc);
    auto q = std::make_shared<sync::work_queue<int>>(strand, 1);
    // Cancellation through the tracker: the callback the pipeline registers interrupts the queue.
    auto tracker = std::make_shared<sync::run_tracker>();
    tracker->on_cancel([q] { q->interrupt(); });
    std::thread canceller([tracker] {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        tracker->cancel();
    });
    // Nothing is ever pushed: only the interrupt can end this wait (no time-out exists to end it instead).
    CHECK(test::run_on(ioc, net::co_spawn(strand, pop_is_empty(q), net::use_awaitable)));
    canceller.join();
    CHECK(tracker->cancelled());

    REQUIRE(q->push(1));
    std::thread producer([q] { CHECK_FALSE(q->push(2)); });  // full: blocks until abandoned
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    q->abandon();
    producer.join();
}

TEST_CASE("run tracker: a cancel callback registered late runs at once; invalid rows count as failed", "[sync][tracker]")
{
    sync::run_tracker t;
    t.cancel();
    int woken = 0;
    t.on_cancel([&woken] { ++woken; });
    CHECK(woken == 1);
    t.invalid(3);
    CHECK(t.failed_rows() == 3);
    CHECK(t.snapshot().failed["invalid"] == 3);
}
