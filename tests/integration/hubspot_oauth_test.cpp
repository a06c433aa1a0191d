// OAuth access tokens against the emulator: one shared refresh, refresh on EXPIRED_AUTHENTICATION, revocation.
#include "hubspot/api_error.hpp"
#include "hubspot/oauth.hpp"
#include "hubspot/objects_api.hpp"
#include "tests/support/emulator_fixture.hpp"
#include "tests/support/run_sync.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace hubsync;
using namespace hubsync::test;
using nlohmann::json;

namespace {
hubspot::oauth_app
test_app()
{
    hubspot::oauth_app app;
    app.client_id = "client-1";
    app.client_secret = "secret-1";
    app.redirect_url = "http://127.0.0.1/v1/oauth/callback";
    return app;
}

// A client whose tokens come from an OAuth grant on the emulator, refreshed through a second, token-less client.
struct oauth_harness {
    net::io_context ioc;
    std::unique_ptr<hubspot::client> token_client;
    std::shared_ptr<hubspot::oauth_token_provider> provider;
    std::unique_ptr<hubspot::client> api_client;
    int revoked = 0;
    std::string refresh_token;

    oauth_harness(const emulator_fixture& emu, std::chrono::seconds early)
    {
        hubspot::client_settings s;
        s.base_url = "http://127.0.0.1:" + std::to_string(emu.port());
        s.retry.base_delay = std::chrono::milliseconds(10);
        token_client = std::make_unique<hubspot::client>(ioc, s, std::make_shared<hubspot::static_token>(""), nullptr, "oauth");
        emu.admin("POST", "/oauth/codes", {{"code", "code-1"}, {"scopes", {"crm.objects.contacts.read", "crm.objects.contacts.write"}}});
        auto initial = run(hubspot::exchange_code(*token_client, test_app(), "code-1"));
        refresh_token = initial.refresh_token;
        auto* tc = token_client.get();
        auto refresh = [tc](std::string rt) { return hubspot::refresh_tokens(*tc, test_app(), std::move(rt)); };
        provider = std::make_shared<hubspot::oauth_token_provider>(
            net::make_strand(ioc), initial, refresh, nullptr, [this] { ++revoked; }, early);
        api_client = std::make_unique<hubspot::client>(ioc, s, provider, nullptr, "api");
    }

    template <class T>
    T run(net::awaitable<T> op)
    {
        return run_on(ioc, std::move(op));
    }

    // `n` concurrent searches; returns how many succeeded.
    int concurrent_calls(int n)
    {
        hubspot::objects_api api(*api_client, hubspot::api_paths("v3"));
        int ok = 0;
        for (int i = 0; i < n; ++i) {
            auto task = api.batch_read("contacts", std::string("email"), {}, {"email"});
            net::co_spawn(ioc, std::move(task), [&ok](std::exception_ptr e, hubspot::batch_result) {
                if (!e) ++ok;
            });
        }
        ioc.restart();
        ioc.run();
        return ok;
    }
};

int
token_requests(const emulator_fixture& emu)
{
    return emu.requests()["by_route"].value("POST /oauth/v1/token", 0);
}
}  // namespace

TEST_CASE("oauth: 50 concurrent calls with an expiring token cause exactly one refresh", "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.config({{"oauth", {{"access_token_ttl_seconds", 3}}}, {"rate_limit", {{"enabled", false}}}});
    // Refresh 2 s early, or half-way through a shorter life: 1.5 s before expiry here.
    oauth_harness h(emu, std::chrono::seconds(2));
    REQUIRE(h.concurrent_calls(5) == 5);
    CHECK(h.provider->refreshes() == 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(1700));
    CHECK(h.concurrent_calls(50) == 50);
    CHECK(h.provider->refreshes() == 1);
    CHECK(token_requests(emu) == 2);  // the code exchange, then one refresh
    // A fresh short-lived token is not refreshed again on every call.
    CHECK(h.concurrent_calls(10) == 10);
    CHECK(h.provider->refreshes() == 1);
}

TEST_CASE("oauth: EXPIRED_AUTHENTICATION triggers one shared refresh and the calls succeed", "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.config({{"oauth", {{"access_token_ttl_seconds", 1}}}, {"rate_limit", {{"enabled", false}}}});
    oauth_harness h(emu, std::chrono::seconds(0));  // never early: let HubSpot say it expired
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(h.concurrent_calls(20) == 20);
    CHECK(h.provider->refreshes() == 1);
}

TEST_CASE("oauth: a revoked refresh token asks for reauthorization", "[emulator][oauth]")
{
    emulator_fixture emu;
    emu.config({{"oauth", {{"access_token_ttl_seconds", 1}}}, {"rate_limit", {{"enabled", false}}}});
    oauth_harness h(emu, std::chrono::seconds(0));
    emu.admin("POST", "/oauth/revoke", {{"refresh_token", h.refresh_token}});
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
    CHECK(h.concurrent_calls(3) == 0);
    CHECK(h.revoked == 1);
    CHECK_THROWS_AS(h.run(h.provider->access_token()), hubspot::reauthorization_required);
}

TEST_CASE("oauth: the authorize URL asks for every supported scope", "[oauth]")
{
    auto url = hubspot::authorize_url(test_app(), "state-123");
    CHECK(url.rfind("https://app.hubspot.com/oauth/authorize?client_id=client-1&redirect_uri=http%3A%2F%2F127.0.0.1%2Fv1%2Foauth%2Fcallback&scope=", 0) == 0);
    CHECK(url.find("crm.objects.contacts.write%20") != std::string::npos);
    CHECK(url.find("analytics.behavioral_events.send") != std::string::npos);
    CHECK(url.find("&state=state-123") != std::string::npos);
}
