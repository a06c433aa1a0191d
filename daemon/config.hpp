#pragma once
#include <cstddef>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace hubsync::daemon {

// Everything hubsyncd is told at start. Each field is a flag (--database-url), an environment variable
// (HUBSYNC_DATABASE_URL) and a key of the optional JSON config file (database_url); flags win over the
// environment, which wins over the file, which wins over the defaults below.
struct config {
    std::string database_url;                 // required: the state database (libpq URL or key=value string)
    std::string secret_key;                   // required: base64 of 32 random bytes; seals stored secrets
    std::vector<std::string> api_tokens;      // required: bearer tokens for /v1, comma-separated, each >= 16 chars
    std::string listen = "127.0.0.1:8080";    // host:port of the REST API
    std::string log_level = "info";           // trace | debug | info | warn | error | critical | off
    std::string log_format = "text";          // text | json
    std::string oauth_client_id;              // HubSpot OAuth app (optional)
    std::string oauth_client_secret;
    std::string oauth_redirect_url;           // where HubSpot sends the browser back: https://<you>/v1/oauth/callback
    std::string oauth_authorize_url = "https://app.hubspot.com/oauth/authorize";
    std::string hubspot_base_url = "https://api.hubapi.com";  // the HubSpot API (tests: the emulator)
    std::string hubspot_api_version = "v3";   // v3 (v3/v4 paths) or a dated version such as 2026-03
    std::string hubspot_ca_file;              // trust these CAs instead of the system store (tests)
    int hubspot_rate_headroom_percent = 0;    // share of each portal's rate window left to other integrations
    int io_threads = 2;                       // threads running network I/O; >= 1
    int db_pool_size = 4;                     // state-database connections (and threads); >= 1
    int warehouse_pool_size = 4;              // concurrent warehouse queries from the API; >= 1
    std::size_t max_body_bytes = 1024 * 1024; // larger request bodies get 413
    int header_timeout_seconds = 30;          // request headers, and keep-alive idle time
    int body_timeout_seconds = 30;
    int statement_timeout_ms = 30000;         // model SQL run by the API (preview, checks)
    int preview_max_rows = 1000;
    int shutdown_grace_seconds = 20;          // requests in flight get this long after SIGTERM
    int max_concurrent_runs = 4;              // runs executing at once (across all syncs)
    int run_lease_seconds = 30;               // a run whose daemon went silent this long is recovered
    int batches_in_flight = 4;                // per run: batches awaiting HubSpot at once
    int search_settle_seconds = 60;           // search lags behind writes: a lost create is searched for this long
};

class config_error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// What the command line asked for besides running.
struct command_line {
    bool help = false;
    bool version = false;
    std::string help_text;
};

// Builds the configuration from argv, the environment (`env`, normally ::environ) and the --config file.
// Throws config_error naming the setting and what is wrong, never echoing secret values.
config load_config(int argc, const char* const* argv, const std::map<std::string, std::string>& env,
                   command_line& cmd);

// The process environment as a map.
std::map<std::string, std::string> process_environment();

struct endpoint_spec {
    std::string host;
    unsigned short port = 0;
};
// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:80"; throws config_error.
endpoint_spec parse_listen(const std::string& listen);

}  // namespace hubsync::daemon
