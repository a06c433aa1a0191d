// End-to-end figures for the object-sync targets of DESIGN §6, measured on the real programs: hubsyncd against the
// local PostgreSQL cluster and hubspot-emulator.
//
//   1. Set-up: bench.people_<N> (N rows, a text primary key and 11 columns that map to contact properties) in the
//      scratch database hubsync_bench, made with generate_series and reused when it has N rows; a fresh state
//      database; hubspot-emulator; hubsyncd; source, model, destination and an upsert-by-email contacts sync made
//      through the REST API.
//   2. Initial run: rows/s = N / (finished_at − started_at) of the run, and hubsyncd's peak RSS (VmHWM).
//   3. No-change re-run: its time against a bare `COPY (model SQL) TO STDOUT` read fully by libpq (the median of
//      --repeat of each, interleaved), and the HubSpot writes the emulator saw (must be 0).
//   4. 1 % change: a mapped column of every 100th row is toggled; the re-run must send exactly those rows, 100 per
//      call.
//   5. --rss-5m: the initial run again at 5,000,000 rows on a fresh stack, for peak RSS against N rows.
//
// The emulator's limiter is "unlimited" by default: on, but at 100,000 requests a second, so that its
// X-HubSpot-RateLimit-Max header lifts hubsyncd's own per-portal limiter (which starts at the 190 / 10 s tier)
// out of the way. `--emulator-limit off` turns the emulator's limiter off instead: no headers, and hubsyncd then
// paces itself at its default tier, which is what a real portal would get.
#include "connectors/postgres/model_reader.hpp"
#include "core/net.hpp"

#include <libpq-fe.h>
#include <nlohmann/json.hpp>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench/bench_support.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <thread>

using namespace hubsync;
using namespace hubsync::bench;
namespace po = boost::program_options;
using json = nlohmann::json;
using clock_type = std::chrono::steady_clock;

namespace {

const std::string api_token = "sync-bench-api-token-0000000000";
const std::string hubspot_token = "pat-na1-sync-bench-0000";
// base64 of 32 bytes; the state database is thrown away, so a fixed key is fine.
const std::string secret_key = "c3luYy1iZW5jaC1zZWNyZXQta2V5LTMyLWJ5dGVzISE=";

// The model: warehouse column → contact property (tests/emulator/catalog.cpp). email is the match column.
const std::vector<std::pair<std::string, std::string>> mappings = {
    {"first_name", "firstname"}, {"last_name", "lastname"},
    {"phone", "phone"},          {"city", "city"},
    {"state", "state"},          {"country", "country"},
    {"job_title", "jobtitle"},   {"company", "company"},
    {"website", "website"},      {"lifecycle_stage", "lifecyclestage"}};

double
seconds_since(clock_type::time_point t)
{
    return std::chrono::duration<double>(clock_type::now() - t).count();
}

// ---------------------------------------------------------------------------------------------------------------
// /proc readings

// CPU seconds spent by the PostgreSQL backends serving some databases: the backends of `postmaster` whose process
// title names one of them, and the parallel workers of those. Other work on the cluster does not count. A backend's
// time is read at every sample(), so a connection that closes loses at most the time since the last sample.
class backend_meter {
public:
    backend_meter(pid_t postmaster, std::vector<std::string> databases)
        : postmaster_(postmaster), databases_(std::move(databases))
    {
        for (auto& [pid, u] : scan()) base_[pid] = u.cpu;
    }
    void sample()
    {
        for (auto& [pid, u] : scan()) last_[pid] = u;
    }
    // Of the database at `index` in the constructor's list; -1: all of them.
    double seconds(int index = -1) const
    {
        double total = 0;
        for (const auto& [pid, u] : last_) {
            if (index >= 0 && u.database != index) continue;
            auto b = base_.find(pid);
            total += u.cpu - (b == base_.end() ? 0.0 : b->second);
        }
        return total;
    }

private:
    struct usage {
        int database = 0;
        double cpu = 0;
    };

    std::map<pid_t, usage> scan() const
    {
        std::map<pid_t, usage> out;
        std::map<pid_t, pid_t> workers;
        if (postmaster_ <= 0) return out;
        for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
            auto name = entry.path().filename().string();
            if (name.find_first_not_of("0123456789") != std::string::npos) continue;
            std::ifstream st("/proc/" + name + "/stat");
            std::string line((std::istreambuf_iterator<char>(st)), std::istreambuf_iterator<char>());
            auto c = line.rfind(')');
            if (c == std::string::npos) continue;
            std::istringstream f(line.substr(c + 2));
            std::string state;
            pid_t ppid = 0;
            f >> state >> ppid;
            if (ppid != postmaster_) continue;
            std::ifstream cl("/proc/" + name + "/cmdline");
            std::string title((std::istreambuf_iterator<char>(cl)), std::istreambuf_iterator<char>());
            pid_t pid = std::stoi(name);
            bool ours = false;
            for (std::size_t d = 0; d < databases_.size() && !ours; ++d)
                if (title.find(" " + databases_[d] + " ") != std::string::npos) {
                    out[pid] = {static_cast<int>(d), cpu_seconds(pid)};
                    ours = true;
                }
            if (ours) continue;
            // "postgres: parallel worker for PID 123": a worker of a parallel query (the model's sort) has no
            // database in its title; it counts for its leader's.
            auto at = title.find("parallel worker for PID ");
            if (at != std::string::npos) workers[pid] = std::atoi(title.c_str() + at + 24);
        }
        for (const auto& [worker, leader] : workers)
            if (auto l = out.find(leader); l != out.end()) out[worker] = {l->second.database, cpu_seconds(worker)};
        return out;
    }

    pid_t postmaster_;
    std::vector<std::string> databases_;
    std::map<pid_t, double> base_;
    std::map<pid_t, usage> last_;
};

// Busy and total jiffies of the whole machine (all CPUs).
std::pair<double, double>
machine_jiffies()
{
    std::ifstream in("/proc/stat");
    std::string cpu;
    in >> cpu;
    double v, total = 0, idle = 0;
    for (int i = 0; i < 8 && in >> v; ++i) {
        total += v;
        if (i == 3 || i == 4) idle += v; // idle, iowait
    }
    return {total - idle, total};
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL through libpq

struct copy_result {
    double seconds = 0;
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
};

// `COPY (select) TO STDOUT`, read to the end and thrown away: what the warehouse and the wire cost alone.
copy_result
copy_out(const std::string& url, const std::string& select)
{
    pg db(url);
    copy_result out;
    auto started = clock_type::now();
    PGresult* r = PQexec(db.c, ("COPY (" + select + ") TO STDOUT").c_str());
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        std::string err = PQresultErrorMessage(r);
        PQclear(r);
        throw std::runtime_error("COPY: " + err);
    }
    PQclear(r);
    char* buf = nullptr;
    int len;
    while ((len = PQgetCopyData(db.c, &buf, 0)) > 0) {
        ++out.rows;
        out.bytes += static_cast<std::uint64_t>(len);
        PQfreemem(buf);
    }
    if (len == -2) throw std::runtime_error(std::string("COPY: ") + PQerrorMessage(db.c));
    while ((r = PQgetResult(db.c))) PQclear(r);
    out.seconds = seconds_since(started);
    return out;
}

std::string
table_name(long rows)
{
    return "bench.people_" + std::to_string(rows);
}

std::string
model_sql(long rows)
{
    std::string sql = "SELECT person_id, email";
    for (const auto& [column, property] : mappings) sql += ", " + column;
    return sql + " FROM " + table_name(rows);
}

// The warehouse table, made once per size. Rows are stored in hash order, not key order (a warehouse table is
// rarely laid out by the model's key, and presorted input would flatter the planner's sort).
void
ensure_table(const std::string& url, long rows)
{
    pg db(url);
    auto table = table_name(rows);
    db.exec("SET client_min_messages = warning");
    db.exec("CREATE SCHEMA IF NOT EXISTS bench");
    if (db.value("SELECT to_regclass('" + table + "')::text")) {
        auto count = std::stol(db.value("SELECT count(*) FROM " + table).value_or("0"));
        if (count == rows) {
            std::cerr << "reusing " << table << " (" << rows << " rows)\n";
            return;
        }
        db.exec("DROP TABLE " + table);
    }
    std::cerr << "creating " << table << " (" << rows << " rows)…\n";
    auto started = clock_type::now();
    db.exec("CREATE TABLE " + table + R"( AS
SELECT n,
       'p' || lpad(n::text, 9, '0') AS person_id,
       'person.' || n || '@example.com' AS email,
       (ARRAY['Ana','Ben','Chloé','Dmitri','Eve','Farah','Gus','Hana','Ivan','Jun'])[1 + n % 10] AS first_name,
       (ARRAY['Silva','Nguyen','Smith','Müller','Rossi','Kim','Garcia','Okafor','Cohen','Tanaka'])[1 + (n / 10) % 10]
           AS last_name,
       CASE WHEN n % 10 = 0 THEN NULL ELSE '+1 555 ' || lpad((n % 10000)::text, 4, '0') END AS phone,
       (ARRAY['Lisbon','Hanoi','Leeds','Berlin','Rome','Seoul','Madrid','Lagos','Haifa','Osaka','Lyon','Austin'])
           [1 + n % 12] AS city,
       (ARRAY['North','South','East','West','Central'])[1 + (n / 12) % 5] AS state,
       (ARRAY['Portugal','Vietnam','United Kingdom','Germany','Italy','Korea','Spain','Nigeria','Israel','Japan'])
           [1 + (n / 7) % 10] AS country,
       (ARRAY['Engineer','Analyst','Manager','Director','Designer','Buyer','Founder','Consultant'])[1 + n % 8]
           AS job_title,
       'Company ' || (n % 5000) AS company,
       'https://company' || (n % 5000) || '.example.com' AS website,
       (ARRAY['subscriber','lead','marketingqualifiedlead','salesqualifiedlead','opportunity','customer'])
           [1 + n % 6] AS lifecycle_stage
FROM generate_series(1, )" +
            std::to_string(rows) + R"() AS g(n)
ORDER BY md5(n::text))");
    db.exec("ALTER TABLE " + table + " ADD PRIMARY KEY (person_id)");
    db.exec("VACUUM ANALYZE " + table);
    std::cerr << "created in " << std::fixed << std::setprecision(1) << seconds_since(started) << " s\n";
}

void
ensure_database(const std::string& admin_url, const std::string& name)
{
    pg db(admin_url);
    if (!db.value("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) db.exec("CREATE DATABASE " + name);
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes and HTTP

class child {
public:
    child(std::string name, const std::vector<std::string>& argv, const std::vector<std::string>& env)
        : name_(std::move(name)), log_("/tmp/sync_bench-" + std::to_string(::getpid()) + "-" + name_ + ".log")
    {
        std::vector<std::string> a = argv, e = env;
        std::vector<char*> av, ev;
        for (auto& s : a) av.push_back(s.data());
        av.push_back(nullptr);
        for (auto& s : e) ev.push_back(s.data());
        ev.push_back(nullptr);
        pid_t parent = ::getpid();
        pid_ = ::fork();
        if (pid_ < 0) throw std::runtime_error("fork failed");
        if (pid_ == 0) {
            // Never outlive the bench, whatever happens to it.
            ::prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (::getppid() != parent) ::_exit(127);
            int fd = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
            if (fd >= 0) {
                ::dup2(fd, 1);
                ::dup2(fd, 2);
                ::close(fd);
            }
            ::execve(av[0], av.data(), env.empty() ? environ : ev.data());
            ::_exit(127);
        }
    }
    ~child()
    {
        stop(SIGTERM);
        if (!keep_logs) std::remove(log_.c_str());
    }
    static inline bool keep_logs = false;
    child(const child&) = delete;
    child& operator=(const child&) = delete;

    pid_t pid() const { return pid_; }
    const std::string& log() const { return log_; }
    // The end of the child's log, for error messages (the file goes with the child unless --keep-logs).
    std::string log_tail() const
    {
        std::ifstream in(log_);
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        return text.size() > 3000 ? "…" + text.substr(text.size() - 3000) : text;
    }
    bool running()
    {
        if (done_) return false;
        int st;
        if (::waitpid(pid_, &st, WNOHANG) == pid_) done_ = true;
        return !done_;
    }
    void stop(int sig, int timeout_ms = 10'000)
    {
        if (!running()) return;
        ::kill(pid_, sig);
        auto until = clock_type::now() + std::chrono::milliseconds(timeout_ms);
        while (running() && clock_type::now() < until) std::this_thread::sleep_for(std::chrono::milliseconds(20));
        if (running()) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
            done_ = true;
        }
    }

private:
    std::string name_;
    std::string log_;
    pid_t pid_ = -1;
    bool done_ = false;
};


void
wait_ready(child& c, unsigned short port, const std::string& path)
{
    auto until = clock_type::now() + std::chrono::seconds(30);
    while (clock_type::now() < until) {
        if (!c.running()) throw std::runtime_error("a child exited during start-up; its log:\n" + c.log_tail());
        try {
            if (http_call(port, http::verb::get, path).status == 200) return;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    throw std::runtime_error("no answer on " + path + " within 30 s; the child's log:\n" + c.log_tail());
}

// "2026-11-27T08:30:01.123Z" → seconds since the epoch.
double
iso_seconds(const std::string& s)
{
    std::tm tm{};
    int ms = 0;
    if (std::sscanf(s.c_str(), "%d-%d-%dT%d:%d:%d.%dZ", &tm.tm_year, &tm.tm_mon, &tm.tm_mday, &tm.tm_hour, &tm.tm_min,
                    &tm.tm_sec, &ms) < 6)
        throw std::runtime_error("unexpected time " + s);
    tm.tm_year -= 1900;
    tm.tm_mon -= 1;
    return static_cast<double>(::timegm(&tm)) + ms / 1000.0;
}

// ---------------------------------------------------------------------------------------------------------------
// The stack under test: emulator + hubsyncd on a fresh state database, with one sync defined.

struct settings {
    std::string admin_url;
    std::string warehouse_db = "hubsync_bench";
    std::string hubsyncd;
    std::string emulator;
    std::string emulator_limit = "unlimited";
    std::string log_level = "info";
    std::vector<std::string> daemon_env; // extra KEY=VALUE for hubsyncd
    double poll_seconds = 0.05;
    pid_t postmaster = 0;
};

struct run_figures {
    json run;
    double engine_seconds = 0; // finished_at − started_at, as the daemon recorded them
    double wall_seconds = 0;   // trigger → finished seen by the poller
    long peak_rss_kib = 0;     // VmHWM of hubsyncd after the run
    long max_rss_kib = 0;      // highest VmRSS the poller saw during the run
    long emulator_rss_kib = 0; // VmRSS of the emulator after the run (it holds every record)
    double daemon_cpu = 0;     // CPU seconds of hubsyncd during the run
    double emulator_cpu = 0;
    double postgres_cpu = 0; // CPU seconds of the backends serving the warehouse and state databases
    double state_db_cpu = 0; // of which the state database's
    double machine_busy = 0; // CPUs busy on average over the run (of 2)
    json by_route;           // HubSpot requests the emulator saw during the run
    long writes = 0;         // of which writes (not GET, search or batch/read)
    int emulator_resets = 0; // times the emulator was emptied during the run (see stack::run)

    std::int64_t count(const char* group, const char* key) const { return run[group].value(key, std::int64_t{0}); }
};

class stack {
public:
    stack(const settings& s, long rows) : s_(s)
    {
        emulator_port_ = free_port();
        emulator_ = std::make_unique<child>("emulator",
                                            std::vector<std::string>{s.emulator, "--listen",
                                                                     "127.0.0.1:" + std::to_string(emulator_port_),
                                                                     "--token", hubspot_token, "--exit-with-parent"},
                                            std::vector<std::string>{});
        wait_ready(*emulator_, emulator_port_, "/__emulator/health");
        configure_emulator();

        state_db_ = "hubsync_bench_state_" + std::to_string(::getpid()) + "_" + std::to_string(rows);
        {
            pg admin(s.admin_url);
            admin.exec("SET client_min_messages = warning");
            admin.exec("DROP DATABASE IF EXISTS " + state_db_ + " WITH (FORCE)");
            admin.exec("CREATE DATABASE " + state_db_);
        }
        daemon_port_ = free_port();
        std::vector<std::string> env{
            "HUBSYNC_DATABASE_URL=" + with_database(s.admin_url, state_db_),
            "HUBSYNC_SECRET_KEY=" + secret_key,
            "HUBSYNC_API_TOKENS=" + api_token,
            "HUBSYNC_LISTEN=127.0.0.1:" + std::to_string(daemon_port_),
            "HUBSYNC_LOG_LEVEL=" + s.log_level,
            "HUBSYNC_HUBSPOT_BASE_URL=http://127.0.0.1:" + std::to_string(emulator_port_),
        };
        for (const char* keep : {"PATH", "HOME"})
            if (const char* v = std::getenv(keep)) env.push_back(std::string(keep) + "=" + v);
        for (const auto& e : s.daemon_env) env.push_back(e);
        daemon_ = std::make_unique<child>("hubsyncd", std::vector<std::string>{s.hubsyncd}, env);
        wait_ready(*daemon_, daemon_port_, "/healthz");

        auto source = create("/v1/sources", {{"name", "bench warehouse"},
                                             {"type", "postgres"},
                                             {"config", {{"url", with_database(s.admin_url, s.warehouse_db)}}}});
        auto model = create("/v1/models", {{"name", "people " + std::to_string(rows)},
                                           {"source_id", source},
                                           {"sql", model_sql(rows)},
                                           {"primary_key", "person_id"}});
        auto destination =
            create("/v1/destinations",
                   {{"name", "emulator"}, {"type", "hubspot"}, {"config", {{"private_app_token", hubspot_token}}}});
        json maps = json::array();
        for (const auto& [column, property] : mappings) maps.push_back({{"column", column}, {"property", property}});
        sync_id_ = create("/v1/syncs", {{"name", "people to contacts"},
                                        {"model_id", model},
                                        {"destination_id", destination},
                                        {"type", "object"},
                                        {"config",
                                         {{"object", "contacts"},
                                          {"mode", "upsert"},
                                          {"match", {{"column", "email"}, {"property", "email"}}},
                                          {"mappings", maps}}},
                                        {"schedule", {{"type", "manual"}}}});
    }

    ~stack()
    {
        daemon_.reset();
        emulator_.reset();
        try {
            pg admin(s_.admin_url);
            admin.exec("DROP DATABASE IF EXISTS " + state_db_ + " WITH (FORCE)");
        } catch (...) {
        }
    }
    stack(const stack&) = delete;
    stack& operator=(const stack&) = delete;

    pid_t daemon_pid() const { return daemon_->pid(); }
    unsigned short emulator_port() const { return emulator_port_; }

    json emulator_call(http::verb method, const std::string& target, const std::string& body = {}) const
    {
        auto a = http_call(emulator_port_, method, target, body);
        if (a.status >= 300)
            throw std::runtime_error("emulator " + target + ": " + std::to_string(a.status) + " " + a.body);
        return json::parse(a.body);
    }

    // A HubSpot API call with the portal's token, as a client would make it.
    http_answer hubspot(http::verb method, const std::string& target, const std::string& body = {}) const
    {
        return http_call(emulator_port_, method, target, body, hubspot_token);
    }

    json api(http::verb method, const std::string& target, const json& body = nullptr, int expect = 200) const
    {
        auto a = http_call(daemon_port_, method, target, body.is_null() ? std::string{} : body.dump(), api_token);
        if (a.status != expect)
            throw std::runtime_error(std::string(http::to_string(method)) + " " + target + " answered " +
                                     std::to_string(a.status) + ": " + a.body);
        return json::parse(a.body);
    }

    // Triggers a run and polls it to the end. `perf`: a perf record command line to attach for the run's length.
    // `perf_output` / `perf_emulator_output`: perf record files for hubsyncd / the emulator during the run.
    // `reset_every`: empty the emulator (POST /__emulator/reset) each time it has taken this many write requests, so
    // that it does not hold every record (about 4 KiB each) of a very large model; 0 never. The emulator's request
    // counts then miss the few requests that land between reading them and the reset; hubsyncd's api_calls do not.
    run_figures run(const json& options, const std::string& perf_output = {}, const std::string& perf_args = {},
                    const std::string& perf_emulator_output = {}, long reset_every = 0)
    {
        emulator_call(http::verb::post, "/__emulator/requests/reset");
        run_figures f;
        pid_t pid = daemon_->pid();
        auto cpu0 = cpu_seconds(pid), ecpu0 = cpu_seconds(emulator_->pid());
        auto m0 = machine_jiffies();
        backend_meter backends(s_.postmaster, {state_db_, s_.warehouse_db});
        auto started = clock_type::now();
        auto trigger = api(http::verb::post, "/v1/syncs/" + std::to_string(sync_id_) + "/trigger", options, 202);
        // DESIGN §5 promises {"run_id"}; this version answers with the run itself ({"id", …}). Take either.
        auto run_id = (trigger.contains("run_id") ? trigger["run_id"] : trigger.at("id")).get<std::int64_t>();
        std::vector<std::unique_ptr<child>> perf;
        auto record = [&](pid_t target, const std::string& output) {
            if (output.empty()) return;
            std::vector<std::string> argv{"/usr/bin/perf", "record"};
            std::istringstream extra(perf_args);
            for (std::string a; extra >> a;) argv.push_back(a);
            for (const auto& a : {std::string("-p"), std::to_string(target), std::string("-o"), output})
                argv.push_back(a);
            perf.push_back(std::make_unique<child>("perf-" + std::to_string(target), argv, std::vector<std::string>{}));
        };
        record(pid, perf_output);
        record(emulator_->pid(), perf_emulator_output);
        std::map<std::string, long> before_resets; // requests counted by the emulator before its resets
        int resets = 0;
        auto take_counts = [&] {
            auto by_route = emulator_call(http::verb::get, "/__emulator/requests").value("by_route", json::object());
            for (const auto& [route, n] : by_route.items()) before_resets[route] += n.get<long>();
        };
        for (;;) {
            if (reset_every > 0) {
                auto counts = emulator_call(http::verb::get, "/__emulator/requests").value("by_route", json::object());
                long writes = 0;
                for (const auto& [route, n] : counts.items())
                    if (route.find("/batch/") != std::string::npos && route.find("/batch/read") == std::string::npos)
                        writes += n.get<long>();
                if (writes >= reset_every) {
                    take_counts();
                    emulator_call(http::verb::post, "/__emulator/reset");
                    configure_emulator();
                    ++resets;
                }
            }
            f.run = api(http::verb::get, "/v1/runs/" + std::to_string(run_id));
            f.max_rss_kib = std::max(f.max_rss_kib, status_kib(pid, "VmRSS:"));
            backends.sample();
            auto status = f.run.value("status", "");
            if (status != "queued" && status != "running") break;
            if (!daemon_->running())
                throw std::runtime_error("hubsyncd died during the run; its log:\n" + daemon_->log_tail());
            std::this_thread::sleep_for(std::chrono::duration<double>(s_.poll_seconds));
        }
        f.wall_seconds = seconds_since(started);
        for (auto& p : perf) p->stop(SIGINT, 120'000);
        f.peak_rss_kib = status_kib(pid, "VmHWM:");
        f.emulator_rss_kib = status_kib(emulator_->pid(), "VmRSS:");
        f.daemon_cpu = cpu_seconds(pid) - cpu0;
        f.emulator_cpu = cpu_seconds(emulator_->pid()) - ecpu0;
        backends.sample();
        f.postgres_cpu = backends.seconds();
        f.state_db_cpu = backends.seconds(0);
        auto m1 = machine_jiffies();
        f.machine_busy = (m1.first - m0.first) / (m1.second - m0.second) * std::thread::hardware_concurrency();
        f.engine_seconds = iso_seconds(f.run.at("finished_at")) - iso_seconds(f.run.at("started_at"));
        take_counts();
        f.by_route = json::object();
        for (const auto& [route, n] : before_resets) f.by_route[route] = n;
        f.emulator_resets = resets;
        for (const auto& [route, n] : f.by_route.items()) {
            bool read = route.rfind("GET ", 0) == 0 || route.find("/search") != std::string::npos ||
                        route.find("/batch/read") != std::string::npos;
            if (!read) f.writes += n.get<long>();
        }
        return f;
    }

private:
    void configure_emulator() const
    {
        json limit = s_.emulator_limit == "off"
                         ? json{{"enabled", false}}
                         : json{{"enabled", true}, {"max", 100'000}, {"interval_ms", 1000}, {"daily", 1'000'000'000}};
        emulator_call(http::verb::post, "/__emulator/config", json{{"rate_limit", limit}}.dump());
    }

    std::int64_t create(const std::string& path, const json& body)
    {
        return api(http::verb::post, path, body, 201).at("id").get<std::int64_t>();
    }

    const settings& s_;
    unsigned short emulator_port_ = 0, daemon_port_ = 0;
    std::unique_ptr<child> emulator_, daemon_;
    std::string state_db_;
    std::int64_t sync_id_ = 0;
};

// ---------------------------------------------------------------------------------------------------------------
// Reporting

std::string
fixed(double v, int digits)
{
    std::ostringstream o;
    o << std::fixed << std::setprecision(digits) << v;
    return o.str();
}

std::string
mib(long kib)
{
    return fixed(static_cast<double>(kib) / 1024.0, 1);
}

std::string
thousands(std::int64_t v)
{
    auto s = std::to_string(v < 0 ? -v : v);
    for (int i = static_cast<int>(s.size()) - 3; i > 0; i -= 3) s.insert(static_cast<std::size_t>(i), ",");
    return (v < 0 ? "-" : "") + s;
}

void
describe_run(const std::string& what, const run_figures& f)
{
    std::cout << "  " << what << ": status " << f.run.value("status", "") << ", run " << fixed(f.engine_seconds, 2)
              << " s (trigger to finished " << fixed(f.wall_seconds, 2) << " s), planned " << f.run["planned"].dump()
              << ", succeeded " << f.run["succeeded"].dump() << ", failed " << f.run["failed"].dump() << ", api_calls "
              << f.run.value("api_calls", 0) << "\n"
              << "    hubsyncd CPU " << fixed(f.daemon_cpu, 1) << " s, emulator CPU " << fixed(f.emulator_cpu, 1)
              << " s, PostgreSQL CPU " << fixed(f.postgres_cpu, 1) << " s (state database " << fixed(f.state_db_cpu, 1)
              << " s, warehouse " << fixed(f.postgres_cpu - f.state_db_cpu, 1) << " s), machine busy "
              << fixed(f.machine_busy, 2) << " of " << std::thread::hardware_concurrency() << " CPUs; hubsyncd VmHWM "
              << mib(f.peak_rss_kib) << " MiB, highest VmRSS seen " << mib(f.max_rss_kib) << " MiB; emulator VmRSS "
              << mib(f.emulator_rss_kib) << " MiB\n"
              << "    emulator requests: " << f.by_route.dump()
              << (f.emulator_resets ? " (emulator emptied " + std::to_string(f.emulator_resets) + " times)" : "")
              << "\n"
              << std::flush;
    auto sent = f.count("succeeded", "added") + f.count("succeeded", "changed") + f.count("failed", "added") +
                f.count("failed", "changed");
    if (sent > 0 && f.count("planned", "unchanged") == 0) {
        // What the machine's CPUs could do if nothing else ran on them: the stack's CPU time per row sent.
        auto us = [&](double cpu) { return fixed(cpu / static_cast<double>(sent) * 1e6, 1); };
        double total = f.daemon_cpu + f.emulator_cpu + f.postgres_cpu;
        std::cout << "    CPU per row sent: hubsyncd " << us(f.daemon_cpu) << " µs, emulator " << us(f.emulator_cpu)
                  << " µs, PostgreSQL " << us(f.postgres_cpu) << " µs; the stack had "
                  << fixed(total / f.wall_seconds, 2) << " CPUs on average; with all "
                  << std::thread::hardware_concurrency() << " CPUs to itself at most "
                  << thousands(static_cast<std::int64_t>(std::thread::hardware_concurrency() *
                                                         static_cast<double>(sent) / total))
                  << " rows/s\n";
    }
    if (!f.run["error"].is_null()) std::cout << "    error: " << f.run["error"].dump() << "\n";
}

template <class T>
T
median(std::vector<T> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

std::string
machine_line()
{
    std::ifstream cpuinfo("/proc/cpuinfo");
    std::string line, model;
    while (std::getline(cpuinfo, line))
        if (line.rfind("model name", 0) == 0) {
            model = line.substr(line.find(':') + 2);
            break;
        }
    std::ifstream meminfo("/proc/meminfo");
    std::string key;
    long kib = 0;
    meminfo >> key >> kib;
    utsname u{};
    ::uname(&u);
    double load[3] = {0, 0, 0};
    ::getloadavg(load, 3);
    return model + ", " + std::to_string(std::thread::hardware_concurrency()) + " CPUs, " +
           fixed(static_cast<double>(kib) / 1024 / 1024, 0) + " GiB, " + u.sysname + " " + u.release +
           ", load average at start " + fixed(load[0], 2);
}

std::string
executable_dir()
{
    char buf[4096];
    auto n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
    if (n <= 0) return ".";
    std::string p(buf, static_cast<std::size_t>(n));
    return p.substr(0, p.rfind('/'));
}

struct verdict {
    std::string what, target, measured;
    bool met;
};

} // namespace

int
main(int argc, char** argv)
{
    settings s;
    long rows = 1'000'000;
    int repeat = 3;
    bool rss_5m = false;
    long big = 5'000'000, reset_every = 2500;
    std::string perf_initial, perf_rerun, perf_emulator, perf_args = "-g";
    po::options_description desc("sync_bench: the object-sync targets of DESIGN §6, end to end");
    desc.add_options()("help", "this text")("rows", po::value(&rows), "model size N (default 1,000,000)")(
        "repeat", po::value(&repeat), "no-change re-runs and bare COPYs, interleaved; the medians are compared")(
        "rss-5m", po::bool_switch(&rss_5m), "also run the initial sync at 5,000,000 rows for peak RSS")(
        "big-rows", po::value(&big), "the model size --rss-5m compares with (default 5,000,000)")(
        "emulator-reset-every", po::value(&reset_every),
        "in the --rss-5m run, empty the emulator after this many write requests (default 2500, i.e. 250,000 "
        "records, about 1 GiB of its memory; 0: never)")("admin-url", po::value(&s.admin_url),
                                                         "cluster superuser URL (default: HUBSYNC_PG_ADMIN_URL)")(
        "warehouse-db", po::value(&s.warehouse_db), "scratch database for bench.people_<N> (made if missing)")(
        "hubsyncd", po::value(&s.hubsyncd), "hubsyncd binary (default: ../daemon/hubsyncd next to this one)")(
        "emulator", po::value(&s.emulator),
        "hubspot-emulator binary (default: ../tests/emulator/hubspot-emulator next to this one)")(
        "emulator-limit", po::value(&s.emulator_limit),
        "unlimited (default: on at 100,000 req/s, so hubsyncd learns the limit from its headers) or off (no "
        "limit, no headers: hubsyncd keeps its default 190 / 10 s tier)")(
        "daemon-env", po::value(&s.daemon_env)->composing(), "extra KEY=VALUE for hubsyncd (repeatable)")(
        "log-level", po::value(&s.log_level), "hubsyncd's HUBSYNC_LOG_LEVEL (default info)")(
        "keep-logs", po::bool_switch(&child::keep_logs), "keep the children's logs (/tmp/sync_bench-<pid>-*.log)")(
        "perf-initial", po::value(&perf_initial), "perf record hubsyncd during the initial run into this file")(
        "perf-emulator", po::value(&perf_emulator), "perf record the emulator during the initial run into this file")(
        "perf-rerun", po::value(&perf_rerun), "perf record hubsyncd during the first no-change re-run into this file")(
        "perf-args", po::value(&perf_args), "perf record options (default -g)");
    po::variables_map vm;
    try {
        po::store(po::parse_command_line(argc, argv, desc), vm);
        po::notify(vm);
    } catch (const std::exception& e) {
        std::cerr << "sync_bench: " << e.what() << "\n" << desc << "\n";
        return 2;
    }
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return 0;
    }
    if (rows < 100 || repeat < 1 || (s.emulator_limit != "unlimited" && s.emulator_limit != "off")) {
        std::cerr << "sync_bench: --rows must be at least 100, --repeat at least 1, --emulator-limit unlimited|off\n";
        return 2;
    }
    std::string command;
    for (int i = 0; i < argc; ++i) command += (i ? " " : "") + std::string(argv[i]);

    try {
        if (s.admin_url.empty()) {
            const char* v = std::getenv("HUBSYNC_PG_ADMIN_URL");
            if (!v || !*v)
                throw std::runtime_error(
                    "set HUBSYNC_PG_ADMIN_URL (set -a; . .data/env; . .data/urls; set +a) or --admin-url");
            s.admin_url = v;
        }
        auto dir = executable_dir();
        if (s.hubsyncd.empty()) s.hubsyncd = dir + "/../daemon/hubsyncd";
        if (s.emulator.empty()) s.emulator = dir + "/../tests/emulator/hubspot-emulator";
        ensure_database(s.admin_url, s.warehouse_db);
        {
            // The postmaster: the parent of our own backend.
            pg db(s.admin_url);
            auto backend = db.value("SELECT pg_backend_pid()").value_or("0");
            std::ifstream st("/proc/" + backend + "/stat");
            std::string line((std::istreambuf_iterator<char>(st)), std::istreambuf_iterator<char>());
            auto c = line.rfind(')');
            if (c != std::string::npos) {
                std::istringstream f(line.substr(c + 2));
                std::string state;
                f >> state >> s.postmaster;
            }
        }
        auto warehouse = with_database(s.admin_url, s.warehouse_db);
        ensure_table(warehouse, rows);

        auto now = std::time(nullptr);
        char date[64];
        std::strftime(date, sizeof date, "%Y-%m-%d %H:%M UTC", std::gmtime(&now));
        std::cout << "sync_bench, " << date << "\n  command: " << command << "\n  machine: " << machine_line()
                  << "\n  model: " << model_sql(rows) << " (" << thousands(rows) << " rows; email matched, "
                  << mappings.size() << " mapped columns)\n  emulator limit: " << s.emulator_limit
                  << ", hubsyncd defaults otherwise\n\n"
                  << std::flush;

        std::vector<verdict> verdicts;
        long rss_n = 0;
        {
            stack st(s, rows);
            // (a) initial run
            auto initial = st.run(json::object(), perf_initial, perf_args, perf_emulator);
            describe_run("initial run", initial);
            auto contacts = st.hubspot(http::verb::post, "/crm/v3/objects/contacts/search", R"({"limit":1})");
            auto in_hubspot = contacts.status == 200 ? json::parse(contacts.body).value("total", std::int64_t{-1}) : -1;
            std::cout << "    contacts in the emulator afterwards: " << thousands(in_hubspot) << "\n";
            double rate = static_cast<double>(rows) / initial.engine_seconds;
            bool initial_ok = initial.run.value("status", "") == "succeeded" &&
                              initial.count("succeeded", "added") == rows && in_hubspot == rows;
            rss_n = initial.peak_rss_kib;
            verdicts.push_back({"initial upsert, rows/s end to end", "≥ 50,000",
                                thousands(static_cast<std::int64_t>(rate)) + " rows/s (" +
                                    fixed(initial.engine_seconds, 1) + " s)" + (initial_ok ? "" : " — RUN NOT CLEAN"),
                                initial_ok && rate >= 50'000});
            verdicts.push_back({"initial upsert, hubsyncd peak RSS", "≤ 256 MiB", mib(initial.peak_rss_kib) + " MiB",
                                initial.peak_rss_kib <= 256 * 1024});

            // (b) no-change re-runs against bare COPYs, interleaved so drift spreads over both
            auto sql = model_sql(rows);
            std::vector<connectors::postgres::column> columns;
            columns.push_back({"email", "text"});
            for (const auto& [column, property] : mappings) columns.push_back({column, "text"});
            auto sorted = connectors::postgres::model_reader::select_sql(sql, "person_id", columns);
            copy_out(warehouse, sql); // warm the cache; not reported
            std::vector<double> rerun_s, copy_s, sorted_s;
            long rerun_writes = 0;
            bool rerun_ok = true;
            for (int i = 0; i < repeat; ++i) {
                auto c = copy_out(warehouse, sql);
                if (static_cast<long>(c.rows) != rows) throw std::runtime_error("COPY returned the wrong row count");
                copy_s.push_back(c.seconds);
                auto r = st.run(json::object(), i == 0 ? perf_rerun : std::string{}, perf_args);
                describe_run("no-change re-run " + std::to_string(i + 1), r);
                rerun_s.push_back(r.engine_seconds);
                rerun_writes += r.writes;
                rerun_ok = rerun_ok && r.run.value("status", "") == "succeeded" &&
                           r.count("planned", "unchanged") == rows && r.run.value("api_calls", 0) == 0;
                auto so = copy_out(warehouse, sorted);
                sorted_s.push_back(so.seconds);
                std::cout << "    bare COPY (model SQL) " << fixed(c.seconds, 2) << " s (" << thousands(c.rows)
                          << " rows, " << fixed(static_cast<double>(c.bytes) / 1e6, 0)
                          << " MB); COPY of the reader's sorted SELECT " << fixed(so.seconds, 2) << " s\n"
                          << std::flush;
            }
            double ratio = median(rerun_s) / median(copy_s);
            verdicts.push_back({"no-change re-run, HubSpot writes", "0",
                                std::to_string(rerun_writes) + (rerun_ok ? "" : " — RUN NOT CLEAN"),
                                rerun_writes == 0 && rerun_ok});
            verdicts.push_back({"no-change re-run / bare COPY", "≤ 2.5",
                                fixed(ratio, 2) + " (" + fixed(median(rerun_s), 2) + " s / " +
                                    fixed(median(copy_s), 2) + " s; sorted COPY " + fixed(median(sorted_s), 2) +
                                    " s; medians of " + std::to_string(repeat) + ")",
                                ratio <= 2.5});

            // (c) 1 % change: toggle a mark on the job title of every 100th row
            long changed = 0;
            {
                pg db(warehouse);
                changed = db.exec("UPDATE " + table_name(rows) +
                                  " SET job_title = CASE WHEN job_title LIKE '% *' THEN left(job_title, -2) "
                                  "ELSE job_title || ' *' END WHERE n % 100 = 0");
            }
            auto delta = st.run(json::object());
            describe_run("1 % change re-run", delta);
            long expected_calls = (changed + 99) / 100;
            long updates = 0;
            for (const auto& [route, n] : delta.by_route.items())
                if (route.find("/batch/update") != std::string::npos ||
                    route.find("/batch/upsert") != std::string::npos)
                    updates += n.get<long>();
            // Spot checks: the emulator holds the new value of a few changed rows.
            int spot_ok = 0, spot = 0;
            {
                pg db(warehouse);
                for (long n : {100L, (rows / 200) * 100, (rows / 100) * 100}) {
                    if (n == 0) continue;
                    ++spot;
                    auto title =
                        db.value("SELECT job_title FROM " + table_name(rows) + " WHERE n = " + std::to_string(n));
                    auto a = st.hubspot(http::verb::get, "/crm/v3/objects/contacts/person." + std::to_string(n) +
                                                             "@example.com?idProperty=email&properties=jobtitle");
                    if (a.status == 200 && title &&
                        json::parse(a.body)["properties"].value("jobtitle", std::string("?")) == *title)
                        ++spot_ok;
                }
            }
            bool delta_ok = delta.run.value("status", "") == "succeeded" &&
                            delta.count("planned", "changed") == changed &&
                            delta.count("succeeded", "changed") == changed && delta.count("planned", "added") == 0 &&
                            delta.count("planned", "removed") == 0;
            std::cout << "    rows changed in the warehouse: " << thousands(changed)
                      << "; emulator has the new value for " << spot_ok << " of " << spot << " spot-checked rows\n";
            verdicts.push_back({"1 % change: rows sent, calls",
                                std::to_string(changed) + " rows in " + std::to_string(expected_calls) + " calls",
                                thousands(delta.count("succeeded", "changed")) + " rows, api_calls " +
                                    std::to_string(delta.run.value("api_calls", 0)) + ", HubSpot writes " +
                                    std::to_string(delta.writes) + " (batch update/upsert " + std::to_string(updates) +
                                    "), " + fixed(delta.engine_seconds, 2) + " s",
                                delta_ok && delta.run.value("api_calls", 0L) == expected_calls &&
                                    delta.writes == expected_calls && updates == expected_calls && spot_ok == spot});
        }

        // (d) memory against model size
        if (rss_5m && rows != big) {
            ensure_table(warehouse, big);
            stack st(s, big);
            auto f = st.run(json::object(), {}, {}, {}, reset_every);
            describe_run("initial run at " + thousands(big) + " rows", f);
            double growth = static_cast<double>(f.peak_rss_kib) / static_cast<double>(rss_n) - 1.0;
            verdicts.push_back({"peak RSS at " + thousands(big) + " vs " + thousands(rows) + " rows", "within 10 %",
                                mib(f.peak_rss_kib) + " MiB vs " + mib(rss_n) + " MiB (" + (growth >= 0 ? "+" : "") +
                                    fixed(growth * 100, 1) + " %); " + thousands(big) + " rows at " +
                                    thousands(static_cast<std::int64_t>(static_cast<double>(big) / f.engine_seconds)) +
                                    " rows/s",
                                f.run.value("status", "") == "succeeded" && std::abs(growth) <= 0.10});
        }

        std::cout << "\n| target (DESIGN §6) | wanted | measured | met |\n|---|---|---|---|\n";
        for (const auto& v : verdicts)
            std::cout << "| " << v.what << " | " << v.target << " | " << v.measured << " | "
                      << (v.met ? "yes" : "**no**") << " |\n";
        std::cout << "\ncommand: " << command << "\n";
    } catch (const std::exception& e) {
        std::cerr << "sync_bench: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
