#pragma once
#include "core/net.hpp"

#include <boost/asio/ssl.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace hubsync::hubspot {

namespace ssl = boost::asio::ssl;

// Where a portal's API lives: https://api.hubapi.com by default, the emulator's http://127.0.0.1:PORT in tests.
struct base_url {
    bool tls = true;
    std::string host;
    std::string port;       // "443" / "80" unless given
    std::string path;       // prefix without a trailing slash, usually empty
};
// Throws std::invalid_argument naming the problem.
base_url parse_base_url(const std::string& url);

struct http_request {
    http::verb method = http::verb::get;
    std::string target;                                  // path and query, below base_url::path
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;
};

struct http_response {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;         // names in lower case
    std::string header(const std::string& lower_name) const
    {
        auto it = headers.find(lower_name);
        return it == headers.end() ? std::string{} : it->second;
    }
};

struct transport_settings {
    std::chrono::milliseconds connect_timeout{10'000};  // TCP connect + TLS handshake
    std::chrono::milliseconds request_timeout{60'000};  // write the request and read the whole answer
    std::chrono::milliseconds idle_timeout{30'000};     // idle keep-alive connections older than this are closed
    std::size_t max_connections = 16;                   // per host; callers beyond it wait for a free one
    std::size_t max_response_bytes = 64 * 1024 * 1024;
};

// Keep-alive connections to one host, one request in flight per connection. Not thread-safe: every call must
// come from the same strand (the portal client's). Transport failures throw hubspot::transport_error.
class connection_pool {
public:
    connection_pool(net::any_io_executor strand, base_url where, transport_settings settings,
                    std::shared_ptr<ssl::context> tls);
    ~connection_pool();

    // `idempotent`: a request the server may safely receive twice. Only those are re-sent when a reused
    // connection turns out closed after the request was written.
    net::awaitable<http_response> send(http_request request, bool idempotent);


private:
    struct connection;
    net::awaitable<std::unique_ptr<connection>> checkout();
    net::awaitable<std::unique_ptr<connection>> open_connection();
    void checkin(std::unique_ptr<connection> c);
    void discard(std::unique_ptr<connection> c);

    net::any_io_executor strand_;
    base_url where_;
    transport_settings settings_;
    std::shared_ptr<ssl::context> tls_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::size_t open_ = 0;
    net::steady_timer slot_freed_;   // a condition variable: waiters park on it, checkin/discard wake one
};

// A TLS context that verifies peers against the system store (or `ca_file` when given, for tests).
std::shared_ptr<ssl::context> make_tls_context(const std::string& ca_file = {});

}  // namespace hubsync::hubspot
