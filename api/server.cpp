#include "api/server.hpp"

#include "api/envelope.hpp"
#include "core/log.hpp"

#include <sstream>

namespace hubsync::api {

namespace {
using string_request = http::request<http::string_body>;
using string_response = http::response<http::string_body>;

// `r` by value: callers that are done with the response move it in, so a large body is not copied.
string_response
to_beast(response r, unsigned version, bool keep_alive)
{
    string_response out{static_cast<http::status>(r.status), version};
    out.set(http::field::server, "hubsyncd/" HUBSYNC_VERSION);
    if (!r.body.empty() || r.status != 204) out.set(http::field::content_type, r.content_type);
    for (const auto& [k, v] : r.headers) out.set(k, v);
    out.keep_alive(keep_alive);
    if (r.status != 204) out.body() = std::move(r.body);
    out.prepare_payload();
    return out;
}

response
plain_error(core::errc code, const std::string& message)
{
    return error_response(core::error(code, message));
}

// Ends the connection the way `r` asks: an RST with nothing sent, or half the serialised answer then an RST.
net::awaitable<void>
inject_fault(beast::tcp_stream& stream, const response& r, unsigned version)
{
    boost::system::error_code ec;
    if (r.transport_fault == response::fault::reset_mid_body) {
        auto full = to_beast(r, version, false);
        std::ostringstream text;
        text << full;
        auto bytes = text.str();
        stream.expires_after(std::chrono::seconds(5));
        co_await net::async_write(stream, net::buffer(bytes.data(), bytes.size() - std::max<std::size_t>(1, r.body.size() / 2)),
                                  net::redirect_error(net::use_awaitable, ec));
    }
    // SO_LINGER with a zero timeout makes close() send RST instead of FIN.
    stream.socket().set_option(net::socket_base::linger(true, 0), ec);
    stream.socket().close(ec);
}

// RAII count of requests being handled, which graceful shutdown waits for.
struct in_flight_guard {
    std::atomic<std::size_t>& n;
    explicit in_flight_guard(std::atomic<std::size_t>& c) : n(c) { ++n; }
    ~in_flight_guard() { --n; }
};
}  // namespace

server::server(net::io_context& ioc, const tcp::endpoint& endpoint, const router& r, server_limits limits)
    : ioc_(ioc), acceptor_(net::make_strand(ioc)), router_(r), limits_(limits)
{
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(net::socket_base::max_listen_connections);
}

void
server::start()
{
    net::co_spawn(acceptor_.get_executor(), [this] { return accept_loop(); }, [](std::exception_ptr e) {
        if (!e) return;
        try {
            std::rethrow_exception(e);
        } catch (const std::exception& x) {
            core::logger("api")->error("accept_loop.failed error=\"{}\"", x.what());
        }
    });
}

void
server::stop()
{
    net::post(acceptor_.get_executor(), [this] {
        boost::system::error_code ec;
        acceptor_.close(ec);
    });
}

net::awaitable<void>
server::accept_loop()
{
    for (;;) {
        boost::system::error_code ec;
        tcp::socket socket(net::make_strand(ioc_));
        co_await acceptor_.async_accept(socket, net::redirect_error(net::use_awaitable, ec));
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) co_return;
        if (ec) {
            // EMFILE and friends: back off briefly instead of spinning.
            core::logger("api")->warn("accept.failed error=\"{}\"", ec.message());
            net::steady_timer t(acceptor_.get_executor(), std::chrono::milliseconds(100));
            co_await t.async_wait(net::use_awaitable);
            continue;
        }
        // Answers go out whole at once: Nagle's algorithm would hold a response's tail until the client acknowledged
        // the previous segment.
        socket.set_option(tcp::no_delay(true), ec);
        auto executor = socket.get_executor();
        // A named callable, not a temporary inside co_spawn: g++ 12 mishandles the latter (GCC PR 107288).
        auto run = [this, s = std::move(socket)]() mutable { return session(std::move(s)); };
        net::co_spawn(executor, std::move(run), [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                core::logger("api")->warn("session.failed error=\"{}\"", x.what());
            }
        });
    }
}

net::awaitable<void>
server::session(tcp::socket socket)
{
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    buffer.reserve(core::http_read_buffer_bytes);
    for (;;) {
        boost::system::error_code ec;
        http::request_parser<http::string_body> parser;
        parser.header_limit(static_cast<std::uint32_t>(limits_.header_limit));
        parser.body_limit(limits_.body_limit);

        stream.expires_after(limits_.header_timeout);
        co_await http::async_read_header(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
        if (ec == http::error::end_of_stream || ec == beast::error::timeout || ec == net::error::connection_reset ||
            ec == net::error::eof)
            break;

        std::optional<response> early;
        bool keep_alive = false;
        if (ec == http::error::header_limit) {
            early = plain_error(core::errc::invalid_request, "request headers are too large");
        } else if (ec == http::error::body_limit) {
            // Beast checks a declared Content-Length against the limit while parsing the header: refuse before
            // reading, so the client learns the limit without us buffering its upload.
            early = plain_error(core::errc::payload_too_large, "the request body exceeds the limit of " +
                                                                   std::to_string(limits_.body_limit) + " bytes");
        } else if (ec) {
            early = plain_error(core::errc::invalid_request, "malformed HTTP request: " + ec.message());
        } else {
            stream.expires_after(limits_.body_timeout);
            co_await http::async_read(stream, buffer, parser, net::redirect_error(net::use_awaitable, ec));
            if (ec == http::error::body_limit)
                early = plain_error(core::errc::payload_too_large, "the request body exceeds the limit of " +
                                                                       std::to_string(limits_.body_limit) + " bytes");
            else if (ec)
                break;  // includes a body timeout: tcp_stream closed the socket, so no answer can be sent
        }

        string_response out;
        if (early) {
            // After a framing problem the connection's byte stream cannot be trusted: answer, then close.
            out = to_beast(*early, 11, false);
        } else {
            in_flight_guard guard(in_flight_);
            auto msg = parser.release();
            keep_alive = msg.keep_alive();
            request req;
            req.method = std::string(msg.method_string());
            if (!parse_target(msg.target(), req.path, req.query)) {
                out = to_beast(plain_error(core::errc::invalid_request, "malformed request target"), msg.version(),
                               false);
                keep_alive = false;
            } else {
                req.body = std::move(msg.body());
                req.authorization = std::string(msg[http::field::authorization]);
                req.request_id = std::to_string(next_request_id_++);
                auto res = co_await router_.dispatch(std::move(req));
                if (res.transport_fault != response::fault::none) {
                    co_await inject_fault(stream, res, msg.version());
                    break;
                }
                out = to_beast(std::move(res), msg.version(), keep_alive);
            }
        }
        stream.expires_after(limits_.write_timeout);
        co_await http::async_write(stream, out, net::redirect_error(net::use_awaitable, ec));
        if (ec || !keep_alive) break;
    }
    boost::system::error_code ignored;
    stream.socket().shutdown(tcp::socket::shutdown_send, ignored);
}

}  // namespace hubsync::api
