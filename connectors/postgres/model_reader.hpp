#pragma once
#include "connectors/postgres/warehouse.hpp"
#include "core/error.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::connectors::postgres {

// One model row as text, the way the planner hashes and the jobs convert it.
struct model_row {
    std::optional<std::string> pk;                      // nullopt: the model's primary key is NULL in this row
    std::vector<std::optional<std::string>> values;     // one per reader column, in the reader's order
};

// Thrown by model_reader::next() once cancel() was called: the run was cancelled, the warehouse did not fail.
class read_cancelled : public core::error {
public:
    read_cancelled() : core::error(core::errc::unprocessable, "reading the model was cancelled") {}
};

// Streams a model's rows in primary-key byte order ("C" collation) with bounded memory, for the planner's
// merge-join against row state (DESIGN §2). Blocking: run it on the warehouse thread pool. Not thread-safe except
// for cancel() and rows_read().
//
// Order: ascending by the primary key rendered as text, compared byte by byte; rows whose primary key is NULL come
// last. Rows are passed through as they are: a NULL or duplicate primary key is for the planner to report.
//
// Values are PostgreSQL's text rendering with TimeZone=UTC, DateStyle=ISO, IntervalStyle=postgres,
// extra_float_digits=1 and bytea_output=hex set for the transaction, so the rendering (and the change hash built on
// it) does not depend on the warehouse role's own settings: timestamptz "2026-01-02 03:04:05+00", date "2026-01-02",
// boolean "true"/"false", numeric as stored. Array columns come as JSON text (array_to_json: ["a","b"], [1,2]).
//
// Every failure is a core::error{unprocessable} naming the cause (connect, SQL error text, lost connection,
// first-row timeout), never containing the connection string; read_cancelled after cancel(). After a failure the
// reader stays failed: next() throws the same error again.
class model_reader {
public:
    // Connects, opens a read-only REPEATABLE READ transaction (one snapshot for the whole read) with no statement
    // timeout, since a run over millions of rows takes minutes, and sends
    //   COPY (SELECT (pk)::text COLLATE "C", <columns as text> FROM (<model sql>) AS hubsync_model ORDER BY 1)
    // without waiting for it: the server answers only once it has sorted the whole model, and until the constructor
    // returns nobody could cancel the wait. So errors in the model SQL (a syntax error, a missing column) throw from
    // the first next(); connect failures throw here. `limits.connect_timeout_seconds` bounds the connect,
    // `limits.first_row_timeout` the time from here until the first row.
    // `columns`: the mapped columns with their type names from describe(). "…[]" types are rendered with
    // array_to_json, all others as ::text would render them (built-in types whose ::text is their output function
    // are left to COPY, which renders them identically after the sort). `primary_key` need not be among them.
    model_reader(const std::string& dsn, const std::string& model_sql, const std::string& primary_key,
                 std::vector<column> columns, const query_limits& limits);
    // Stops the server's work if the read did not finish (PQcancel), then closes the connection.
    ~model_reader();
    model_reader(const model_reader&) = delete;
    model_reader& operator=(const model_reader&) = delete;

    // Replaces `out` with the next rows, at most `max_rows` (> 0); `out` is empty at the end of the model. The rows'
    // strings and vectors already in `out` are reused, so a steady loop allocates little.
    void next(std::vector<model_row>& out, std::size_t max_rows);

    // Rows returned so far; safe to call from another thread (progress reporting).
    std::uint64_t rows_read() const;

    // Safe from any thread, never blocks: a next() waiting for the warehouse wakes at once and throws
    // read_cancelled, as does every later next(); the server's query is cancelled by that next() or the destructor.
    // The reader must outlive the call.
    void cancel();

    // The SELECT the reader wraps in COPY, for logs, tests and the benchmark.
    static std::string select_sql(const std::string& model_sql, const std::string& primary_key,
                                  const std::vector<column>& columns);

private:
    struct state;
    std::unique_ptr<state> s_;
};

// SQL identifier quoting ("a""b"), independent of any connection.
std::string quote_identifier(const std::string& name);

// Decodes one row of COPY's text format (tab-separated, \N for NULL, backslash escapes; a trailing newline is
// ignored) into `row`, reusing its strings. Exposed for unit tests; throws core::error when the row does not have
// 1 + `value_count` fields.
void decode_copy_text_row(const char* data, std::size_t size, std::size_t value_count, model_row& row);

}  // namespace hubsync::connectors::postgres
