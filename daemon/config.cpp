#include "daemon/config.hpp"

#include "hubspot/paths.hpp"

#include <boost/program_options.hpp>
#include <nlohmann/json.hpp>

#include <charconv>
#include <fstream>
#include <regex>
#include <functional>
#include <sstream>

extern char** environ;

namespace hubsync::daemon {

namespace po = boost::program_options;

namespace {
// One row per setting: its key (file), flag and environment names derive from it.
struct setting {
    std::string key;
    std::string help;
    std::function<void(config&, const std::string&)> set;
};

int
to_int(const std::string& key, const std::string& v, int min, int max)
{
    int n = 0;
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || p != v.data() + v.size() || n < min || n > max)
        throw config_error(key + " must be an integer from " + std::to_string(min) + " to " + std::to_string(max) +
                           ", got '" + v + "'");
    return n;
}

std::vector<std::string>
split_tokens(const std::string& v)
{
    std::vector<std::string> out;
    std::stringstream ss(v);
    std::string t;
    while (std::getline(ss, t, ',')) {
        auto b = t.find_first_not_of(" \t");
        auto e = t.find_last_not_of(" \t");
        if (b != std::string::npos) out.push_back(t.substr(b, e - b + 1));
    }
    return out;
}

std::vector<setting>
settings()
{
    return {
        {"database_url", "state database URL (postgresql://...)", [](config& c, const std::string& v) { c.database_url = v; }},
        {"secret_key", "base64 of 32 random bytes; seals stored secrets", [](config& c, const std::string& v) { c.secret_key = v; }},
        {"api_tokens", "comma-separated bearer tokens for the REST API", [](config& c, const std::string& v) { c.api_tokens = split_tokens(v); }},
        {"listen", "host:port of the REST API (default 127.0.0.1:8080)", [](config& c, const std::string& v) { c.listen = v; }},
        {"log_level", "trace|debug|info|warn|error|critical|off (default info)", [](config& c, const std::string& v) { c.log_level = v; }},
        {"log_format", "text|json (default text)", [](config& c, const std::string& v) { c.log_format = v; }},
        {"oauth_client_id", "HubSpot OAuth client id", [](config& c, const std::string& v) { c.oauth_client_id = v; }},
        {"oauth_client_secret", "HubSpot OAuth client secret", [](config& c, const std::string& v) { c.oauth_client_secret = v; }},
        {"oauth_redirect_url", "HubSpot OAuth redirect URL (…/v1/oauth/callback)", [](config& c, const std::string& v) { c.oauth_redirect_url = v; }},
        {"oauth_authorize_url", "HubSpot's OAuth authorize page (default https://app.hubspot.com/oauth/authorize)", [](config& c, const std::string& v) { c.oauth_authorize_url = v; }},
        {"hubspot_base_url", "HubSpot API base URL (default https://api.hubapi.com)", [](config& c, const std::string& v) { c.hubspot_base_url = v; }},
        {"hubspot_api_version", "v3 or a dated API version such as 2026-03 (default v3)", [](config& c, const std::string& v) { c.hubspot_api_version = v; }},
        {"hubspot_ca_file", "PEM file of CAs to trust for HubSpot instead of the system store", [](config& c, const std::string& v) { c.hubspot_ca_file = v; }},
        {"hubspot_rate_headroom_percent", "share of each portal's rate window left to other integrations (default 0)", [](config& c, const std::string& v) { c.hubspot_rate_headroom_percent = to_int("hubspot_rate_headroom_percent", v, 0, 90); }},
        {"io_threads", "network I/O threads (default 2)", [](config& c, const std::string& v) { c.io_threads = to_int("io_threads", v, 1, 64); }},
        {"db_pool_size", "state-database connections (default 4)", [](config& c, const std::string& v) { c.db_pool_size = to_int("db_pool_size", v, 1, 256); }},
        {"warehouse_pool_size", "concurrent warehouse queries from the API (default 4)", [](config& c, const std::string& v) { c.warehouse_pool_size = to_int("warehouse_pool_size", v, 1, 256); }},
        {"max_body_bytes", "request body limit in bytes (default 1048576)", [](config& c, const std::string& v) { c.max_body_bytes = static_cast<std::size_t>(to_int("max_body_bytes", v, 1024, 64 * 1024 * 1024)); }},
        {"header_timeout_seconds", "request header and keep-alive timeout (default 30)", [](config& c, const std::string& v) { c.header_timeout_seconds = to_int("header_timeout_seconds", v, 1, 3600); }},
        {"body_timeout_seconds", "request body timeout (default 30)", [](config& c, const std::string& v) { c.body_timeout_seconds = to_int("body_timeout_seconds", v, 1, 3600); }},
        {"statement_timeout_ms", "time limit of model SQL run by the API (default 30000)", [](config& c, const std::string& v) { c.statement_timeout_ms = to_int("statement_timeout_ms", v, 100, 3600 * 1000); }},
        {"preview_max_rows", "most rows a preview returns (default 1000)", [](config& c, const std::string& v) { c.preview_max_rows = to_int("preview_max_rows", v, 1, 100000); }},
        {"shutdown_grace_seconds", "time requests in flight get after SIGTERM (default 20)", [](config& c, const std::string& v) { c.shutdown_grace_seconds = to_int("shutdown_grace_seconds", v, 0, 3600); }},
        {"max_concurrent_runs", "runs executing at once, across syncs (default 4)", [](config& c, const std::string& v) { c.max_concurrent_runs = to_int("max_concurrent_runs", v, 1, 64); }},
        {"run_lease_seconds", "a run whose daemon stopped renewing its lease this long is failed and queued again (default 30)", [](config& c, const std::string& v) { c.run_lease_seconds = to_int("run_lease_seconds", v, 2, 3600); }},
        {"batches_in_flight", "per run, batches awaiting HubSpot at once (default 4)", [](config& c, const std::string& v) { c.batches_in_flight = to_int("batches_in_flight", v, 1, 32); }},
        {"search_settle_seconds", "a create whose answer was lost is not taken as missing from HubSpot's search until this long after it was sent (default 60)", [](config& c, const std::string& v) { c.search_settle_seconds = to_int("search_settle_seconds", v, 0, 86400); }},
    };
}

std::string
flag_name(const std::string& key)
{
    std::string f = key;
    for (auto& ch : f)
        if (ch == '_') ch = '-';
    return f;
}

std::string
env_name(const std::string& key)
{
    std::string e = "HUBSYNC_";
    for (char ch : key) e += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    return e;
}

void
apply_file(config& c, const std::string& path, const std::vector<setting>& all)
{
    std::ifstream in(path);
    if (!in) throw config_error("cannot read the config file '" + path + "'");
    nlohmann::json j;
    try {
        j = nlohmann::json::parse(in);
    } catch (const nlohmann::json::parse_error& e) {
        throw config_error("the config file '" + path + "' is not valid JSON (at byte " + std::to_string(e.byte) + ")");
    }
    if (!j.is_object()) throw config_error("the config file '" + path + "' must hold a JSON object");
    for (const auto& [key, value] : j.items()) {
        auto it = std::find_if(all.begin(), all.end(), [&](const setting& s) { return s.key == key; });
        if (it == all.end()) throw config_error("the config file '" + path + "' has an unknown key '" + key + "'");
        std::string v;
        if (value.is_string()) v = value.get<std::string>();
        else if (value.is_number_integer()) v = std::to_string(value.get<long long>());
        else if (value.is_array() && key == "api_tokens") {
            for (const auto& t : value) {
                if (!t.is_string()) throw config_error("api_tokens in '" + path + "' must be strings");
                v += (v.empty() ? "" : ",") + t.get<std::string>();
            }
        } else throw config_error("the config file key '" + key + "' must be a string or an integer");
        it->set(c, v);
    }
}

void
validate(const config& c)
{
    if (c.database_url.empty())
        throw config_error("the state database is not configured: set HUBSYNC_DATABASE_URL or --database-url");
    if (c.secret_key.empty())
        throw config_error("HUBSYNC_SECRET_KEY is not set; generate one with: openssl rand -base64 32");
    if (c.api_tokens.empty())
        throw config_error("no API token is configured: set HUBSYNC_API_TOKENS (comma-separated) or --api-tokens");
    for (std::size_t i = 0; i < c.api_tokens.size(); ++i)
        if (c.api_tokens[i].size() < 16)
            throw config_error("API token #" + std::to_string(i + 1) +
                               " is shorter than 16 characters; use e.g. openssl rand -hex 24");
    static const std::vector<std::string> levels{"trace", "debug", "info", "warn", "error", "critical", "off"};
    if (std::find(levels.begin(), levels.end(), c.log_level) == levels.end())
        throw config_error("log_level must be one of trace, debug, info, warn, error, critical, off; got '" +
                           c.log_level + "'");
    if (c.log_format != "text" && c.log_format != "json")
        throw config_error("log_format must be text or json; got '" + c.log_format + "'");
    parse_listen(c.listen);
    if (c.hubspot_base_url.rfind("https://", 0) != 0 && c.hubspot_base_url.rfind("http://", 0) != 0)
        throw config_error("hubspot_base_url must start with https:// or http://; got '" + c.hubspot_base_url + "'");
    if (!hubspot::api_paths::valid_version(c.hubspot_api_version))
        throw config_error("hubspot_api_version must be v3 or YYYY-MM (e.g. 2026-03); got '" + c.hubspot_api_version + "'");
}
}  // namespace

endpoint_spec
parse_listen(const std::string& listen)
{
    auto colon = listen.rfind(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
        throw config_error("listen must be host:port, e.g. 127.0.0.1:8080; got '" + listen + "'");
    endpoint_spec e;
    e.host = listen.substr(0, colon);
    if (e.host.size() > 2 && e.host.front() == '[' && e.host.back() == ']')
        e.host = e.host.substr(1, e.host.size() - 2);
    else if (e.host.find_first_of(":[]") != std::string::npos)
        throw config_error("listen: write an IPv6 address in brackets, e.g. [::1]:8080; got '" + listen + "'");
    e.port = static_cast<unsigned short>(to_int("listen port", listen.substr(colon + 1), 0, 65535));
    return e;
}

std::map<std::string, std::string>
process_environment()
{
    std::map<std::string, std::string> env;
    for (char** e = environ; e && *e; ++e) {
        std::string kv = *e;
        auto eq = kv.find('=');
        if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
    }
    return env;
}

config
load_config(int argc, const char* const* argv, const std::map<std::string, std::string>& env, command_line& cmd)
{
    auto all = settings();
    po::options_description desc("hubsyncd: keeps HubSpot in step with SQL models in PostgreSQL\n\nOptions");
    desc.add_options()("help,h", "show this help")("version", "print the version")(
        "config", po::value<std::string>(), "JSON config file (keys as the flags, with '_')");
    for (const auto& s : all) {
        std::string help = s.help + " [" + env_name(s.key) + "]";
        desc.add_options()(flag_name(s.key).c_str(), po::value<std::string>(), help.c_str());
    }
    po::variables_map vm;
    try {
        // No guessing of abbreviated flags, no stray positional arguments: both hide typos.
        auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
        po::store(po::command_line_parser(argc, argv).options(desc).style(style).positional({}).run(), vm);
    } catch (const po::error& e) {
        // Boost quotes the whole argument, value included: a mistyped --secret-key=... must not be echoed.
        static const std::regex with_value("(--?[A-Za-z0-9_-]+)=[^' ]*");
        throw config_error(std::regex_replace(std::string(e.what()), with_value, "$1=...") + " (see --help)");
    }
    std::ostringstream help;
    help << desc;
    cmd.help_text = help.str();
    cmd.help = vm.count("help") > 0;
    cmd.version = vm.count("version") > 0;
    config c;
    if (cmd.help || cmd.version) return c;

    std::string file;
    if (vm.count("config")) file = vm["config"].as<std::string>();
    else if (auto it = env.find("HUBSYNC_CONFIG"); it != env.end()) file = it->second;
    if (!file.empty()) apply_file(c, file, all);
    for (const auto& s : all)
        if (auto it = env.find(env_name(s.key)); it != env.end() && !it->second.empty()) s.set(c, it->second);
    for (const auto& s : all)
        if (vm.count(flag_name(s.key))) s.set(c, vm[flag_name(s.key)].as<std::string>());
    validate(c);
    return c;
}

}  // namespace hubsync::daemon
