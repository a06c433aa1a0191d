#pragma once
#include <nlohmann/json.hpp>

#include <chrono>
#include <string>
#include <vector>

namespace hubsync::connectors::postgres {

// Blocking calls against a user's warehouse; run them on the warehouse thread pool. Every failure is a
// core::error{unprocessable} whose message says what went wrong in the user's terms (connect, SQL, timeout),
// never containing the connection string.

struct column {
    std::string name;
    std::string type;   // PostgreSQL's type name, e.g. "text", "timestamp with time zone", "integer[]"
};

struct connection_test {
    std::string server_version;
    double latency_ms = 0;
};

struct query_limits {
    std::chrono::milliseconds statement_timeout{30'000};
    int connect_timeout_seconds = 10;
    // model_reader only: how long a streaming read may wait for its first row (the server sorts the whole model
    // before it sends one); the streaming itself has no statement timeout. Zero: no limit.
    std::chrono::milliseconds first_row_timeout{std::chrono::minutes(30)};
};

// Connects and runs SELECT 1 in a read-only transaction.
connection_test test_connection(const std::string& dsn, const query_limits& limits);

// The columns the model SQL produces, without reading rows (LIMIT 0). Duplicate column names are an error:
// mappings could not tell them apart.
std::vector<column> describe(const std::string& dsn, const std::string& model_sql, const query_limits& limits);

struct preview_result {
    std::vector<column> columns;
    nlohmann::json rows;  // array of objects keyed by column name, values as PostgreSQL renders them in JSON
};

// Up to `limit` rows of the model, read in a read-only transaction under the statement timeout.
preview_result preview(const std::string& dsn, const std::string& model_sql, int limit, const query_limits& limits);

// The model SQL as it will be wrapped in a subquery: surrounding whitespace and trailing semicolons removed.
std::string normalise_model_sql(const std::string& sql);

}  // namespace hubsync::connectors::postgres
