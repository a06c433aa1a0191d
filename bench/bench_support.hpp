#pragma once
// What the benchmark drivers share: a libpq connection for set-up SQL, a free local port, and a blocking HTTP call
// to a child process (emulator control API, hubsyncd's REST API). Benchmarks only; the daemon has its own.
#include <utility>  // before Asio: Boost 1.74's awaitable.hpp uses std::exchange without it

#include <boost/asio.hpp>
#include <boost/beast.hpp>
#include <libpq-fe.h>

#include <sys/types.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <optional>
#include <sstream>
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

// user + system CPU seconds of `pid` (fields 14 and 15 of /proc/<pid>/stat); 0 when it cannot be read.
inline double
cpu_seconds(pid_t pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto close = text.rfind(')');  // the command name may contain spaces and parentheses
    if (close == std::string::npos) return 0;
    std::istringstream rest(text.substr(close + 2));
    std::string field;
    double utime = 0, stime = 0;
    for (int i = 3; i <= 15 && rest >> field; ++i) {
        if (i == 14) utime = std::stod(field);
        if (i == 15) stime = std::stod(field);
    }
    return (utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
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

// One request on a connection of its own; answers of up to 1 GiB (state dumps).
inline http_answer
http_call(const tcp::endpoint& to, http::verb method, const std::string& target, const std::string& body = {},
          const std::string& bearer = {})
{
    net::io_context ioc;
    beast::tcp_stream s(ioc);
    s.connect(to);
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

inline http_answer
http_call(unsigned short port, http::verb method, const std::string& target, const std::string& body = {},
          const std::string& bearer = {})
{
    return http_call(tcp::endpoint{net::ip::make_address("127.0.0.1"), port}, method, target, body, bearer);
}

// The emulator's control API: the answer's body, or an exception naming the call when it is not a success.
inline std::string
emulator_admin(const tcp::endpoint& to, http::verb method, const std::string& target, const std::string& body = {})
{
    auto a = http_call(to, method, target, body);
    if (a.status >= 300) throw std::runtime_error("emulator " + target + " answered " + std::to_string(a.status) + ": " + a.body);
    return a.body;
}

inline std::string
emulator_admin(unsigned short port, http::verb method, const std::string& target, const std::string& body = {})
{
    return emulator_admin(tcp::endpoint{net::ip::make_address("127.0.0.1"), port}, method, target, body);
}

}  // namespace hubsync::bench
