#pragma once
#include "tests/support/emulator_process.hpp"
#include "tests/support/http_client.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <string>
#include <vector>

namespace hubsync::test {

// The private-app token every test emulator is started with (all scopes).
inline constexpr const char* emulator_token = "pat-na1-11111111-2222-3333-4444-555555555555";
inline constexpr unsigned long long emulator_portal_id = 12345678;

// A hubspot-emulator shared by the tests of this process (started on first use) and reset to its start-up state
// for every fixture, plus helpers for its HubSpot and admin APIs.
class emulator_fixture {
public:
    emulator_fixture();

    unsigned short port() const;
    emulator_process& process();

    // A HubSpot call with "Authorization: Bearer <token>" (no header when `token` is empty).
    test::http_result hs(const std::string& method, const std::string& target, const std::string& body = {},
                   const std::string& token = emulator_token) const;
    test::http_result hs(const std::string& method, const std::string& target, const nlohmann::json& body,
                   const std::string& token = emulator_token) const;
    // POST with a form-encoded body (OAuth endpoints).
    test::http_result form(const std::string& target, const std::string& body) const;

    // Admin API; these REQUIRE success.
    nlohmann::json admin(const std::string& method, const std::string& path, const nlohmann::json& body = nullptr) const;
    nlohmann::json config(const nlohmann::json& patch) const;
    void add_token(const std::string& token, const std::vector<std::string>& scopes,
                   const std::string& kind = "private_app") const;
    std::vector<std::string> seed(const std::string& type, const nlohmann::json& records) const;
    nlohmann::json state(const std::string& type) const;
    nlohmann::json requests() const;
};

}  // namespace hubsync::test
