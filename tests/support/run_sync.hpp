#pragma once
// Runs one awaitable to completion on a private io_context and hands back its result (or rethrows its exception),
// so unit tests can call coroutine APIs such as router::dispatch without a server.
#include "core/net.hpp"

#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace hubsync::test {

namespace detail {
// Named coroutine with by-value parameters (CP.53): the awaitable and the output slot outlive the io_context run.
template <class T>
net::awaitable<void>
store_result(net::awaitable<T> op, std::optional<T>* out)
{
    out->emplace(co_await std::move(op));
}
}  // namespace detail

// Runs `op` on `ioc` (which other work may share) until the context runs out of work, and hands back its result.
template <class T>
T
run_on(net::io_context& ioc, net::awaitable<T> op)
{
    std::optional<T> result;
    std::exception_ptr failure;
    auto task = detail::store_result(std::move(op), &result);
    net::co_spawn(ioc, std::move(task), [&failure](std::exception_ptr e) { failure = e; });
    ioc.restart();
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    return std::move(*result);
}

template <class T>
T
run_sync(net::awaitable<T> op)
{
    net::io_context ioc;
    std::exception_ptr failure;
    auto on_done = [&failure](std::exception_ptr e) { failure = e; };
    if constexpr (std::is_void_v<T>) {
        net::co_spawn(ioc, std::move(op), on_done);
        ioc.run();
        if (failure) std::rethrow_exception(failure);
    } else {
        std::optional<T> result;
        auto task = detail::store_result(std::move(op), &result);
        net::co_spawn(ioc, std::move(task), on_done);
        ioc.run();
        if (failure) std::rethrow_exception(failure);
        return std::move(*result);
    }
}

}  // namespace hubsync::test
