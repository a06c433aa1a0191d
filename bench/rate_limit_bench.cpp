// How much of a portal's rate budget the HubSpot client uses, and how often HubSpot still says 429.
// Starts a hubspot-emulator limited to N requests per window, runs C concurrent callers through one client (one
// portal) for T seconds, and prints the figures for bench/RESULTS.md. Target (DESIGN §6): >= 95 % of N used,
// <= 1 % of requests answered 429.
#include "bench/bench_support.hpp"
#include "core/net.hpp"
#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>

#include <boost/program_options.hpp>

#include <chrono>
#include <iostream>
#include <thread>

using namespace hubsync;
namespace po = boost::program_options;

namespace {
net::awaitable<void>
caller(hubspot::client& c, std::chrono::steady_clock::time_point until, std::uint64_t& ok, std::uint64_t& failed)
{
    while (std::chrono::steady_clock::now() < until) {
        hubspot::call call;
        call.method = http::verb::post;
        call.target = "/crm/v3/objects/contacts/batch/read";
        call.body = R"({"inputs":[],"properties":["email"],"propertiesWithHistory":[]})";
        call.endpoint = "bench";
        try {
            co_await c.send(call);
            ++ok;
        } catch (const std::exception&) {
            ++failed;
        }
    }
}
}  // namespace

int
main(int argc, char** argv)
{
    po::options_description desc("rate_limit_bench");
    int max = 100, window_ms = 10'000, seconds = 60, callers = 4, client_max = 0;
    std::string emulator;
    desc.add_options()("emulator", po::value(&emulator)->required(), "path of hubspot-emulator")(
        "max", po::value(&max), "requests per window (N)")("window-ms", po::value(&window_ms), "window length")(
        "seconds", po::value(&seconds), "how long to run")("callers", po::value(&callers), "concurrent callers")(
        "client-max", po::value(&client_max),
        "the tier the client starts from (default N; e.g. 190 to make it learn N from X-HubSpot-RateLimit-Max)");
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);

    auto port = bench::free_port();
    std::string listen = "127.0.0.1:" + std::to_string(port);
    std::string token = "pat-bench-0000";
    std::vector<std::string> args{emulator, "--listen", listen, "--token", token};
    std::vector<char*> argv_e;
    for (auto& a : args) argv_e.push_back(a.data());
    argv_e.push_back(nullptr);
    pid_t pid = 0;
    if (posix_spawn(&pid, emulator.c_str(), nullptr, nullptr, argv_e.data(), environ) != 0) {
        std::cerr << "cannot start " << emulator << "\n";
        return 1;
    }
    for (int i = 0; i < 100; ++i) {
        try {
            bench::emulator_admin(port, http::verb::get, "/__emulator/config");
            break;
        } catch (...) {
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    nlohmann::json cfg = {{"rate_limit", {{"enabled", true}, {"max", max}, {"interval_ms", window_ms}}}};
    bench::emulator_admin(port, http::verb::post, "/__emulator/config", cfg.dump());
    bench::emulator_admin(port, http::verb::post, "/__emulator/requests/reset");

    net::io_context ioc;
    hubspot::client_settings s;
    s.base_url = "http://" + listen;
    s.limits.window_max = client_max > 0 ? client_max : max;
    s.limits.window = std::chrono::milliseconds(window_ms);
    hubspot::client client(ioc, s, std::make_shared<hubspot::static_token>(token), nullptr, "bench");
    std::uint64_t ok = 0, failed = 0;
    auto started = std::chrono::steady_clock::now();
    auto until = started + std::chrono::seconds(seconds);
    for (int i = 0; i < callers; ++i) {
        auto task = caller(client, until, ok, failed);
        net::co_spawn(ioc, std::move(task), net::detached);
    }
    std::thread second([&ioc] { ioc.run(); });
    ioc.run();
    second.join();
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;

    auto stats = client.stats();
    auto served = nlohmann::json::parse(bench::emulator_admin(port, http::verb::get, "/__emulator/requests"));
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);

    double budget = max * (elapsed.count() * 1000.0 / window_ms);
    double used = static_cast<double>(ok) / budget * 100.0;
    double rate429 = stats.requests ? static_cast<double>(stats.rate_limited) / stats.requests * 100.0 : 0;
    std::cout << "rate_limit_bench: N=" << max << " per " << window_ms << " ms, client starts at "
              << s.limits.window_max << ", callers=" << callers
              << ", seconds=" << elapsed.count() << "\n"
              << "  successful requests: " << ok << " (budget " << budget << ") -> " << used << " % of N used\n"
              << "  requests sent: " << stats.requests << ", answered 429: " << stats.rate_limited << " -> " << rate429
              << " %\n"
              << "  failed calls: " << failed << ", limiter wait: " << stats.limiter_wait_ms << " ms\n"
              << "  emulator saw: " << served.dump() << "\n";
    return 0;
}
