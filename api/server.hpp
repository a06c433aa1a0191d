#pragma once
#include "api/router.hpp"
#include "core/net.hpp"

#include <atomic>
#include <chrono>

namespace hubsync::api {

struct server_limits {
    std::size_t body_limit = 1024 * 1024;             // bytes; larger bodies get 413
    std::size_t header_limit = 16 * 1024;             // bytes of request line + headers
    std::chrono::seconds header_timeout{30};          // also the keep-alive idle time between requests
    std::chrono::seconds body_timeout{30};
    std::chrono::seconds write_timeout{30};
};

// The HTTP/1.1 listener: one coroutine per connection on its own strand, keep-alive, read limits and timeouts.
// Requests go to the router; Beast never leaves this file's .cpp.
class server {
public:
    // Binds and listens at once, so "address in use" is a start-up error (throws boost::system::system_error).
    server(net::io_context& ioc, const tcp::endpoint& endpoint, const router& r, server_limits limits);

    void start();
    // Stops accepting; requests in progress complete.
    void stop();

    std::size_t requests_in_flight() const noexcept { return in_flight_; }
    tcp::endpoint local_endpoint() const { return acceptor_.local_endpoint(); }

private:
    net::awaitable<void> accept_loop();
    net::awaitable<void> session(tcp::socket socket);

    net::io_context& ioc_;
    tcp::acceptor acceptor_;
    const router& router_;
    server_limits limits_;
    std::atomic<std::size_t> in_flight_{0};
    std::atomic<std::uint64_t> next_request_id_{1};
};

}  // namespace hubsync::api
