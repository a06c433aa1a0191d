#pragma once
// What the benchmark drivers share: a libpq connection for set-up SQL, a free local port, and a blocking HTTP call
// to a child process (emulator control API, hubsyncd's REST API). Benchmarks only; the daemon has its own.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <libpq-fe.h>

#include <sys/types.h>

#include <cstring>
#include <fstream>
#include <optional>
#include <stdexcept>
#include <string>

namespace hubsync::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;

// The same postgresql:// URL with another database.
inline std::string
with_database(const std::string& url, const std::string& database)
{
    auto slash = url.find('/', url.find("://") + 3);
    auto query = url.find('?');
    return url.substr(0, slash) + "/" + database + (query == std::string::npos ? "" : url.substr(query));
}

// A `Vm…:` figure of /proc/<pid>/status in KiB, -1 when absent.
inline long
status_kib(pid_t pid, const char* field)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/status");
    std::string line;
    while (std::getline(in, line))
        if (line.rfind(field, 0) == 0) return std::stol(line.substr(std::strlen(field)));
    return -1;
}

struct pg {
    PGconn* c;
    explicit pg(const std::string& url) : c(PQconnectdb(url.c_str()))
    {
        if (PQstatus(c) != CONNECTION_OK) throw std::runtime_error(std::string("connect: ") + PQerrorMessage(c));
    }
    ~pg() { PQfinish(c); }
    pg(const pg&) = delete;
    pg& operator=(const pg&) = delete;

    // Runs `sql`; returns the rows affected (or returned).
    long exec(const std::string& sql)
    {
        PGresult* r = PQexec(c, sql.c_str());
        auto st = PQresultStatus(r);
        std::string err = PQresultErrorMessage(r);
        std::string n = PQcmdTuples(r);
        PQclear(r);
        if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) throw std::runtime_error(sql.substr(0, 80) + ": " + err);
        return n.empty() ? 0 : std::stol(n);
    }

    // The first column of the first row; nullopt for no row or NULL.
    std::optional<std::string> value(const std::string& sql)
    {
        PGresult* r = PQexec(c, sql.c_str());
        if (PQresultStatus(r) != PGRES_TUPLES_OK) {
            std::string err = PQresultErrorMessage(r);
            PQclear(r);
            throw std::runtime_error(sql.substr(0, 80) + ": " + err);
        }
        std::optional<std::string> v;
        if (PQntuples(r) > 0 && !PQgetisnull(r, 0, 0)) v = PQgetvalue(r, 0, 0);
        PQclear(r);
        return v;
    }
};

inline unsigned short
free_port()
{
    net::io_context ioc;
    tcp::acceptor a(ioc, {net::ip::make_address("127.0.0.1"), 0});
    return a.local_endpoint().port();
}

struct http_answer {
    int status = 0;
    std::string body;
};

// One request on a connection of its own to 127.0.0.1:`port`; answers of up to 1 GiB (state dumps).
inline http_answer
http_call(unsigned short port, http::verb method, const std::string& target, const std::string& body = {},
          const std::string& bearer = {})
{
    net::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(tcp::endpoint{net::ip::make_address("127.0.0.1"), port});
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, "127.0.0.1");
    if (!bearer.empty()) req.set(http::field::authorization, "Bearer " + bearer);
    if (!body.empty()) req.set(http::field::content_type, "application/json");
    req.body() = body;
    req.prepare_payload();
    http::write(s, req);
    beast::flat_buffer b;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1u << 30);
    http::read(s, b, parser);
    boost::system::error_code ec;
    s.socket().shutdown(tcp::socket::shutdown_both, ec);
    return {static_cast<int>(parser.get().result_int()), parser.get().body()};
}

// The emulator's control API: the answer's body, or an exception naming the call when it is not a success.
inline std::string
emulator_admin(unsigned short port, http::verb method, const std::string& target, const std::string& body = {})
{
    auto a = http_call(port, method, target, body);
    if (a.status >= 300) throw std::runtime_error("emulator " + target + " answered " + std::to_string(a.status) + ": " + a.body);
    return a.body;
}

}  // namespace hubsync::bench
