#include "daemon/app.hpp"

#include "api/handlers/handlers.hpp"
#include "api/router.hpp"
#include "api/server.hpp"
#include "api/services.hpp"
#include "core/dsn.hpp"
#include "core/log.hpp"
#include "hubspot/portal_registry.hpp"
#include "store/database.hpp"
#include "store/migrations.hpp"

#include <thread>

namespace hubsync::daemon {

namespace {
tcp::endpoint
resolve_listen(net::io_context& ioc, const std::string& listen)
{
    auto spec = parse_listen(listen);
    tcp::resolver resolver(ioc);
    boost::system::error_code ec;
    auto results = resolver.resolve(spec.host, std::to_string(spec.port), tcp::resolver::numeric_service, ec);
    if (ec || results.empty())
        throw std::runtime_error("cannot resolve the listen address '" + spec.host + "': " + ec.message());
    return results.begin()->endpoint();
}

// Drains: stop accepting, let requests in flight finish (up to the grace period), then stop the I/O loop.
net::awaitable<void>
drain(net::io_context& ioc, api::server& server, scheduler::run_queue& runs, std::chrono::seconds grace)
{
    server.stop();
    // Runs stop at their next batch boundary (their rows so far are committed) and are queued again.
    co_await runs.drain(grace);
    auto deadline = std::chrono::steady_clock::now() + grace;
    net::steady_timer t(co_await net::this_coro::executor);
    while (server.requests_in_flight() > 0 && std::chrono::steady_clock::now() < deadline) {
        t.expires_after(std::chrono::milliseconds(50));
        co_await t.async_wait(net::use_awaitable);
    }
    if (server.requests_in_flight() > 0)
        core::logger("hubsyncd")->warn("shutdown.grace_expired requests_in_flight={}", server.requests_in_flight());
    ioc.stop();
}
}  // namespace

int
run_daemon(const config& cfg)
{
    auto log = core::logger("hubsyncd");
    std::optional<store::secret_box> secrets;
    try {
        secrets.emplace(store::secret_box::from_base64(cfg.secret_key));
    } catch (const store::secret_error& e) {
        log->critical("startup.failed reason=\"{}\"", e.what());
        return 1;
    }

    store::database db(cfg.database_url, static_cast<std::size_t>(cfg.db_pool_size));
    try {
        db.check();
        int applied = db.run_here([](pqxx::connection& c) { return store::apply_migrations(c); });
        log->info("state.ready database=\"{}\" migrations_applied={} schema_version={}",
                  core::redact_dsn(cfg.database_url), applied,
                  store::builtin_migrations().back().version);
    } catch (const std::exception& e) {
        log->critical("startup.failed reason=\"{}\" database=\"{}\"", e.what(),
                      core::redact_dsn(cfg.database_url));
        return 1;
    }

    net::io_context ioc(cfg.io_threads);
    // Each running run's planner holds a warehouse thread for the whole run: those come on top of the API's.
    net::thread_pool warehouse_pool(static_cast<std::size_t>(cfg.warehouse_pool_size + cfg.max_concurrent_runs));
    core::metrics_registry metrics;
    std::atomic<bool> shutting_down{false};
    connectors::postgres::query_limits limits;
    limits.statement_timeout = std::chrono::milliseconds(cfg.statement_timeout_ms);
    hubspot::client_settings hubspot_defaults;
    hubspot_defaults.base_url = cfg.hubspot_base_url;
    hubspot_defaults.api_version = cfg.hubspot_api_version;
    hubspot_defaults.ca_file = cfg.hubspot_ca_file;
    hubspot_defaults.limits.headroom = cfg.hubspot_rate_headroom_percent / 100.0;
    hubspot::portal_registry portals(ioc, &metrics, hubspot_defaults);
    hubspot::oauth_app oauth{cfg.oauth_client_id, cfg.oauth_client_secret, cfg.oauth_redirect_url,
                             cfg.oauth_authorize_url};
    sync::destination_clients destination_clients(db, *secrets, portals, oauth);
    sync::writer_settings writer;
    writer.search_settle = std::chrono::seconds(cfg.search_settle_seconds);
    sync::engine engine({db, warehouse_pool, *secrets, destination_clients, metrics, limits, cfg.batches_in_flight, writer});
    scheduler::run_queue_settings queue_settings;
    queue_settings.max_concurrent_runs = cfg.max_concurrent_runs;
    queue_settings.lease_seconds = cfg.run_lease_seconds;
    scheduler::run_queue runs(ioc, db, engine, queue_settings);
    api::services svc{db, warehouse_pool, *secrets, metrics, limits, std::min(100, cfg.preview_max_rows),
                      cfg.preview_max_rows, shutting_down, portals, oauth, destination_clients, runs};
    api::router router(cfg.api_tokens, metrics);
    api::add_all_routes(router, svc);

    api::server_limits server_limits;
    server_limits.body_limit = cfg.max_body_bytes;
    server_limits.header_timeout = std::chrono::seconds(cfg.header_timeout_seconds);
    server_limits.body_timeout = std::chrono::seconds(cfg.body_timeout_seconds);

    std::unique_ptr<api::server> server;
    try {
        server = std::make_unique<api::server>(ioc, resolve_listen(ioc, cfg.listen), router, server_limits);
    } catch (const std::exception& e) {
        log->critical("startup.failed reason=\"cannot listen on {}: {}\"", cfg.listen, e.what());
        return 1;
    }
    server->start();
    runs.start();

    net::signal_set signals(ioc, SIGINT, SIGTERM);
    std::function<void(const boost::system::error_code&, int)> on_signal;
    on_signal = [&](const boost::system::error_code& ec, int sig) {
        if (ec) return;
        if (shutting_down.exchange(true)) {
            log->warn("shutdown.forced signal={}", sig);
            ioc.stop();
            return;
        }
        log->info("shutdown.begin signal={}", sig);
        net::co_spawn(ioc, drain(ioc, *server, runs, std::chrono::seconds(cfg.shutdown_grace_seconds)), net::detached);
        signals.async_wait(on_signal);
    };
    signals.async_wait(on_signal);

    log->info("hubsyncd.started version={} listen={}", HUBSYNC_VERSION, cfg.listen);
    std::vector<std::thread> threads;
    for (int i = 1; i < cfg.io_threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : threads) t.join();
    warehouse_pool.join();
    db.stop();
    log->info("hubsyncd.stopped");
    return 0;
}

}  // namespace hubsync::daemon
