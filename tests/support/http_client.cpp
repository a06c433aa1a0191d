#include "tests/support/http_client.hpp"

#include "core/net.hpp"

#include <boost/beast/version.hpp>

#include <chrono>

namespace hubsync::test {

namespace {
http_result
exchange(beast::tcp_stream& stream, beast::flat_buffer& buffer, const std::string& method, const std::string& target,
         const std::string& body, const std::map<std::string, std::string>& headers, bool keep_alive)
{
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    req.set(http::field::host, "127.0.0.1");
    for (const auto& [k, v] : headers) req.set(k, v);
    if (!body.empty() || method == "POST" || method == "PATCH") {
        req.body() = body;
        if (req[http::field::content_type].empty()) req.set(http::field::content_type, "application/json");
    }
    req.keep_alive(keep_alive);
    req.prepare_payload();
    stream.expires_after(std::chrono::seconds(60));
    http::write(stream, req);
    http::response_parser<http::string_body> parser;
    parser.body_limit(64 * 1024 * 1024);
    http::read(stream, buffer, parser);
    auto res = parser.release();
    http_result out;
    out.status = static_cast<int>(res.result_int());
    out.body = res.body();
    for (const auto& f : res) {
        std::string name(f.name_string());
        for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        out.headers[name] = std::string(f.value());
    }
    return out;
}

tcp::endpoint
local(unsigned short port)
{
    return {net::ip::make_address("127.0.0.1"), port};
}
}  // namespace

http_result
http_request(unsigned short port, const std::string& method, const std::string& target, const std::string& body,
             const std::map<std::string, std::string>& headers)
{
    net::io_context ioc;
    beast::tcp_stream stream(ioc);
    stream.connect(local(port));
    beast::flat_buffer buffer;
    auto r = exchange(stream, buffer, method, target, body, headers, false);
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    return r;
}

struct persistent_client::impl {
    net::io_context ioc;
    beast::tcp_stream stream{ioc};
    beast::flat_buffer buffer;
};

persistent_client::persistent_client(unsigned short port) : impl_(new impl)
{
    impl_->stream.connect(local(port));
}

persistent_client::~persistent_client()
{
    delete impl_;
}

http_result
persistent_client::request(const std::string& method, const std::string& target, const std::string& body,
                           const std::map<std::string, std::string>& headers)
{
    return exchange(impl_->stream, impl_->buffer, method, target, body, headers, true);
}

std::string
raw_exchange(unsigned short port, const std::string& bytes, int timeout_ms)
{
    net::io_context ioc;
    tcp::socket socket(ioc);
    socket.connect(local(port));
    if (!bytes.empty()) net::write(socket, net::buffer(bytes));
    std::string received;
    std::array<char, 4096> chunk{};
    boost::system::error_code ec;
    net::steady_timer timer(ioc, std::chrono::milliseconds(timeout_ms));
    bool done = false;
    std::function<void()> read_more = [&] {
        socket.async_read_some(net::buffer(chunk), [&](boost::system::error_code e, std::size_t n) {
            received.append(chunk.data(), n);
            if (e) {
                done = true;
                timer.cancel();
                return;
            }
            read_more();
        });
    };
    read_more();
    timer.async_wait([&](boost::system::error_code e) {
        if (!e && !done) socket.close(ec);
    });
    ioc.run();
    return received;
}

unsigned short
free_port()
{
    net::io_context ioc;
    tcp::acceptor a(ioc, local(0));
    return a.local_endpoint().port();
}

}  // namespace hubsync::test
