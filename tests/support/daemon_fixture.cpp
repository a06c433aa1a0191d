#include "tests/support/daemon_fixture.hpp"

#include <stdexcept>

namespace hubsync::test {

daemon_fixture::daemon_fixture(std::map<std::string, std::string> extra_env)
    : db_(std::make_unique<test_database>()), port_(free_port())
{
    env_ = {{"HUBSYNC_DATABASE_URL", db_->url()},
            {"HUBSYNC_SECRET_KEY", test_secret_key},
            {"HUBSYNC_API_TOKENS", test_token},
            {"HUBSYNC_LISTEN", "127.0.0.1:" + std::to_string(port_)},
            {"HUBSYNC_LOG_LEVEL", "debug"},
            {"HUBSYNC_HUBSPOT_BASE_URL", "http://127.0.0.1:" + std::to_string(emulator_.port())}};
    for (const auto& [k, v] : extra_env) env_[k] = v;
    process_ = std::make_unique<daemon_process>(env_);
    process_->wait_ready(port_);
}

void
daemon_fixture::restart(int sig)
{
    process_->stop(sig);
    process_ = std::make_unique<daemon_process>(env_);
    process_->wait_ready(port_);
}

http_result
daemon_fixture::api(const std::string& method, const std::string& target, const std::string& body) const
{
    return http_request(port_, method, target, body, {{"Authorization", std::string("Bearer ") + test_token}});
}

http_result
daemon_fixture::api(const std::string& method, const std::string& target, const nlohmann::json& body) const
{
    return api(method, target, body.dump());
}

namespace {
std::int64_t
created_id(const http_result& r, const std::string& what)
{
    if (r.status != 201) throw std::runtime_error("creating " + what + " failed: " + std::to_string(r.status) + " " + r.body);
    return r.json()["id"].get<std::int64_t>();
}
}  // namespace

std::int64_t
daemon_fixture::create_demo_source(const std::string& name) const
{
    nlohmann::json body = {{"name", name},
                           {"type", "postgres"},
                           {"config", {{"url", required_env("HUBSYNC_DEMO_WAREHOUSE_URL")}}}};
    return created_id(api("POST", "/v1/sources", body), "the demo source");
}

std::int64_t
daemon_fixture::create_contacts_model(std::int64_t source_id, const std::string& name) const
{
    nlohmann::json body = {{"name", name},
                           {"source_id", source_id},
                           {"sql", "SELECT contact_id, email, first_name, last_name, lifecycle_stage, signed_up_on, "
                                   "last_seen_at, is_active, score, tags, company_name FROM demo.contacts"},
                           {"primary_key", "contact_id"}};
    return created_id(api("POST", "/v1/models", body), "the contacts model");
}

std::int64_t
daemon_fixture::create_destination(const std::string& name) const
{
    nlohmann::json body = {{"name", name},
                           {"type", "hubspot"},
                           {"config", {{"private_app_token", emulator_token}}}};
    return created_id(api("POST", "/v1/destinations", body), "the destination");
}

}  // namespace hubsync::test
