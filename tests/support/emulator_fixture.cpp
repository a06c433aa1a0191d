#include "tests/support/emulator_fixture.hpp"

#include <catch2/catch.hpp>

#include <memory>

namespace hubsync::test {

using test::free_port;
using test::http_request;
using test::http_result;

namespace {
emulator_process&
shared_emulator()
{
    static std::unique_ptr<emulator_process> p;
    if (!p || !p->running()) {
        auto port = free_port();
        p = std::make_unique<emulator_process>(
            port, std::vector<std::string>{"--token", emulator_token, "--portal-id", std::to_string(emulator_portal_id)});
        p->wait_ready();
    }
    return *p;
}
}  // namespace

emulator_fixture::emulator_fixture()
{
    auto r = http_request(port(), "POST", "/__emulator/reset", "{}");
    REQUIRE(r.status == 200);
}

unsigned short
emulator_fixture::port() const
{
    return shared_emulator().port();
}

emulator_process&
emulator_fixture::process()
{
    return shared_emulator();
}

http_result
emulator_fixture::hs(const std::string& method, const std::string& target, const std::string& body,
                     const std::string& token) const
{
    std::map<std::string, std::string> headers;
    if (!token.empty()) headers["Authorization"] = "Bearer " + token;
    return http_request(port(), method, target, body, headers);
}

http_result
emulator_fixture::hs(const std::string& method, const std::string& target, const nlohmann::json& body,
                     const std::string& token) const
{
    return hs(method, target, body.dump(), token);
}

http_result
emulator_fixture::form(const std::string& target, const std::string& body) const
{
    return http_request(port(), "POST", target, body, {{"Content-Type", "application/x-www-form-urlencoded"}});
}

nlohmann::json
emulator_fixture::admin(const std::string& method, const std::string& path, const nlohmann::json& body) const
{
    auto r = http_request(port(), method, "/__emulator" + path, body.is_null() ? std::string{} : body.dump());
    INFO(method << " /__emulator" << path << " -> " << r.status << " " << r.body);
    REQUIRE(r.status / 100 == 2);
    return r.json();
}

nlohmann::json
emulator_fixture::config(const nlohmann::json& patch) const
{
    return admin("POST", "/config", patch);
}

void
emulator_fixture::add_token(const std::string& token, const std::vector<std::string>& scopes,
                            const std::string& kind) const
{
    admin("POST", "/tokens", {{"token", token}, {"scopes", scopes}, {"kind", kind}});
}

std::vector<std::string>
emulator_fixture::seed(const std::string& type, const nlohmann::json& records) const
{
    auto j = admin("POST", "/seed/" + type, {{"records", records}});
    return j["ids"].get<std::vector<std::string>>();
}

nlohmann::json
emulator_fixture::state(const std::string& type) const
{
    return admin("GET", "/state/" + type);
}

nlohmann::json
emulator_fixture::requests() const
{
    return admin("GET", "/requests");
}

}  // namespace hubsync::test
