#include "hubspot/transport.hpp"

#include "hubspot/api_error.hpp"

#include <openssl/ssl.h>

#include <stdexcept>

namespace hubsync::hubspot {

namespace {
using tls_stream = ssl::stream<beast::tcp_stream>;

bool
is_disconnect(const boost::system::error_code& ec)
{
    return ec == http::error::end_of_stream || ec == net::error::eof || ec == net::error::connection_reset ||
           ec == net::error::broken_pipe || ec == net::error::connection_aborted || ec == ssl::error::stream_truncated;
}

std::string
kind_of(const boost::system::error_code& ec)
{
    if (ec == beast::error::timeout) return "timeout";
    if (is_disconnect(ec)) return "reset";
    if (ec.category() == net::error::get_ssl_category() || ec.category() == ssl::error::get_stream_category())
        return "tls";
    return "io";
}
}  // namespace

base_url
parse_base_url(const std::string& url)
{
    base_url out;
    std::string rest;
    if (url.rfind("https://", 0) == 0) {
        out.tls = true;
        rest = url.substr(8);
    } else if (url.rfind("http://", 0) == 0) {
        out.tls = false;
        rest = url.substr(7);
    } else {
        throw std::invalid_argument("the base URL must start with https:// or http://");
    }
    auto slash = rest.find('/');
    std::string authority = rest.substr(0, slash);
    out.path = slash == std::string::npos ? "" : rest.substr(slash);
    while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
    if (authority.empty()) throw std::invalid_argument("the base URL has no host");
    auto colon = authority.rfind(':');
    if (colon != std::string::npos && authority.find(']') == std::string::npos) {
        out.host = authority.substr(0, colon);
        out.port = authority.substr(colon + 1);
        if (out.port.empty() || out.port.find_first_not_of("0123456789") != std::string::npos)
            throw std::invalid_argument("the base URL has a bad port");
    } else {
        out.host = authority;
        out.port = out.tls ? "443" : "80";
    }
    return out;
}

std::shared_ptr<ssl::context>
make_tls_context(const std::string& ca_file)
{
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
    ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                     ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (ca_file.empty()) ctx->set_default_verify_paths();
    else ctx->load_verify_file(ca_file);
    ctx->set_verify_mode(ssl::verify_peer);
    return ctx;
}

struct connection_pool::connection {
    std::unique_ptr<beast::tcp_stream> plain;
    std::unique_ptr<tls_stream> secure;
    beast::flat_buffer buffer;  // reserves core::http_read_buffer_bytes when opened
    bool reused = false;
    std::chrono::steady_clock::time_point idle_since{};

    beast::tcp_stream& lowest() { return plain ? *plain : beast::get_lowest_layer(*secure); }
};

connection_pool::connection_pool(net::any_io_executor strand, base_url where, transport_settings settings,
                                 std::shared_ptr<ssl::context> tls)
    : strand_(std::move(strand)), where_(std::move(where)), settings_(settings), tls_(std::move(tls)),
      slot_freed_(strand_)
{
    slot_freed_.expires_at(std::chrono::steady_clock::time_point::max());
}

connection_pool::~connection_pool() = default;

net::awaitable<std::unique_ptr<connection_pool::connection>>
connection_pool::open_connection()
{
    auto c = std::make_unique<connection>();
    c->buffer.reserve(core::http_read_buffer_bytes);
    boost::system::error_code ec;
    tcp::resolver resolver(strand_);
    auto results = co_await resolver.async_resolve(where_.host, where_.port, net::redirect_error(net::use_awaitable, ec));
    if (ec) throw transport_error("connect", "cannot resolve " + where_.host + ": " + ec.message(), false);
    if (where_.tls) {
        c->secure = std::make_unique<tls_stream>(strand_, *tls_);
        // SNI: many hosts need it to pick the certificate; then check the certificate names this host.
        if (!SSL_set_tlsext_host_name(c->secure->native_handle(), where_.host.c_str()))
            throw transport_error("tls", "cannot set the TLS server name", false);
        c->secure->set_verify_callback(ssl::host_name_verification(where_.host));
    } else {
        c->plain = std::make_unique<beast::tcp_stream>(strand_);
    }
    auto& tcp_layer = c->lowest();
    tcp_layer.expires_after(settings_.connect_timeout);
    co_await tcp_layer.async_connect(results, net::redirect_error(net::use_awaitable, ec));
    if (ec) throw transport_error(kind_of(ec) == "timeout" ? "timeout" : "connect",
                                  "cannot connect to " + where_.host + ":" + where_.port + ": " + ec.message(), false);
    tcp_layer.socket().set_option(tcp::no_delay(true), ec);
    if (c->secure) {
        tcp_layer.expires_after(settings_.connect_timeout);
        co_await c->secure->async_handshake(ssl::stream_base::client, net::redirect_error(net::use_awaitable, ec));
        if (ec) throw transport_error("tls", "TLS handshake with " + where_.host + " failed: " + ec.message(), false);
    }
    co_return c;
}

net::awaitable<std::unique_ptr<connection_pool::connection>>
connection_pool::checkout()
{
    for (;;) {
        auto now = std::chrono::steady_clock::now();
        while (!idle_.empty()) {
            auto c = std::move(idle_.back());
            idle_.pop_back();
            if (now - c->idle_since < settings_.idle_timeout) co_return c;
            --open_;
        }
        if (open_ < settings_.max_connections) {
            ++open_;
            try {
                co_return co_await open_connection();
            } catch (...) {
                --open_;
                slot_freed_.cancel_one();
                throw;
            }
        }
        boost::system::error_code ec;
        co_await slot_freed_.async_wait(net::redirect_error(net::use_awaitable, ec));
    }
}

void
connection_pool::checkin(std::unique_ptr<connection> c)
{
    c->reused = true;
    c->idle_since = std::chrono::steady_clock::now();
    idle_.push_back(std::move(c));
    slot_freed_.cancel_one();
}

void
connection_pool::discard(std::unique_ptr<connection> c)
{
    c.reset();
    --open_;
    slot_freed_.cancel_one();
}

net::awaitable<http_response>
connection_pool::send(http_request request, bool idempotent)
{
    http::request<http::string_body> req{request.method, where_.path + request.target, 11};
    req.set(http::field::host, where_.host);
    req.set(http::field::user_agent, "hubsync/" HUBSYNC_VERSION);
    req.set(http::field::accept, "application/json");
    for (const auto& [k, v] : request.headers) req.set(k, v);
    if (!request.body.empty() || request.method == http::verb::post || request.method == http::verb::put ||
        request.method == http::verb::patch) {
        req.set(http::field::content_type, request.content_type);
        req.body() = request.body;
    }
    req.keep_alive(true);
    req.prepare_payload();

    // A reused connection the server has already closed fails before any answer byte. When the write itself
    // failed, nothing was sent: one more try on a new connection. When the write went through, the server may
    // have read the request, so only an idempotent one is tried again (as Go's net/http does).
    for (int round = 0;; ++round) {
        auto c = co_await checkout();
        bool reused = c->reused;
        boost::system::error_code ec;
        bool sent = false;
        auto& tcp_layer = c->lowest();
        tcp_layer.expires_after(settings_.request_timeout);
        if (c->secure) co_await http::async_write(*c->secure, req, net::redirect_error(net::use_awaitable, ec));
        else co_await http::async_write(*c->plain, req, net::redirect_error(net::use_awaitable, ec));
        if (!ec) {
            sent = true;
            http::response_parser<http::string_body> parser;
            parser.body_limit(settings_.max_response_bytes);
            if (c->secure) co_await http::async_read(*c->secure, c->buffer, parser, net::redirect_error(net::use_awaitable, ec));
            else co_await http::async_read(*c->plain, c->buffer, parser, net::redirect_error(net::use_awaitable, ec));
            if (!ec) {
                auto res = parser.release();
                http_response out;
                out.status = static_cast<int>(res.result_int());
                out.body = std::move(res.body());
                for (const auto& f : res) {
                    std::string name(f.name_string());
                    for (auto& ch : name) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
                    out.headers[name] = std::string(f.value());
                }
                if (res.keep_alive()) checkin(std::move(c));
                else discard(std::move(c));
                co_return out;
            }
            bool nothing_received = c->buffer.size() == 0 && !parser.got_some();
            discard(std::move(c));
            if (idempotent && reused && round == 0 && nothing_received && is_disconnect(ec)) continue;
        } else {
            discard(std::move(c));
            if (reused && round == 0 && is_disconnect(ec)) continue;
        }
        throw transport_error(kind_of(ec), ec.message(), sent);
    }
}

}  // namespace hubsync::hubspot
