#pragma once
#include "tests/support/daemon_process.hpp"
#include "tests/support/emulator_fixture.hpp"
#include "tests/support/http_client.hpp"
#include "tests/support/test_database.hpp"

#include <memory>

namespace hubsync::test {

inline constexpr const char* test_token = "test-token-0123456789abcdef";
// base64 of 32 bytes 0x01..0x20: fixed so tests can seal/open the way the daemon does.
inline constexpr const char* test_secret_key = "AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcYGRobHB0eHyA=";

// A running hubsyncd on a fresh state database, pointed at a freshly reset HubSpot emulator, and helpers to
// call its API.
using env_map = std::map<std::string, std::string>;

class daemon_fixture {
public:
    // `extra_env` overrides or adds HUBSYNC_* settings.
    explicit daemon_fixture(std::map<std::string, std::string> extra_env = {});

    http_result api(const std::string& method, const std::string& target, const std::string& body = {}) const;
    http_result api(const std::string& method, const std::string& target, const nlohmann::json& body) const;

    // Creates the demo source / a model over demo.contacts and returns their ids.
    std::int64_t create_demo_source(const std::string& name = "demo") const;
    std::int64_t create_contacts_model(std::int64_t source_id, const std::string& name = "contacts") const;
    std::int64_t create_destination(const std::string& name = "hubspot") const;

    // Kills hubsyncd with `sig` (SIGKILL: no chance to clean up) and starts it again on the same state database
    // and port.
    void restart(int sig);

    unsigned short port() const { return port_; }
    test_database& database() { return *db_; }
    daemon_process& process() { return *process_; }
    emulator_fixture& emulator() { return emulator_; }

private:
    emulator_fixture emulator_;
    std::unique_ptr<test_database> db_;
    unsigned short port_ = 0;
    std::map<std::string, std::string> env_;
    std::unique_ptr<daemon_process> process_;
};

}  // namespace hubsync::test
