#include "daemon/config.hpp"

#include <catch2/catch.hpp>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

namespace {

using hubsync::daemon::command_line;
using hubsync::daemon::config;
using hubsync::daemon::config_error;
using hubsync::daemon::load_config;
using hubsync::daemon::parse_listen;
using env_map = std::map<std::string, std::string>;

// Distinctive, so a test can prove no message ever shows it.
const std::string secret = "S3cretKeyMaterialZZZZ/abcdefghijklmnopqrstuvw=";
const std::string token_a = "token-aaaaaaaaaaaaaaaa";
const std::string token_b = "token-bbbbbbbbbbbbbbbb";

env_map
minimal_env()
{
    return {{"HUBSYNC_DATABASE_URL", "postgresql://hubsync@localhost/hubsync"},
            {"HUBSYNC_SECRET_KEY", secret},
            {"HUBSYNC_API_TOKENS", token_a}};
}

config
load(std::vector<std::string> args, const env_map& env, command_line* cmd_out = nullptr)
{
    args.insert(args.begin(), "hubsyncd");
    std::vector<const char*> argv;
    for (const auto& a : args) argv.push_back(a.c_str());
    argv.push_back(nullptr);
    command_line cmd;
    auto c = load_config(static_cast<int>(args.size()), argv.data(), env, cmd);
    if (cmd_out) *cmd_out = cmd;
    return c;
}

// The config_error message load() throws; fails when it throws nothing or something else.
std::string
load_error(std::vector<std::string> args, const env_map& env)
{
    try {
        load(std::move(args), env);
    } catch (const config_error& e) {
        return e.what();
    }
    FAIL("expected a config_error");
    return {};
}

bool
contains(const std::string& haystack, const std::string& needle)
{
    return haystack.find(needle) != std::string::npos;
}

// A JSON file in the temp directory, removed at scope exit.
class temp_file {
public:
    explicit temp_file(const std::string& content)
    {
        static std::atomic<int> counter{0};
        path_ = (std::filesystem::temp_directory_path() /
                 ("hubsync-config-test-" + std::to_string(::getpid()) + "-" + std::to_string(counter++) + ".json"))
                    .string();
        std::ofstream out(path_);
        out << content;
    }
    ~temp_file()
    {
        std::error_code ec;
        std::filesystem::remove(path_, ec);
    }
    temp_file(const temp_file&) = delete;
    temp_file& operator=(const temp_file&) = delete;
    const std::string& path() const { return path_; }

private:
    std::string path_;
};

}  // namespace

//----------------------------------------------------------------------------------------------------------------------
// Sources and precedence

TEST_CASE("load_config reads the environment and fills defaults", "[daemon][config]")
{
    const auto c = load({}, minimal_env());
    CHECK(c.database_url == "postgresql://hubsync@localhost/hubsync");
    CHECK(c.secret_key == secret);
    CHECK(c.api_tokens == std::vector<std::string>{token_a});
    CHECK(c.listen == "127.0.0.1:8080");
    CHECK(c.log_level == "info");
    CHECK(c.log_format == "text");
    CHECK(c.io_threads == 2);
    CHECK(c.db_pool_size == 4);
    CHECK(c.max_body_bytes == 1024 * 1024);
    CHECK(c.shutdown_grace_seconds == 20);
}

TEST_CASE("flags win over the environment", "[daemon][config]")
{
    auto env = minimal_env();
    env["HUBSYNC_LISTEN"] = "0.0.0.0:9000";
    env["HUBSYNC_LOG_LEVEL"] = "warn";
    env["HUBSYNC_IO_THREADS"] = "3";
    const auto c = load({"--listen", "127.0.0.1:7000", "--log-level=debug", "--database-url", "host=flag"}, env);
    CHECK(c.listen == "127.0.0.1:7000");
    CHECK(c.log_level == "debug");
    CHECK(c.database_url == "host=flag");
    CHECK(c.io_threads == 3);  // only in the environment
}

TEST_CASE("an empty environment variable counts as unset", "[daemon][config]")
{
    auto env = minimal_env();
    env["HUBSYNC_LOG_LEVEL"] = "";
    env["HUBSYNC_IO_THREADS"] = "";
    const auto c = load({}, env);
    CHECK(c.log_level == "info");
    CHECK(c.io_threads == 2);
}

TEST_CASE("the config file is below the environment and the flags", "[daemon][config]")
{
    temp_file file(R"({
        "database_url": "host=file",
        "listen": "0.0.0.0:8181",
        "log_level": "error",
        "log_format": "json",
        "io_threads": 6,
        "db_pool_size": "8",
        "api_tokens": ["token-from-file-000000", "token-from-file-111111"]
    })");
    auto env = minimal_env();
    env.erase("HUBSYNC_DATABASE_URL");
    env.erase("HUBSYNC_API_TOKENS");
    env["HUBSYNC_LOG_LEVEL"] = "warn";
    const auto c = load({"--config", file.path(), "--io-threads", "5"}, env);
    CHECK(c.database_url == "host=file");
    CHECK(c.listen == "0.0.0.0:8181");
    CHECK(c.log_level == "warn");  // env beats file
    CHECK(c.log_format == "json");
    CHECK(c.io_threads == 5);      // flag beats file
    CHECK(c.db_pool_size == 8);
    CHECK(c.api_tokens == std::vector<std::string>{"token-from-file-000000", "token-from-file-111111"});
}

TEST_CASE("HUBSYNC_CONFIG names the config file when --config is absent", "[daemon][config]")
{
    temp_file from_env(R"({"listen": "127.0.0.1:1111"})");
    temp_file from_flag(R"({"listen": "127.0.0.1:2222"})");
    auto env = minimal_env();
    env["HUBSYNC_CONFIG"] = from_env.path();
    CHECK(load({}, env).listen == "127.0.0.1:1111");
    CHECK(load({"--config", from_flag.path()}, env).listen == "127.0.0.1:2222");
}

TEST_CASE("config file problems are config_errors", "[daemon][config]")
{
    SECTION("unknown key")
    {
        temp_file file(R"({"listen": "127.0.0.1:8080", "listne": "x"})");
        const auto message = load_error({"--config", file.path()}, minimal_env());
        CHECK(contains(message, "unknown key 'listne'"));
        CHECK(contains(message, file.path()));
    }
    SECTION("missing file")
    {
        const auto message = load_error({"--config", "/nonexistent/hubsync.json"}, minimal_env());
        CHECK(message == "cannot read the config file '/nonexistent/hubsync.json'");
    }
    SECTION("malformed JSON")
    {
        temp_file file(R"({"listen": )");
        CHECK(contains(load_error({"--config", file.path()}, minimal_env()), "is not valid JSON (at byte"));
    }
    SECTION("not an object")
    {
        temp_file file(R"(["listen"])");
        CHECK(contains(load_error({"--config", file.path()}, minimal_env()), "must hold a JSON object"));
    }
    SECTION("wrong value type")
    {
        temp_file file(R"({"io_threads": 2.5})");
        CHECK(load_error({"--config", file.path()}, minimal_env()) ==
              "the config file key 'io_threads' must be a string or an integer");
    }
    SECTION("non-string token in the list")
    {
        temp_file file(R"({"api_tokens": ["token-aaaaaaaaaaaaaaaa", 5]})");
        CHECK(contains(load_error({"--config", file.path()}, minimal_env()), "api_tokens in"));
    }
    SECTION("a wrongly typed secret is not echoed")
    {
        temp_file file(R"({"secret_key": {"value": "S3cretKeyMaterialZZZZ"}})");
        const auto message = load_error({"--config", file.path()}, minimal_env());
        CHECK(message == "the config file key 'secret_key' must be a string or an integer");
    }
}

//----------------------------------------------------------------------------------------------------------------------
// Required settings and validation

TEST_CASE("missing required settings name the variable and flag to set", "[daemon][config]")
{
    auto no_db = minimal_env();
    no_db.erase("HUBSYNC_DATABASE_URL");
    CHECK(load_error({}, no_db) == "the state database is not configured: set HUBSYNC_DATABASE_URL or --database-url");

    auto no_secret = minimal_env();
    no_secret.erase("HUBSYNC_SECRET_KEY");
    CHECK(load_error({}, no_secret) == "HUBSYNC_SECRET_KEY is not set; generate one with: openssl rand -base64 32");

    auto no_tokens = minimal_env();
    no_tokens.erase("HUBSYNC_API_TOKENS");
    CHECK(load_error({}, no_tokens) ==
          "no API token is configured: set HUBSYNC_API_TOKENS (comma-separated) or --api-tokens");

    auto blank_tokens = minimal_env();
    blank_tokens["HUBSYNC_API_TOKENS"] = " , ,";
    CHECK(contains(load_error({}, blank_tokens), "no API token is configured"));
}

TEST_CASE("api tokens are split on commas and trimmed", "[daemon][config]")
{
    auto env = minimal_env();
    env["HUBSYNC_API_TOKENS"] = "  " + token_a + " ,\t" + token_b + "\t,, ";
    CHECK(load({}, env).api_tokens == std::vector<std::string>{token_a, token_b});
    CHECK(load({"--api-tokens", token_b + "," + token_a}, env).api_tokens ==
          std::vector<std::string>{token_b, token_a});
}

TEST_CASE("a short token is refused by position, without echoing it", "[daemon][config]")
{
    auto env = minimal_env();
    env["HUBSYNC_API_TOKENS"] = token_a + ",short-token-15ch";
    REQUIRE(std::string("short-token-15ch").size() == 16);
    CHECK_NOTHROW(load({}, env));  // 16 characters is enough

    env["HUBSYNC_API_TOKENS"] = token_a + ",short-token-15c";
    const auto message = load_error({}, env);
    CHECK(message == "API token #2 is shorter than 16 characters; use e.g. openssl rand -hex 24");
    CHECK_FALSE(contains(message, "short-token-15c"));
}

TEST_CASE("log level and format must be known values", "[daemon][config]")
{
    for (const char* level : {"trace", "debug", "info", "warn", "error", "critical", "off"})
        CHECK(load({"--log-level", level}, minimal_env()).log_level == level);
    CHECK(load_error({"--log-level", "verbose"}, minimal_env()) ==
          "log_level must be one of trace, debug, info, warn, error, critical, off; got 'verbose'");
    CHECK(contains(load_error({"--log-level", "INFO"}, minimal_env()), "got 'INFO'"));
    CHECK(load({"--log-format", "json"}, minimal_env()).log_format == "json");
    CHECK(load_error({"--log-format", "xml"}, minimal_env()) == "log_format must be text or json; got 'xml'");
}

TEST_CASE("a bad listen address is a config_error", "[daemon][config]")
{
    CHECK(contains(load_error({"--listen", "8080"}, minimal_env()), "listen must be host:port"));
    CHECK(contains(load_error({"--listen", "localhost:http"}, minimal_env()), "got 'http'"));
    CHECK(contains(load_error({"--listen", "localhost:70000"}, minimal_env()), "from 0 to 65535"));
}

TEST_CASE("integer settings are parsed strictly and range-checked", "[daemon][config]")
{
    CHECK(load({"--io-threads", "64"}, minimal_env()).io_threads == 64);
    CHECK(load({"--max-body-bytes", "1024"}, minimal_env()).max_body_bytes == 1024);
    CHECK(load({"--shutdown-grace-seconds", "0"}, minimal_env()).shutdown_grace_seconds == 0);
    CHECK(load({"--statement-timeout-ms", "100"}, minimal_env()).statement_timeout_ms == 100);

    CHECK(load_error({"--io-threads", "abc"}, minimal_env()) == "io_threads must be an integer from 1 to 64, got 'abc'");
    CHECK(load_error({"--io-threads", "0"}, minimal_env()) == "io_threads must be an integer from 1 to 64, got '0'");
    CHECK(load_error({"--io-threads", "65"}, minimal_env()) == "io_threads must be an integer from 1 to 64, got '65'");
    CHECK(contains(load_error({"--io-threads", "4x"}, minimal_env()), "got '4x'"));
    CHECK(contains(load_error({"--io-threads", " 4"}, minimal_env()), "got ' 4'"));
    CHECK(contains(load_error({"--io-threads", "2.0"}, minimal_env()), "got '2.0'"));
    CHECK(contains(load_error({"--db-pool-size", "99999999999999999999"}, minimal_env()), "db_pool_size"));
    CHECK(contains(load_error({"--max-body-bytes", "1023"}, minimal_env()), "max_body_bytes"));

    auto env = minimal_env();
    env["HUBSYNC_PREVIEW_MAX_ROWS"] = "-1";
    CHECK(load_error({}, env) == "preview_max_rows must be an integer from 1 to 100000, got '-1'");
}

//----------------------------------------------------------------------------------------------------------------------
// Command line

TEST_CASE("--help and --version return before any validation", "[daemon][config]")
{
    command_line cmd;
    load({"--help"}, {}, &cmd);
    CHECK(cmd.help);
    CHECK_FALSE(cmd.version);
    CHECK(contains(cmd.help_text, "--database-url"));
    CHECK(contains(cmd.help_text, "[HUBSYNC_DATABASE_URL]"));
    CHECK(contains(cmd.help_text, "--api-tokens"));
    CHECK(contains(cmd.help_text, "--config"));

    command_line short_help;
    load({"-h"}, {}, &short_help);
    CHECK(short_help.help);

    command_line version;
    load({"--version"}, {}, &version);
    CHECK(version.version);
    CHECK_FALSE(version.help);

    command_line none;
    load({}, minimal_env(), &none);
    CHECK_FALSE(none.help);
    CHECK_FALSE(none.version);
}

TEST_CASE("an unknown flag is a config_error that points to --help", "[daemon][config]")
{
    const auto message = load_error({"--no-such-flag"}, minimal_env());
    CHECK(contains(message, "no-such-flag"));
    CHECK(contains(message, "(see --help)"));
    CHECK(contains(load_error({"--listen"}, minimal_env()), "(see --help)"));
}

//----------------------------------------------------------------------------------------------------------------------
// The secret key never shows

TEST_CASE("no config error message contains the secret key", "[daemon][config]")
{
    auto env = minimal_env();  // the secret is always set, so any message could have picked it up

    std::vector<std::string> messages;
    auto no_db = env;
    no_db.erase("HUBSYNC_DATABASE_URL");
    messages.push_back(load_error({}, no_db));
    auto no_tokens = env;
    no_tokens.erase("HUBSYNC_API_TOKENS");
    messages.push_back(load_error({}, no_tokens));
    messages.push_back(load_error({"--log-level", "loud"}, env));
    messages.push_back(load_error({"--log-format", "yaml"}, env));
    messages.push_back(load_error({"--listen", "nowhere"}, env));
    messages.push_back(load_error({"--io-threads", "many"}, env));
    messages.push_back(load_error({"--secret-key"}, env));                      // value missing
    messages.push_back(load_error({"--secret-key", secret, "--secret-key", secret}, env));  // given twice
    temp_file file(R"({"secret_key": ")" + secret + R"(", "bogus": 1})");
    messages.push_back(load_error({"--config", file.path()}, env));
    for (const auto& m : messages) {
        INFO(m);
        CHECK_FALSE(contains(m, secret));
        CHECK_FALSE(contains(m, "S3cretKeyMaterial"));
    }
}

TEST_CASE("a mistyped secret flag does not echo the secret in the error", "[daemon][config]")
{
    // Boost.Program_options quotes the whole offending token ("--secret_key=<value>") in its messages; the
    // config_error built from it must not carry the secret into the start-up log.
    auto env = minimal_env();
    for (const auto& arg : {"--secret_key=" + secret, "--secretkey=" + secret, "--oauth-client=" + secret}) {
        INFO(arg);
        const auto message = load_error({arg}, env);
        CHECK(contains(message, "(see --help)"));
        CHECK_FALSE(contains(message, "S3cretKeyMaterial"));
    }
}

//----------------------------------------------------------------------------------------------------------------------
// parse_listen

TEST_CASE("parse_listen splits IPv4, host name and bracketed IPv6 endpoints", "[daemon][config]")
{
    auto v4 = parse_listen("127.0.0.1:8080");
    CHECK(v4.host == "127.0.0.1");
    CHECK(v4.port == 8080);

    auto any = parse_listen("0.0.0.0:80");
    CHECK(any.host == "0.0.0.0");
    CHECK(any.port == 80);

    auto name = parse_listen("localhost:65535");
    CHECK(name.host == "localhost");
    CHECK(name.port == 65535);

    auto v6 = parse_listen("[::1]:8080");
    CHECK(v6.host == "::1");
    CHECK(v6.port == 8080);

    auto v6_any = parse_listen("[::]:9090");
    CHECK(v6_any.host == "::");
    CHECK(v6_any.port == 9090);

    CHECK(parse_listen("127.0.0.1:0").port == 0);
}

TEST_CASE("parse_listen rejects malformed endpoints", "[daemon][config]")
{
    for (const char* bad : {"", "8080", ":8080", "127.0.0.1:", "127.0.0.1", "127.0.0.1:-1", "127.0.0.1:65536",
                            "127.0.0.1:80a", "127.0.0.1: 80", "[::1]", "[::1]:"}) {
        INFO("'" << bad << "'");
        CHECK_THROWS_AS(parse_listen(bad), config_error);
    }
    CHECK_THROWS_WITH(parse_listen("8080"), "listen must be host:port, e.g. 127.0.0.1:8080; got '8080'");
}

TEST_CASE("parse_listen rejects an IPv6 address that is not in brackets", "[daemon][config]")
{
    // "::1" has no port: splitting at the last ':' would make it host ":" port 1.
    CHECK_THROWS_AS(parse_listen("::1"), config_error);
    // "2001:db8::1" would become host "2001:db8:" port 1.
    CHECK_THROWS_AS(parse_listen("2001:db8::1"), config_error);
}
