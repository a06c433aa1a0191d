#pragma once
#include "core/net.hpp"

#include <type_traits>

namespace hubsync::core {

namespace detail {
template <class F>
net::awaitable<std::invoke_result_t<F&>> invoke_in_frame(F f)
{
    co_return f();
}
}  // namespace detail

// Runs blocking work (libpqxx) on `pool` and resumes the caller on its own executor; exceptions propagate.
// Name the callable before the co_await: a lambda temporary with init-captures inside the co_await expression
// double-frees under g++ 12 (GCC PR 107288).
template <class F>
net::awaitable<std::invoke_result_t<F&>> run_blocking(net::thread_pool& pool, F f)
{
    co_return co_await net::co_spawn(pool.get_executor(), detail::invoke_in_frame(std::move(f)), net::use_awaitable);
}

}  // namespace hubsync::core
