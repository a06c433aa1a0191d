// How fast a model can be read in primary-key order, and at what memory cost (DESIGN §2 and §6: the no-change
// re-run must take at most 2.5 × a bare `COPY (model) TO STDOUT`, and RSS must stay flat from 1M to 5M rows).
//
// Creates bench.contacts_1m (or _5m, or _<N>) in the warehouse database when missing, then times, each run in a
// child process of its own so that peak RSS (VmHWM) is that run's:
//   copy-all       COPY (SELECT * FROM t) TO STDOUT, read fully, not parsed: the baseline of DESIGN §6
//   copy-unsorted  the reader's SELECT (pk and 10 columns) without ORDER BY, read fully, not parsed
//   copy-sorted    the reader's SELECT, ORDER BY 1 (pk COLLATE "C"), read fully, not parsed: what the sort costs
//   copy-cast      copy-sorted with every column cast ::text before the sort (the reader's first design)
//   cursor         DECLARE CURSOR + FETCH n of the reader's SELECT, parsed into model_rows   (strategy a)
//   single-row     libpq single-row mode, parsed into model_rows                           (strategy c)
//   copy-binary    COPY (FORMAT binary) of copy-cast's SELECT (binary needs text columns), parsed (strategy c)
//   reader         connectors::postgres::model_reader: COPY text via PQgetCopyData     (strategy b, chosen)
// interleaved, and prints the median of the repetitions.
#include "bench/bench_support.hpp"
#include "connectors/postgres/model_reader.hpp"

#include <libpq-fe.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/program_options.hpp>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>

using namespace hubsync::connectors::postgres;
using hubsync::bench::pg;
using hubsync::bench::with_database;
namespace po = boost::program_options;
using clock_type = std::chrono::steady_clock;

namespace {

// The columns a 10-mapping object sync of this table reads, besides the primary key.
const std::vector<std::string> mapped = {"email",        "first_name", "last_name", "last_seen_at", "signed_up_on",
                                         "is_active",    "revenue",    "score",     "tags",         "phone"};

struct run_result {
    double seconds = 0;
    double first_row_seconds = 0;
    std::uint64_t rows = 0;
    std::uint64_t bytes = 0;
    long peak_rss_kib = 0;
    double client_cpu_seconds = 0;   // user + system time of the reading process: what the client side costs
};

// The same transaction settings as model_reader, so the strategies differ only in how rows travel.
void
begin_like_reader(pg& db)
{
    db.exec("SET client_encoding = 'UTF8'; BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
            "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, MDY'; SET LOCAL IntervalStyle = 'postgres'; "
            "SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'; SET LOCAL statement_timeout = 0");
}

void
ensure_table(const std::string& url, const std::string& table, long rows)
{
    pg db(url);
    if (db.value("SELECT to_regclass('" + table + "')::text")) return;
    std::cerr << "creating " << table << " (" << rows << " rows)…\n";
    auto started = clock_type::now();
    // Rows are stored in hash order, not key order: a warehouse table is rarely laid out by the model's key, and a
    // presorted input would flatter the server's sort.
    db.exec("CREATE SCHEMA IF NOT EXISTS bench");
    db.exec("CREATE TABLE " + table + R"( AS
SELECT 'c' || lpad(i::text, 7, '0') AS contact_id,
       'user.' || i || '@example.com' AS email,
       (ARRAY['Ana','Ben','Chloé','Dmitri','Eve','Farah','Gus','Hana','Ivan','Jun'])[1 + i % 10] AS first_name,
       (ARRAY['Silva','Nguyen','Smith','Müller','Rossi','Kim','Garcia','Okafor','Cohen','Tanaka'])[1 + (i / 10) % 10]
           AS last_name,
       timestamptz '2026-01-01 00:00:00+00' - (i % 500000) * interval '37 seconds' AS last_seen_at,
       date '2020-01-01' + (i % 2000) AS signed_up_on,
       (i % 3 = 0) AS is_active,
       round((i % 100000) / 7.0, 2)::numeric(12,2) AS revenue,
       (i % 1000)::integer AS score,
       ARRAY['tag' || (i % 7), 'tag' || (i % 11)] AS tags,
       CASE WHEN i % 10 = 0 THEN NULL ELSE '+1 555-' || lpad((i % 10000)::text, 4, '0') END AS phone,
       'Company ' || (i % 5000) AS company_name
FROM generate_series(1, )" + std::to_string(rows) + R"() AS g(i)
ORDER BY md5(i::text))");
    db.exec("ALTER TABLE " + table + " ADD PRIMARY KEY (contact_id)");
    db.exec("ANALYZE " + table);
    std::chrono::duration<double> s = clock_type::now() - started;
    std::cerr << "created in " << std::fixed << std::setprecision(1) << s.count() << " s\n";
}

struct setup {
    std::string url;
    std::string table;
    std::string model_sql;
    std::vector<column> columns;
    std::size_t batch = 10'000;
};

// Reads a COPY without parsing: what the server and the wire cost.
run_result
raw_copy(const setup& su, const std::string& select, clock_type::time_point started)
{
    pg db(su.url);
    begin_like_reader(db);
    run_result out;
    PGresult* r = PQexec(db.c, ("COPY (" + select + ") TO STDOUT").c_str());
    if (PQresultStatus(r) != PGRES_COPY_OUT) throw std::runtime_error(PQresultErrorMessage(r));
    PQclear(r);
    char* buf = nullptr;
    int len;
    while ((len = PQgetCopyData(db.c, &buf, 0)) > 0) {
        if (out.rows == 0) out.first_row_seconds = std::chrono::duration<double>(clock_type::now() - started).count();
        ++out.rows;
        out.bytes += static_cast<std::uint64_t>(len);
        PQfreemem(buf);
    }
    if (len == -2) throw std::runtime_error(PQerrorMessage(db.c));
    while ((r = PQgetResult(db.c))) PQclear(r);
    return out;
}

void
assign(std::optional<std::string>& dst, const char* p, std::size_t n, bool null)
{
    if (null)
        dst.reset();
    else if (dst)
        dst->assign(p, n);
    else
        dst.emplace(p, n);
}

void
rows_from_result(const PGresult* r, std::vector<model_row>& rows, std::size_t values)
{
    int n = PQntuples(r);
    rows.resize(static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) {
        auto& row = rows[static_cast<std::size_t>(i)];
        row.values.resize(values);
        assign(row.pk, PQgetvalue(r, i, 0), static_cast<std::size_t>(PQgetlength(r, i, 0)), PQgetisnull(r, i, 0));
        for (std::size_t c = 0; c < values; ++c) {
            int f = static_cast<int>(c) + 1;
            assign(row.values[c], PQgetvalue(r, i, f), static_cast<std::size_t>(PQgetlength(r, i, f)),
                   PQgetisnull(r, i, f));
        }
    }
}

run_result
cursor_read(const setup& su, const std::string& select, clock_type::time_point started)
{
    pg db(su.url);
    begin_like_reader(db);
    db.exec("DECLARE hubsync_rows NO SCROLL CURSOR FOR " + select);
    run_result out;
    std::vector<model_row> rows;
    auto fetch = "FETCH " + std::to_string(su.batch) + " FROM hubsync_rows";
    for (;;) {
        PGresult* r = PQexec(db.c, fetch.c_str());
        if (PQresultStatus(r) != PGRES_TUPLES_OK) throw std::runtime_error(PQresultErrorMessage(r));
        rows_from_result(r, rows, su.columns.size());
        PQclear(r);
        if (rows.empty()) break;
        if (out.rows == 0) out.first_row_seconds = std::chrono::duration<double>(clock_type::now() - started).count();
        out.rows += rows.size();
    }
    return out;
}

run_result
single_row_read(const setup& su, const std::string& select, clock_type::time_point started)
{
    pg db(su.url);
    begin_like_reader(db);
    run_result out;
    if (!PQsendQuery(db.c, select.c_str()) || !PQsetSingleRowMode(db.c))
        throw std::runtime_error(PQerrorMessage(db.c));
    std::vector<model_row> rows(1);
    std::vector<model_row> one;
    while (PGresult* r = PQgetResult(db.c)) {
        auto st = PQresultStatus(r);
        if (st == PGRES_SINGLE_TUPLE) {
            rows_from_result(r, one, su.columns.size());
            if (out.rows == 0)
                out.first_row_seconds = std::chrono::duration<double>(clock_type::now() - started).count();
            ++out.rows;
        } else if (st != PGRES_TUPLES_OK) {
            throw std::runtime_error(PQresultErrorMessage(r));
        }
        PQclear(r);
    }
    return out;
}

std::uint32_t
be32(const char* p)
{
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return __builtin_bswap32(v);
}

run_result
binary_copy_read(const setup& su, const std::string& select, clock_type::time_point started)
{
    pg db(su.url);
    begin_like_reader(db);
    run_result out;
    PGresult* r = PQexec(db.c, ("COPY (" + select + ") TO STDOUT (FORMAT binary)").c_str());
    if (PQresultStatus(r) != PGRES_COPY_OUT) throw std::runtime_error(PQresultErrorMessage(r));
    PQclear(r);
    std::vector<model_row> rows(su.batch);
    std::size_t in_batch = 0;
    bool header = true;
    char* buf = nullptr;
    int len;
    while ((len = PQgetCopyData(db.c, &buf, 0)) > 0) {
        const char* p = buf;
        if (header) {
            // Signature (11 bytes), flags, header extension length and the extension itself.
            p += 11 + 4;
            p += 4 + be32(p);
            header = false;
            if (p == buf + len) {
                PQfreemem(buf);
                continue;
            }
        }
        auto fields = static_cast<std::int16_t>((static_cast<unsigned char>(p[0]) << 8) | static_cast<unsigned char>(p[1]));
        p += 2;
        if (fields == -1) {
            PQfreemem(buf);
            continue;
        }
        auto& row = rows[in_batch];
        row.values.resize(su.columns.size());
        for (int f = 0; f < fields; ++f) {
            auto n = static_cast<std::int32_t>(be32(p));
            p += 4;
            auto& dst = f == 0 ? row.pk : row.values[static_cast<std::size_t>(f - 1)];
            assign(dst, p, n < 0 ? 0 : static_cast<std::size_t>(n), n < 0);
            if (n > 0) p += n;
        }
        if (++in_batch == rows.size()) in_batch = 0;
        if (out.rows == 0) out.first_row_seconds = std::chrono::duration<double>(clock_type::now() - started).count();
        ++out.rows;
        PQfreemem(buf);
    }
    if (len == -2) throw std::runtime_error(PQerrorMessage(db.c));
    while ((r = PQgetResult(db.c))) PQclear(r);
    return out;
}

run_result
reader_read(const setup& su, clock_type::time_point started)
{
    query_limits limits;
    limits.first_row_timeout = std::chrono::milliseconds(0);
    model_reader reader(su.url, su.model_sql, "contact_id", su.columns, limits);
    run_result out;
    std::vector<model_row> rows;
    for (;;) {
        reader.next(rows, su.batch);
        if (rows.empty()) break;
        if (out.rows == 0) out.first_row_seconds = std::chrono::duration<double>(clock_type::now() - started).count();
        out.rows += rows.size();
    }
    return out;
}

run_result
run_strategy(const setup& su, const std::string& strategy)
{
    auto sorted = model_reader::select_sql(su.model_sql, "contact_id", su.columns);
    auto unsorted = sorted.substr(0, sorted.rfind(" ORDER BY 1"));
    std::string cast_all = "SELECT (hubsync_model.contact_id)::text COLLATE \"C\"";
    for (const auto& c : su.columns) {
        auto ref = "hubsync_model." + quote_identifier(c.name);
        cast_all += c.type.ends_with("[]") ? ", array_to_json(" + ref + ")::text" : ", (" + ref + ")::text";
    }
    cast_all += " FROM (" + su.model_sql + ") AS hubsync_model ORDER BY 1";
    auto started = clock_type::now();
    run_result out;
    if (strategy == "copy-all")
        out = raw_copy(su, "SELECT * FROM " + su.table, started);
    else if (strategy == "copy-unsorted")
        out = raw_copy(su, unsorted, started);
    else if (strategy == "copy-sorted")
        out = raw_copy(su, sorted, started);
    else if (strategy == "copy-cast")
        out = raw_copy(su, cast_all, started);
    else if (strategy == "cursor")
        out = cursor_read(su, sorted, started);
    else if (strategy == "single-row")
        out = single_row_read(su, sorted, started);
    else if (strategy == "copy-binary")
        out = binary_copy_read(su, cast_all, started);
    else if (strategy == "reader")
        out = reader_read(su, started);
    else
        throw std::runtime_error("unknown strategy " + strategy);
    out.seconds = std::chrono::duration<double>(clock_type::now() - started).count();
    return out;
}

// Runs one strategy in a child so its VmHWM is its own; the child reports over a pipe.
run_result
run_in_child(const setup& su, const std::string& strategy)
{
    int fds[2];
    if (::pipe(fds) != 0) throw std::runtime_error("pipe");
    std::cout.flush();
    pid_t pid = ::fork();
    if (pid == 0) {
        ::close(fds[0]);
        // Forget the parent's peak so VmHWM measures this run only.
        std::ofstream("/proc/self/clear_refs") << "5";
        std::ostringstream msg;
        try {
            auto r = run_strategy(su, strategy);
            rusage ru{};
            ::getrusage(RUSAGE_SELF, &ru);
            auto secs = [](const timeval& t) { return static_cast<double>(t.tv_sec) + t.tv_usec / 1e6; };
            msg << "ok " << r.seconds << ' ' << r.first_row_seconds << ' ' << r.rows << ' ' << r.bytes << ' '
                << hubsync::bench::status_kib(getpid(), "VmHWM:") << ' ' << secs(ru.ru_utime) + secs(ru.ru_stime);
        } catch (const std::exception& e) {
            msg << "error " << e.what();
        }
        auto s = msg.str();
        if (::write(fds[1], s.data(), s.size()) < 0) {
        }
        ::_exit(0);
    }
    ::close(fds[1]);
    std::string text;
    char buf[512];
    ssize_t n;
    while ((n = ::read(fds[0], buf, sizeof buf)) > 0) text.append(buf, static_cast<std::size_t>(n));
    ::close(fds[0]);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::istringstream in(text);
    std::string tag;
    in >> tag;
    if (tag != "ok") throw std::runtime_error(strategy + ": " + (text.empty() ? "child died" : text));
    run_result r;
    in >> r.seconds >> r.first_row_seconds >> r.rows >> r.bytes >> r.peak_rss_kib >> r.client_cpu_seconds;
    return r;
}

}  // namespace

int
main(int argc, char** argv)
{
    std::string url;
    long rows = 1'000'000;
    int repeat = 3;
    std::string strategies = "copy-all,copy-unsorted,copy-sorted,copy-cast,cursor,single-row,copy-binary,reader";
    setup su;
    po::options_description desc("model_read_bench");
    desc.add_options()("help", "this text")(
        "url", po::value(&url),
        "warehouse URL of a role that may create schema bench (default: HUBSYNC_PG_ADMIN_URL on database warehouse)")(
        "rows", po::value(&rows), "model size: 1000000 uses bench.contacts_1m, 5000000 bench.contacts_5m")(
        "repeat", po::value(&repeat), "runs per strategy; the median is reported")(
        "strategies", po::value(&strategies), "comma-separated subset of the strategies")(
        "batch", po::value(&su.batch), "rows per next() / FETCH");
    po::variables_map vm;
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
    if (vm.count("help")) {
        std::cout << desc << "\n";
        return 0;
    }
    try {
        if (url.empty()) {
            const char* admin = std::getenv("HUBSYNC_PG_ADMIN_URL");
            if (!admin) throw std::runtime_error("give --url or set HUBSYNC_PG_ADMIN_URL");
            url = with_database(admin, "warehouse");
        }
        su.url = url;
        su.table = rows == 1'000'000   ? "bench.contacts_1m"
                   : rows == 5'000'000 ? "bench.contacts_5m"
                                       : "bench.contacts_" + std::to_string(rows);
        ensure_table(url, su.table, rows);
        su.model_sql = "SELECT * FROM " + su.table;
        for (auto& c : describe(url, su.model_sql, {}))
            if (std::find(mapped.begin(), mapped.end(), c.name) != mapped.end()) su.columns.push_back(c);

        std::vector<std::string> list;
        std::istringstream split(strategies);
        for (std::string s; std::getline(split, s, ',');) list.push_back(s);

        std::cout << "table " << su.table << ", " << su.columns.size() << " mapped columns, batch " << su.batch
                  << ", " << repeat << " runs each\n";
        run_in_child(su, "copy-all");   // warm the caches; not reported
        std::map<std::string, std::vector<run_result>> results;
        // Interleaved so that drift from other work on the machine spreads over all strategies.
        for (int i = 0; i < repeat; ++i)
            for (const auto& s : list) {
                auto r = run_in_child(su, s);
                std::cout << "  run " << i + 1 << ' ' << std::left << std::setw(14) << s << std::right << std::fixed
                          << std::setprecision(2) << r.seconds << " s\n"
                          << std::flush;
                results[s].push_back(r);
            }
        std::cout << "\n" << std::left << std::setw(15) << "strategy" << std::right << std::setw(10) << "seconds"
                  << std::setw(12) << "rows/s" << std::setw(14) << "first row s" << std::setw(14) << "peak RSS MiB"
                  << std::setw(10) << "COPY MB" << std::setw(14) << "client CPU s" << "   runs (s)\n";
        for (const auto& s : list) {
            auto v = results[s];
            std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.seconds < b.seconds; });
            const auto& m = v[v.size() / 2];
            std::cout << std::left << std::setw(15) << s << std::right << std::fixed << std::setprecision(2)
                      << std::setw(10) << m.seconds << std::setw(12) << std::setprecision(0)
                      << static_cast<double>(m.rows) / m.seconds << std::setw(14) << std::setprecision(2)
                      << m.first_row_seconds << std::setw(14) << std::setprecision(1)
                      << static_cast<double>(m.peak_rss_kib) / 1024.0 << std::setw(10)
                      << (m.bytes ? std::to_string(m.bytes / 1'000'000) : std::string("-")) << std::setw(14)
                      << std::setprecision(2)
                      << m.client_cpu_seconds << "   ";
            for (const auto& r : results[s]) std::cout << std::setprecision(2) << r.seconds << ' ';
            std::cout << "\n";
        }
    } catch (const std::exception& e) {
        std::cerr << "model_read_bench: " << e.what() << "\n";
        return 1;
    }
}
