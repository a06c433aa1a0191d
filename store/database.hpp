#pragma once
#include "core/error.hpp"
#include "core/run_blocking.hpp"

#include <pqxx/pqxx>

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

namespace hubsync::store {

// The state database: a thread pool for blocking libpqxx work with one connection per thread, borrowed for the
// length of one call. Coroutines await `run`, so no handler ever blocks the I/O threads.
class database {
public:
    // Does not connect; `check()` or the first call does. `threads` >= 1.
    database(std::string url, std::size_t threads);
    ~database();
    database(const database&) = delete;
    database& operator=(const database&) = delete;

    // Runs `f(pqxx::connection&)` on the pool. A lost connection is dropped (the next call reconnects) and
    // surfaces as core::error{unavailable}; other exceptions propagate unchanged.
    template <class F>
    net::awaitable<std::invoke_result_t<F&, pqxx::connection&>> run(F f)
    {
        auto call = [this, f = std::move(f)]() mutable { return with_connection(f); };
        co_return co_await core::run_blocking(pool_, std::move(call));
    }

    // The same on the calling thread; for start-up and tests.
    template <class F>
    std::invoke_result_t<F&, pqxx::connection&> run_here(F f)
    {
        return with_connection(f);
    }

    // Connects once and throws core::error{unavailable} with libpq's reason when it cannot.
    void check();
    // For a long-lived connection of its own (a run's planner reads row state for minutes; it must not hold a
    // pooled one). Contains the password: never log it.
    const std::string& url() const noexcept { return url_; }
    void stop();

private:
    template <class F>
    std::invoke_result_t<F&, pqxx::connection&> with_connection(F& f)
    {
        auto conn = acquire();
        try {
            if constexpr (std::is_void_v<std::invoke_result_t<F&, pqxx::connection&>>) {
                f(*conn);
                release(std::move(conn));
            } else {
                auto r = f(*conn);
                release(std::move(conn));
                return r;
            }
        } catch (const pqxx::broken_connection& e) {
            throw core::error(core::errc::unavailable, "the state database is unavailable");
        } catch (...) {
            // A failed statement leaves the connection usable (the transaction object rolled back).
            if (conn && conn->is_open()) release(std::move(conn));
            throw;
        }
    }

    std::unique_ptr<pqxx::connection> acquire();
    void release(std::unique_ptr<pqxx::connection> conn);

    std::string url_;
    net::thread_pool pool_;
    std::mutex mutex_;
    std::vector<std::unique_ptr<pqxx::connection>> idle_;
};

// libpq's message without the trailing newline, with any copy of `url` (libpq quotes a malformed one back)
// replaced by its redacted form.
std::string describe_connect_failure(const std::exception& e, const std::string& url);

}  // namespace hubsync::store
