// The HubSpot client over real TLS: certificates are verified against the trusted CAs and the host name.
#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"
#include "tests/support/http_client.hpp"

#include <boost/asio/ssl.hpp>
#include <catch2/catch.hpp>

#include <thread>

using namespace hubsync;
namespace ssl = boost::asio::ssl;

namespace {
const std::string fixtures = HUBSYNC_SOURCE_DIR "/tests/fixtures/tls/";

// Serves HTTPS on a loopback port with `cert`, answering every request {"ok":true}, until `requests` are served
// or a handshake fails.
class tls_server {
public:
    tls_server(const std::string& cert, const std::string& key, int requests, const std::string& address = "127.0.0.1")
        : ctx_(ssl::context::tls_server), acceptor_(ioc_, {net::ip::make_address(address), 0})
    {
        ctx_.use_certificate_chain_file(fixtures + cert);
        ctx_.use_private_key_file(fixtures + key, ssl::context::pem);
        thread_ = std::thread([this, requests] { serve(requests); });
    }
    ~tls_server()
    {
        boost::system::error_code ec;
        acceptor_.close(ec);
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    void serve(int requests)
    {
        boost::system::error_code ec;
        tcp::socket socket(ioc_);
        acceptor_.accept(socket, ec);
        if (ec) return;
        ssl::stream<tcp::socket> stream(std::move(socket), ctx_);
        stream.handshake(ssl::stream_base::server, ec);
        if (ec) return;
        beast::flat_buffer buffer;
        for (int i = 0; i < requests; ++i) {
            http::request<http::string_body> req;
            http::read(stream, buffer, req, ec);
            if (ec) return;
            http::response<http::string_body> res{http::status::ok, 11};
            res.set(http::field::content_type, "application/json");
            res.body() = R"({"ok":true})";
            res.keep_alive(true);
            res.prepare_payload();
            http::write(stream, res, ec);
            if (ec) return;
        }
    }

    net::io_context ioc_;
    ssl::context ctx_;
    tcp::acceptor acceptor_;
    std::thread thread_;
};

// Sends one GET through a client for `base`, returning the status or throwing what the client threw.
int
get_once(const std::string& base)
{
    net::io_context ioc;
    hubspot::client_settings s;
    s.base_url = base;
    s.ca_file = fixtures + "ca.pem";
    s.retry.max_attempts = 1;
    s.transport.connect_timeout = std::chrono::seconds(5);
    hubspot::client c(ioc, s, std::make_shared<hubspot::static_token>("pat-test"), nullptr, "tls-test");
    int status = 0;
    std::exception_ptr failure;
    hubspot::call call;
    call.target = "/account-info/v3/details";
    auto op = [&c, call]() { return c.send(call); };
    net::co_spawn(ioc, op, [&](std::exception_ptr e, hubspot::http_response r) {
        failure = e;
        status = r.status;
    });
    ioc.run();
    if (failure) std::rethrow_exception(failure);
    return status;
}
}  // namespace

TEST_CASE("TLS: a server whose certificate chains to a trusted CA and names the host is accepted", "[tls]")
{
    tls_server server("server.pem", "server.key", 1);
    CHECK(get_once("https://localhost:" + std::to_string(server.port())) == 200);
}

TEST_CASE("TLS: a self-signed certificate is refused", "[tls]")
{
    tls_server server("selfsigned.pem", "selfsigned.key", 1);
    try {
        get_once("https://localhost:" + std::to_string(server.port()));
        FAIL("the client accepted a self-signed certificate");
    } catch (const hubspot::transport_error& e) {
        CHECK(e.kind() == "tls");
        CHECK_FALSE(e.request_sent());
    }
}

TEST_CASE("TLS: a certificate for another host name is refused", "[tls]")
{
    // The certificate names localhost and 127.0.0.1; the server listens on 127.0.0.2, which it does not name.
    tls_server server("server.pem", "server.key", 1, "127.0.0.2");
    try {
        get_once("https://127.0.0.2:" + std::to_string(server.port()));
        FAIL("the client accepted a certificate that does not name the host");
    } catch (const hubspot::transport_error& e) {
        CHECK(e.kind() == "tls");
    }
}
