#include "connectors/postgres/model_reader.hpp"

#include "core/dsn.hpp"

#include <libpq-fe.h>
#include <openssl/ssl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <exception>
#include <stdexcept>
#include <string_view>
#include <system_error>

// Why COPY text read with raw libpq rather than libpqxx: libpqxx 6.4 keeps the connection's PGconn private, and
// its stream_from copies every line into a std::string and splits it again; a FETCH cursor materialises each batch
// as a PGresult and pays a round trip per batch. bench/RESULTS.md "Model reading" has the measurements.

namespace hubsync::connectors::postgres {

namespace {
using core::errc;
using clock = std::chrono::steady_clock;

struct result_deleter {
    void operator()(PGresult* r) const noexcept { PQclear(r); }
};
using result_ptr = std::unique_ptr<PGresult, result_deleter>;

struct copy_data_deleter {
    void operator()(char* p) const noexcept { PQfreemem(p); }
};

std::string
first_line(std::string m)
{
    for (const char* prefix : {"ERROR:", "FATAL:"})
        if (m.rfind(prefix, 0) == 0) m.erase(0, std::strlen(prefix));
    while (!m.empty() && m.front() == ' ') m.erase(0, 1);
    auto nl = m.find('\n');
    if (nl != std::string::npos) m.resize(nl);
    return m;
}

int
hex_digit(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

// COPY TO only emits \b \f \n \r \t \v and \\, but the format also allows octal and hex escapes and a backslash
// before any other character; decode them all so the parser never depends on the server's choice.
void
unescape(const char* p, const char* end, std::string& s)
{
    while (p < end) {
        const char* bs = static_cast<const char*>(std::memchr(p, '\\', static_cast<std::size_t>(end - p)));
        if (!bs) {
            s.append(p, end);
            return;
        }
        s.append(p, bs);
        p = bs + 1;
        if (p == end) {
            s.push_back('\\');
            return;
        }
        char c = *p++;
        switch (c) {
        case 'b': s.push_back('\b'); break;
        case 'f': s.push_back('\f'); break;
        case 'n': s.push_back('\n'); break;
        case 'r': s.push_back('\r'); break;
        case 't': s.push_back('\t'); break;
        case 'v': s.push_back('\v'); break;
        case 'x':
            if (p < end && hex_digit(*p) >= 0) {
                int v = hex_digit(*p++);
                if (p < end && hex_digit(*p) >= 0) v = v * 16 + hex_digit(*p++);
                s.push_back(static_cast<char>(v));
            } else {
                s.push_back('x');
            }
            break;
        default:
            if (c >= '0' && c <= '7') {
                int v = c - '0';
                for (int i = 0; i < 2 && p < end && *p >= '0' && *p <= '7'; ++i) v = v * 8 + (*p++ - '0');
                s.push_back(static_cast<char>(v));
            } else {
                s.push_back(c);
            }
        }
    }
}

void
decode_field(const char* b, const char* e, std::optional<std::string>& dst)
{
    if (e - b == 2 && b[0] == '\\' && b[1] == 'N') {
        dst.reset();
        return;
    }
    std::string& s = dst ? *dst : dst.emplace();
    if (!std::memchr(b, '\\', static_cast<std::size_t>(e - b))) {
        s.assign(b, e);
        return;
    }
    s.clear();
    unescape(b, e, s);
}

bool
is_array_type(const std::string& type)
{
    return type.ends_with("[]");
}

// Built-in types (as format_type names them, with or without a modifier) whose cast to text is their output
// function, so COPY renders them exactly as ::text would. Sending them uncast lets the server sort their compact
// binary form and render them after the sort, in the process that sends; measured ~8 % faster at 1M rows and
// first rows sooner (bench/RESULTS.md). boolean, character(n), "char", name, inet and cidr have cast functions
// that differ from their output (true/t, trimmed padding, /32), and a domain or user type could be anything:
// those keep ::text.
bool
renders_like_text_cast(const std::string& type)
{
    static constexpr std::string_view same[] = {
        "text", "character varying", "integer", "bigint", "smallint", "numeric", "real", "double precision",
        "date", "timestamp", "time", "interval", "uuid", "json", "jsonb", "bytea", "money", "xml", "oid"};
    for (auto name : same)
        if (type.starts_with(name) && (type.size() == name.size() || type[name.size()] == '(' ||
                                       type[name.size()] == ' '))
            return true;
    return false;
}

core::error
connection_lost(PGconn* conn)
{
    return core::error(errc::unprocessable, "the connection to the source was lost: " + first_line(PQerrorMessage(conn)));
}

core::error
sql_failure(const PGresult* r)
{
    const char* primary = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
    std::string message = primary ? primary : first_line(PQresultErrorMessage(r));
    const char* sqlstate = PQresultErrorField(r, PG_DIAG_SQLSTATE);
    // 57014 here is never our own cancel (that surfaces as read_cancelled first): an administrator or the
    // warehouse itself stopped the query.
    if (sqlstate && std::strcmp(sqlstate, "57014") == 0)
        return core::error(errc::unprocessable, "the warehouse cancelled the model query: " + message,
                           {{"sql", message}});
    return core::error(errc::unprocessable, "the model query failed: " + message, {{"sql", message}});
}
}  // namespace

std::string
quote_identifier(const std::string& name)
{
    std::string out;
    out.reserve(name.size() + 2);
    out.push_back('"');
    for (char c : name) {
        if (c == '"') out.push_back('"');
        out.push_back(c);
    }
    out.push_back('"');
    return out;
}

void
decode_copy_text_row(const char* data, std::size_t size, std::size_t value_count, model_row& row)
{
    const char* p = data;
    const char* end = data + size;
    if (p != end && end[-1] == '\n') --end;
    row.values.resize(value_count);
    for (std::size_t i = 0; i <= value_count; ++i) {
        const char* tab = static_cast<const char*>(std::memchr(p, '\t', static_cast<std::size_t>(end - p)));
        bool last = i == value_count;
        if (last == (tab != nullptr))
            throw core::error(errc::unprocessable, "the warehouse sent a row with an unexpected number of fields");
        const char* field_end = tab ? tab : end;
        decode_field(p, field_end, i == 0 ? row.pk : row.values[i - 1]);
        if (tab) p = tab + 1;
    }
}

//------------------------------------------------------------------------------

struct model_reader::state {
    PGconn* conn = nullptr;
    PGcancel* canceller = nullptr;
    SSL* ssl = nullptr;   // libpq's TLS session, when the connection uses one
    // cancel() writes here so a poll() waiting on the warehouse socket wakes without touching the connection,
    // which belongs to the reading thread.
    int wake_fd = -1;
    std::atomic<bool> cancelled{false};
    std::atomic<std::uint64_t> rows{0};
    std::size_t value_count = 0;
    std::optional<clock::time_point> first_row_deadline;
    std::chrono::milliseconds first_row_timeout{0};
    bool copying = false;   // the server may still be working on the COPY
    bool started = false;   // the server announced the COPY
    bool done = false;
    std::exception_ptr failure;

    state() = default;
    state(const state&) = delete;
    state& operator=(const state&) = delete;

    ~state()
    {
        close();
        if (canceller) PQfreeCancel(canceller);
        if (wake_fd >= 0) ::close(wake_fd);
    }

    // Closing the socket alone does not stop a backend that is still sorting: it notices only when it next sends.
    void close() noexcept
    {
        if (!conn) return;
        if (copying && canceller) {
            char err[256];
            PQcancel(canceller, err, sizeof err);
        }
        copying = false;
        PQfinish(conn);
        conn = nullptr;
    }

    void throw_if_cancelled() const
    {
        if (cancelled.load(std::memory_order_acquire)) throw read_cancelled();
    }

    // Waits until the socket is readable, cancel() is called or the first-row deadline passes; then lets libpq
    // read what arrived. Callers loop: a spurious wake only costs a retry.
    void wait_for_input()
    {
        throw_if_cancelled();
        int timeout_ms = -1;
        if (first_row_deadline) {
            auto left = std::chrono::ceil<std::chrono::milliseconds>(*first_row_deadline - clock::now()).count();
            if (left <= 0)
                throw core::error(errc::unprocessable,
                                  "the model query sent no row within the first-row timeout of " +
                                      std::to_string(first_row_timeout.count()) + " ms",
                                  {{"sql", "query timed out"}});
            timeout_ms = static_cast<int>(std::min<long long>(left, INT_MAX));
        }
        // libpq takes at most what fits its buffer from a TLS record; the rest waits inside OpenSSL where poll()
        // cannot see it, and the stream's last messages could wait there for ever. libpq's own waits check
        // SSL_pending for this reason (pqSocketCheck).
        if (ssl && SSL_pending(ssl) > 0) {
            if (!PQconsumeInput(conn)) throw connection_lost(conn);
            return;
        }
        pollfd fds[2] = {{PQsocket(conn), POLLIN, 0}, {wake_fd, POLLIN, 0}};
        int r = ::poll(fds, 2, timeout_ms);
        if (r < 0) {
            if (errno == EINTR) return;
            throw core::error(errc::unprocessable,
                              std::string("waiting for the source failed: ") + std::strerror(errno));
        }
        throw_if_cancelled();
        if (r > 0 && !PQconsumeInput(conn)) throw connection_lost(conn);
    }

    result_ptr next_result()
    {
        while (PQisBusy(conn)) wait_for_input();
        return result_ptr(PQgetResult(conn));
    }

    void send(const std::string& sql)
    {
        if (!PQsendQuery(conn, sql.c_str())) throw connection_lost(conn);
    }

    // The COPY's first answer: the announcement, or the error that stopped the query before its first row.
    void start_copy()
    {
        auto r = next_result();
        if (!r) throw connection_lost(conn);
        if (PQresultStatus(r.get()) != PGRES_COPY_OUT) {
            copying = false;
            throw sql_failure(r.get());
        }
        started = true;
    }

    // The copy ended: its final result says whether the whole query succeeded.
    void finish_copy()
    {
        copying = false;
        auto r = next_result();
        if (!r) throw connection_lost(conn);
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK) throw sql_failure(r.get());
        while (next_result()) {
        }
        done = true;
        // The read-only transaction has nothing to commit; ending the session releases its snapshot now rather
        // than when the caller drops the reader.
        close();
    }
};

model_reader::model_reader(const std::string& dsn, const std::string& model_sql, const std::string& primary_key,
                           std::vector<column> columns, const query_limits& limits)
    : s_(std::make_unique<state>())
{
    s_->value_count = columns.size();
    s_->first_row_timeout = limits.first_row_timeout;
    s_->wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (s_->wake_fd < 0) throw std::system_error(errno, std::generic_category(), "eventfd");
    auto copy = "COPY (" + select_sql(model_sql, primary_key, columns) + ") TO STDOUT";

    s_->conn = PQconnectdb(core::with_connect_timeout(dsn, limits.connect_timeout_seconds).c_str());
    if (!s_->conn) throw std::bad_alloc();
    if (PQstatus(s_->conn) != CONNECTION_OK)
        throw core::error(errc::unprocessable,
                          "cannot connect to the source: " + first_line(core::hide_dsn(PQerrorMessage(s_->conn), dsn)));
    s_->canceller = PQgetCancel(s_->conn);
    s_->ssl = static_cast<SSL*>(PQsslStruct(s_->conn, "OpenSSL"));
    if (limits.first_row_timeout.count() > 0) s_->first_row_deadline = clock::now() + limits.first_row_timeout;

    // The settings fix how values render, so a role's own DateStyle or extra_float_digits cannot change every
    // row's hash. statement_timeout is set apart from the COPY because servers before 13 apply the timeout in force
    // at the start of a multi-statement message to all of it.
    s_->send("SET client_encoding = 'UTF8'; "
             "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY; "
             "SET LOCAL TimeZone = 'UTC'; SET LOCAL DateStyle = 'ISO, MDY'; SET LOCAL IntervalStyle = 'postgres'; "
             "SET LOCAL extra_float_digits = 1; SET LOCAL bytea_output = 'hex'; SET LOCAL statement_timeout = 0");
    std::optional<core::error> setup_error;
    while (auto r = s_->next_result())
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK && !setup_error) setup_error = sql_failure(r.get());
    if (setup_error) throw *setup_error;

    // Not waiting for the answer here: the server announces the COPY only with its first row, after sorting the
    // whole model, and only a constructed reader can be cancelled.
    s_->send(copy);
    s_->copying = true;
}

model_reader::~model_reader() = default;

void
model_reader::next(std::vector<model_row>& out, std::size_t max_rows)
{
    if (max_rows == 0) throw std::invalid_argument("model_reader::next: max_rows must be > 0");
    auto& s = *s_;
    if (s.failure) std::rethrow_exception(s.failure);
    try {
        s.throw_if_cancelled();
        if (!s.started) s.start_copy();
        std::size_t n = 0;
        while (!s.done && n < max_rows) {
            char* raw = nullptr;
            int len = PQgetCopyData(s.conn, &raw, 1);
            if (len > 0) {
                std::unique_ptr<char, copy_data_deleter> owned(raw);
                if (n == out.size()) out.emplace_back();
                decode_copy_text_row(raw, static_cast<std::size_t>(len), s.value_count, out[n]);
                ++n;
                s.first_row_deadline.reset();
                // Rows can arrive faster than we parse them, so a wait (which checks too) may never come.
                s.throw_if_cancelled();
            } else if (len == 0) {
                s.wait_for_input();
            } else if (len == -1) {
                s.finish_copy();
            } else {
                throw connection_lost(s.conn);
            }
        }
        out.resize(n);
        s.rows.fetch_add(n, std::memory_order_relaxed);
    } catch (...) {
        s.failure = std::current_exception();
        s.close();
        throw;
    }
}

std::uint64_t
model_reader::rows_read() const
{
    return s_->rows.load(std::memory_order_relaxed);
}

void
model_reader::cancel()
{
    s_->cancelled.store(true, std::memory_order_release);
    std::uint64_t one = 1;
    // EAGAIN means the counter is already non-zero: the reader is awake either way.
    if (::write(s_->wake_fd, &one, sizeof one) < 0) {
    }
}

std::string
model_reader::select_sql(const std::string& model_sql, const std::string& primary_key,
                         const std::vector<column>& columns)
{
    const std::string alias = "hubsync_model.";
    std::string sql = "SELECT (" + alias + quote_identifier(primary_key) + ")::text COLLATE \"C\"";
    for (const auto& c : columns) {
        auto ref = alias + quote_identifier(c.name);
        if (is_array_type(c.type))
            sql += ", array_to_json(" + ref + ")::text";
        else if (renders_like_text_cast(c.type))
            sql += ", " + ref;
        else
            sql += ", (" + ref + ")::text";
    }
    // The newline keeps a trailing "-- comment" in the model from swallowing the closing parenthesis.
    return sql + " FROM (" + normalise_model_sql(model_sql) + "\n) AS hubsync_model ORDER BY 1";
}

}  // namespace hubsync::connectors::postgres
