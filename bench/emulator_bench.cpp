// How many requests per second hubspot-emulator sustains, so a benchmark of the daemon knows the emulator is not its
// bottleneck. N keep-alive connections each send one request at a time for T seconds (after a warm-up) and the
// bench prints requests/s, records/s, latency percentiles and the emulator's CPU time per 1,000 requests.
//
//   emulator_bench --emulator build/release/tests/emulator/hubspot-emulator [--mode upsert] [--connections 8]
//                  [--seconds 10] [--warmup 2] [--batch 100] [--records 20000] [--threads 2]
//   emulator_bench --url http://127.0.0.1:8090 [--pid PID] ...
//
// Modes: upsert (batch/upsert by email, the daemon's sync path; after the first lap of the ring every input updates),
// upsert-new (the same, every email new: an initial sync), create (batch/create, new emails), update (batch/update by
// record id of seeded contacts), get (GET one seeded contact). The modes with new emails grow the emulator's memory
// with the run.
// The emulator's rate limiter is switched off for the run and restored afterwards.
#include "bench/bench_support.hpp"
#include "core/net.hpp"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <cstdio>
#include <atomic>
#include <chrono>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>
#include <thread>

namespace po = boost::program_options;
using json = nlohmann::json;
using steady = std::chrono::steady_clock;

namespace {

struct options {
    std::string emulator;
    std::string url;
    std::string mode = "upsert";
    std::string token = "pat-bench-0000";
    int connections = 8;
    double seconds = 10;
    double warmup = 2;
    int batch = 100;
    int records = 20'000;
    int threads = 2;         // the emulator's --threads when the bench starts it
    int client_threads = 1;
    int pid = 0;             // the emulator's pid with --url, for its CPU time
    long requests = 0;       // > 0: stop after this many measured requests instead of after `seconds`
};

// user + system CPU seconds of `pid`, when there is one to read.
std::optional<double>
cpu_seconds(int pid)
{
    if (pid <= 0) return std::nullopt;
    return hubsync::bench::cpu_seconds(pid);
}

double
self_cpu_seconds()
{
    rusage u{};
    ::getrusage(RUSAGE_SELF, &u);
    auto sec = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
    return sec(u.ru_utime) + sec(u.ru_stime);
}

// A realistic sync payload: ~8 properties of a contact, values varying with the row.
json
contact_properties(int row, bool with_email)
{
    static const char* stages[] = {"lead", "subscriber", "customer", "opportunity"};
    json p = json::object();
    if (with_email) p["email"] = "bench-" + std::to_string(row) + "@example.com";
    p["firstname"] = "First" + std::to_string(row);
    p["lastname"] = "Lastname-" + std::to_string(row * 7 % 1000);
    p["phone"] = "+1 555 01" + std::to_string(1000 + row % 9000);
    p["company"] = "Company " + std::to_string(row % 500) + " Ltd";
    p["jobtitle"] = row % 2 ? "Engineer" : "Account Manager";
    p["city"] = row % 3 ? "Berlin" : "Lisbon";
    p["country"] = "Germany";
    p["lifecyclestage"] = stages[row % 4];
    return p;
}

struct request_plan {
    http::verb method = http::verb::post;
    std::string target;
    std::string body;
};

// What every connection sends: a ring of prepared requests. The modes with new emails patch a request number into
// their ring's bodies, so the bench spends no CPU building JSON while it measures.
struct workload {
    static constexpr std::string_view slot = "0000000000";  // the request number's place in a new email

    std::string mode;
    std::vector<request_plan> ring;
    std::vector<std::vector<std::size_t>> slots;  // per ring entry: where `slot` occurs in its body
    std::atomic<std::uint64_t> next{0};

    request_plan
    take()
    {
        const auto n = next++;
        auto plan = ring[n % ring.size()];
        if (slots.empty()) return plan;
        char digits[11];
        std::snprintf(digits, sizeof digits, "%010llu", static_cast<unsigned long long>(n));
        for (auto at : slots[n % ring.size()]) plan.body.replace(at, slot.size(), digits, slot.size());
        return plan;
    }
};

struct results {
    std::vector<std::uint32_t> latency_us;  // measured requests only
    std::uint64_t ok = 0;
    std::uint64_t failed = 0;
    std::string first_failure;
};

struct run_state {
    tcp::endpoint ep;
    std::string host;
    std::string token;
    workload* work = nullptr;
    steady::time_point measure_from;
    steady::time_point until;
    long request_limit = 0;
    std::atomic<long> started{0};  // measured requests started, against request_limit
    std::mutex mutex;  // guards `totals` when the client runs on several threads
    results totals;
};

net::awaitable<void>
connection(run_state* st)
{
    beast::tcp_stream stream(co_await net::this_coro::executor);
    co_await stream.async_connect(st->ep, net::use_awaitable);
    stream.socket().set_option(tcp::no_delay(true));
    beast::flat_buffer buffer;
    buffer.reserve(256 * 1024);  // Beast reads only into free capacity: one recv per answer, not one per 512 bytes
    results mine;
    http::request<http::string_body> req;
    req.version(11);
    req.set(http::field::host, st->host);
    req.set(http::field::authorization, "Bearer " + st->token);
    req.set(http::field::content_type, "application/json");
    req.keep_alive(true);
    for (;;) {
        auto started = steady::now();
        if (st->request_limit > 0) {
            if (started >= st->measure_from && st->started++ >= st->request_limit) break;
        } else if (started >= st->until) {
            break;
        }
        auto plan = st->work->take();
        req.method(plan.method);
        req.target(plan.target);
        req.body() = std::move(plan.body);
        req.prepare_payload();
        co_await http::async_write(stream, req, net::use_awaitable);
        http::response_parser<http::string_body> parser;
        parser.body_limit(64u << 20);
        co_await http::async_read(stream, buffer, parser, net::use_awaitable);
        auto done = steady::now();
        if (started < st->measure_from) continue;
        const auto& res = parser.get();
        if (res.result_int() >= 300) {
            if (mine.first_failure.empty())
                mine.first_failure = std::to_string(res.result_int()) + " " + res.body().substr(0, 400);
            ++mine.failed;
        } else {
            ++mine.ok;
        }
        mine.latency_us.push_back(static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(done - started).count()));
    }
    std::lock_guard lock(st->mutex);
    auto& t = st->totals;
    t.ok += mine.ok;
    t.failed += mine.failed;
    if (t.first_failure.empty()) t.first_failure = mine.first_failure;
    t.latency_us.insert(t.latency_us.end(), mine.latency_us.begin(), mine.latency_us.end());
}

// Seeds `n` contacts (no email: the updates and reads address them by id) and returns their ids.
std::vector<std::string>
seed_contacts(const tcp::endpoint& ep, int n)
{
    std::vector<std::string> ids;
    for (int from = 0; from < n; from += 5000) {
        json records = json::array();
        for (int row = from; row < std::min(n, from + 5000); ++row)
            records.push_back({{"properties", contact_properties(row, false)}});
        auto answer = json::parse(hubsync::bench::emulator_admin(ep, http::verb::post, "/__emulator/seed/contacts",
                                        json{{"records", records}}.dump()));
        for (const auto& id : answer["ids"]) ids.push_back(id.get<std::string>());
    }
    return ids;
}

void
build_ring(const options& o, const tcp::endpoint& ep, workload& w)
{
    w.mode = o.mode;
    if (o.mode == "create" || o.mode == "upsert-new") {
        // Unique across runs against one emulator: the pid and the time, then the request number and the row.
        const auto nonce = std::to_string(::getpid()) + "-" +
                           std::to_string(std::chrono::system_clock::now().time_since_epoch().count() % 1'000'000'007);
        for (int k = 0; k < 16; ++k) {
            json inputs = json::array();
            for (int i = 0; i < o.batch; ++i) {
                const int row = k * o.batch + i;
                auto p = contact_properties(row, false);
                auto email =
                    "new-" + nonce + "-" + std::string(workload::slot) + "-" + std::to_string(i) + "@example.com";
                if (o.mode == "create") {
                    p["email"] = std::move(email);
                    inputs.push_back({{"properties", std::move(p)}});
                } else {
                    inputs.push_back({{"idProperty", "email"}, {"id", std::move(email)}, {"properties", std::move(p)}});
                }
            }
            request_plan plan{http::verb::post,
                              o.mode == "create" ? "/crm/v3/objects/contacts/batch/create"
                                                 : "/crm/v3/objects/contacts/batch/upsert",
                              json{{"inputs", inputs}}.dump()};
            std::vector<std::size_t> at;
            for (auto pos = plan.body.find(workload::slot); pos != std::string::npos;
                 pos = plan.body.find(workload::slot, pos + workload::slot.size()))
                at.push_back(pos);
            w.ring.push_back(std::move(plan));
            w.slots.push_back(std::move(at));
        }
        return;
    }
    if (o.mode == "upsert") {
        // Each request upserts `batch` distinct emails; the ring covers `records` of them, so after the first lap
        // (during the warm-up when records/batch is small against the rate) every input updates a record.
        for (int from = 0; from + o.batch <= o.records; from += o.batch) {
            json inputs = json::array();
            for (int row = from; row < from + o.batch; ++row) {
                auto p = contact_properties(row, false);
                inputs.push_back({{"idProperty", "email"},
                                  {"id", "bench-" + std::to_string(row) + "@example.com"},
                                  {"properties", std::move(p)}});
            }
            w.ring.push_back(
                {http::verb::post, "/crm/v3/objects/contacts/batch/upsert", json{{"inputs", inputs}}.dump()});
        }
        return;
    }
    auto ids = seed_contacts(ep, o.mode == "get" ? std::min(o.records, 1000) : o.records);
    if (o.mode == "get") {
        for (const auto& id : ids)
            w.ring.push_back(
                {http::verb::get, "/crm/v3/objects/contacts/" + id + "?properties=email,firstname,lastname", {}});
        return;
    }
    // update: `batch` distinct ids per request, values changed from the seeded ones.
    for (std::size_t from = 0; from + o.batch <= ids.size(); from += o.batch) {
        json inputs = json::array();
        for (std::size_t i = from; i < from + o.batch; ++i)
            inputs.push_back({{"id", ids[i]}, {"properties", contact_properties(static_cast<int>(i) + 1, false)}});
        w.ring.push_back({http::verb::post, "/crm/v3/objects/contacts/batch/update", json{{"inputs", inputs}}.dump()});
    }
}

double
percentile(std::vector<std::uint32_t>& v, double p)
{
    if (v.empty()) return 0;
    auto k = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1));
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k] / 1000.0;
}

tcp::endpoint
parse_url(const std::string& url, std::string& host)
{
    std::string rest = url.rfind("http://", 0) == 0 ? url.substr(7) : url;
    if (auto slash = rest.find('/'); slash != std::string::npos) rest.resize(slash);
    auto colon = rest.rfind(':');
    if (colon == std::string::npos) throw std::invalid_argument("--url needs http://HOST:PORT");
    host = rest;
    const auto port = static_cast<unsigned short>(std::stoul(rest.substr(colon + 1)));
    return {net::ip::make_address(rest.substr(0, colon)), port};
}
}  // namespace

int
main(int argc, char** argv)
{
    options o;
    po::options_description desc("emulator_bench");
    desc.add_options()("help,h", "this text")("emulator", po::value(&o.emulator), "start this hubspot-emulator")(
        "url", po::value(&o.url), "or use a running one, http://HOST:PORT")(
        "pid", po::value(&o.pid), "with --url: the emulator's pid, for its CPU time")(
        "mode", po::value(&o.mode), "upsert | upsert-new | create | update | get")(
        "connections", po::value(&o.connections), "keep-alive connections, one request in flight on each")(
        "seconds", po::value(&o.seconds), "measured time")("warmup", po::value(&o.warmup), "unmeasured time first")(
        "batch", po::value(&o.batch), "inputs per batch request (HubSpot's maximum is 100)")(
        "records", po::value(&o.records), "distinct records the upsert/update ring covers")(
        "threads", po::value(&o.threads), "the started emulator's --threads")(
        "client-threads", po::value(&o.client_threads), "threads running the bench's connections")(
        "token", po::value(&o.token), "bearer token (added through the control API)")(
        "requests", po::value(&o.requests),
        "stop after this many measured requests rather than after --seconds (repeatable work, e.g. under callgrind)");
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help") || (o.emulator.empty() == o.url.empty())) {
        std::cout << desc << "\nGive exactly one of --emulator and --url.\n";
        return vm.count("help") ? 0 : 2;
    }
    if (o.mode != "upsert" && o.mode != "upsert-new" && o.mode != "create" && o.mode != "update" && o.mode != "get") {
        std::cerr << "unknown --mode " << o.mode << "\n";
        return 2;
    }

    pid_t child = 0;
    std::string host;
    tcp::endpoint ep;
    if (!o.emulator.empty()) {
        auto port = hubsync::bench::free_port();
        host = "127.0.0.1:" + std::to_string(port);
        ep = {net::ip::make_address("127.0.0.1"), port};
        std::vector<std::string> args{o.emulator, "--listen", host, "--token", o.token,
                                      "--threads", std::to_string(o.threads), "--exit-with-parent"};
        std::vector<char*> argv_e;
        for (auto& a : args) argv_e.push_back(a.data());
        argv_e.push_back(nullptr);
        if (posix_spawn(&child, o.emulator.c_str(), nullptr, nullptr, argv_e.data(), environ) != 0) {
            std::cerr << "cannot start " << o.emulator << "\n";
            return 1;
        }
        o.pid = child;
    } else {
        ep = parse_url(o.url, host);
    }
    for (int i = 0;; ++i) {
        try {
            hubsync::bench::emulator_admin(ep, http::verb::get, "/__emulator/health");
            break;
        } catch (const std::exception& e) {
            if (i == 600) {  // 30 s: slow under valgrind
                std::cerr << "the emulator does not answer: " << e.what() << "\n";
                return 1;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(50));
        }
    }
    const auto config_before = json::parse(hubsync::bench::emulator_admin(ep, http::verb::get, "/__emulator/config"));
    hubsync::bench::emulator_admin(ep, http::verb::post, "/__emulator/config", R"({"rate_limit":{"enabled":false}})");
    hubsync::bench::emulator_admin(ep, http::verb::post, "/__emulator/tokens", json{{"token", o.token}}.dump());

    workload work;
    build_ring(o, ep, work);

    run_state st;
    st.ep = ep;
    st.host = host;
    st.token = o.token;
    st.work = &work;
    net::io_context ioc(o.client_threads);
    const auto start = steady::now();
    st.measure_from = start + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.warmup));
    st.until = st.measure_from + std::chrono::duration_cast<steady::duration>(std::chrono::duration<double>(o.seconds));
    st.request_limit = o.requests;
    for (int i = 0; i < o.connections; ++i) {
        auto task = [&st] { return connection(&st); };
        net::co_spawn(ioc, task, [](std::exception_ptr e) {
            if (!e) return;
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::cerr << "connection failed: " << x.what() << "\n";
            }
        });
    }
    // CPU is sampled when the measured interval starts (a timer on the bench's own loop) and once every
    // connection has finished: requests started before `until` may end after it, and are counted.
    std::optional<double> emu_cpu_from;
    double self_cpu_from = 0;
    net::steady_timer sample_from(ioc, st.measure_from);
    sample_from.async_wait([&](const boost::system::error_code&) {
        emu_cpu_from = cpu_seconds(o.pid);
        self_cpu_from = self_cpu_seconds();
    });
    std::vector<std::thread> threads;
    for (int i = 1; i < o.client_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    const double elapsed = std::chrono::duration<double>(steady::now() - st.measure_from).count();
    const auto emu_cpu_to = cpu_seconds(o.pid);
    const double self_cpu = self_cpu_seconds() - self_cpu_from;

    json restore = {{"rate_limit", {{"enabled", config_before["rate_limit"]["enabled"]}}}};
    hubsync::bench::emulator_admin(ep, http::verb::post, "/__emulator/config", restore.dump());
    if (child) {
        ::kill(child, SIGTERM);
        ::waitpid(child, nullptr, 0);
    }

    auto& r = st.totals;
    const auto done = r.ok + r.failed;
    const double rps = static_cast<double>(done) / elapsed;
    const int per_request = o.mode == "get" ? 1 : o.batch;
    std::cout << std::fixed << std::setprecision(1) << "emulator_bench mode=" << o.mode << " connections="
              << o.connections << " batch=" << per_request << " seconds=" << elapsed << " warmup=" << o.warmup
              << " emulator_threads=" << (child ? std::to_string(o.threads) : std::string("?"))
              << " client_threads=" << o.client_threads << "\n"
              << "  requests: " << done << " (" << r.failed << " failed) -> " << rps << " req/s, "
              << rps * per_request << " records/s\n"
              << std::setprecision(2) << "  latency: p50 " << percentile(r.latency_us, 0.50) << " ms, p99 "
              << percentile(r.latency_us, 0.99) << " ms, max " << percentile(r.latency_us, 1.0) << " ms\n";
    if (emu_cpu_from && emu_cpu_to) {
        const double cpu = *emu_cpu_to - *emu_cpu_from;
        std::cout << "  emulator CPU: " << cpu << " s (" << cpu / elapsed << " cores) -> " << std::setprecision(3)
                  << cpu / static_cast<double>(done) * 1000.0 << " CPU-s per 1,000 requests\n";
    }
    std::cout << "  bench client CPU: " << self_cpu << " s (" << self_cpu / elapsed << " cores)\n";
    if (r.failed) std::cout << "  first failure: " << r.first_failure << "\n";
    return r.failed ? 1 : 0;
}
