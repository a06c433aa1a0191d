// hubspot-emulator: a stateful in-memory HubSpot over HTTP for tests and benchmarks.
//
//   hubspot-emulator [--listen 127.0.0.1:8090] [--portal-id 12345678] [--token TOKEN]... [--threads 2]
//                    [--exit-with-parent]
#include "api/server.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"
#include "tests/emulator/emulator.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <malloc.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <csignal>
#include <iostream>
#include <thread>

namespace {

struct options {
    std::string listen = "127.0.0.1:8090";
    hubsync::emulator::startup_options startup;
    int threads = 2;
    bool exit_with_parent = false;
};

const char* usage =
    "usage: hubspot-emulator [--listen HOST:PORT] [--portal-id N] [--token TOKEN]... [--threads N] "
    "[--exit-with-parent]\n"
    "  --listen     address to serve on (default 127.0.0.1:8090)\n"
    "  --portal-id  the emulated portal (hub) id (default 12345678)\n"
    "  --token      a private-app token with every scope (repeatable)\n"
    "  --threads    io threads (default 2)\n"
    "  --exit-with-parent  stop (SIGTERM) when the starting process dies, e.g. a crashed test run\n"
    "Control API: /__emulator/{health,reset,config,tokens,oauth/codes,oauth/revoke,seed/{type},state/{type},"
    "requests,requests/reset,rate-limits/reset}\n";

bool
parse(int argc, char** argv, options& o, std::string& error)
{
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&](std::string& out) {
            if (i + 1 >= argc) {
                error = a + " needs a value";
                return false;
            }
            out = argv[++i];
            return true;
        };
        std::string v;
        try {
            if (a == "--listen") {
                if (!value(o.listen)) return false;
            } else if (a == "--portal-id") {
                if (!value(v)) return false;
                o.startup.portal_id = std::stoull(v);
            } else if (a == "--token") {
                if (!value(v)) return false;
                o.startup.tokens.push_back(v);
            } else if (a == "--threads") {
                if (!value(v)) return false;
                o.threads = std::stoi(v);
                if (o.threads < 1 || o.threads > 64) throw std::out_of_range("threads");
            } else if (a == "--exit-with-parent") {
                o.exit_with_parent = true;
            } else if (a == "--help" || a == "-h") {
                std::cout << usage;
                std::exit(0);
            } else {
                error = "unknown argument " + a;
                return false;
            }
        } catch (const std::exception&) {
            error = "bad value for " + a + ": " + v;
            return false;
        }
    }
    return true;
}

tcp::endpoint
listen_endpoint(const std::string& listen)
{
    auto colon = listen.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("--listen must be HOST:PORT");
    auto host = listen.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    auto port = std::stoul(listen.substr(colon + 1));
    if (port > 65535) throw std::invalid_argument("--listen port out of range");
    return {net::ip::make_address(host), static_cast<unsigned short>(port)};
}

}  // namespace

int
main(int argc, char** argv)
{
    options opts;
    std::string error;
    const pid_t parent = ::getppid();
    if (!parse(argc, argv, opts, error)) {
        std::cerr << "hubspot-emulator: " << error << "\n" << usage;
        return 2;
    }
    if (opts.exit_with_parent) {
        // Linux: the signal comes when the thread that started us ends. A parent gone before prctl is seen here.
        ::prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (::getppid() != parent) return 0;
    }
    // Batch creates grow the heap by a few MB a second: grown 64 MB at a time rather than by what each allocation
    // lacks, the heaps take one brk or mprotect call per 64 MB instead of several per request.
    ::mallopt(M_TOP_PAD, 64 << 20);
    auto log = spdlog::stderr_color_mt("hubspot-emulator");
    spdlog::set_default_logger(log);
    spdlog::flush_on(spdlog::level::warn);

    int rc = 0;
    try {
        const auto endpoint = listen_endpoint(opts.listen);
        net::io_context ioc(opts.threads);
        hubsync::core::metrics_registry metrics;
        hubsync::api::router router({}, metrics);
        hubsync::emulator::emulator emu(opts.startup);
        emu.register_routes(router);
        hubsync::api::server_limits limits;
        limits.body_limit = 64 * 1024 * 1024;  // seeding sends large bodies
        hubsync::api::server server(ioc, endpoint, router, limits);
        server.start();
        const auto bound = server.local_endpoint();
        log->info("emulator.listening address={}:{} portal_id={} tokens={} threads={}", bound.address().to_string(),
                  bound.port(), opts.startup.portal_id, opts.startup.tokens.size(), opts.threads);

        net::signal_set signals(ioc, SIGINT, SIGTERM);
        signals.async_wait([&](const boost::system::error_code& ec, int sig) {
            if (ec) return;
            log->info("emulator.stopping signal={}", sig);
            server.stop();
            ioc.stop();
        });
        std::vector<std::thread> threads;
        for (int i = 1; i < opts.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
        ioc.run();
        for (auto& t : threads) t.join();
    } catch (const std::exception& e) {
        log->critical("emulator.failed reason=\"{}\"", e.what());
        rc = 1;
    }
    spdlog::shutdown();
    return rc;
}
