#include "hubspot/client.hpp"

#include "core/log.hpp"
#include "core/metrics.hpp"
#include "hubspot/api_error.hpp"

#include <charconv>

namespace hubsync::hubspot {

namespace {
using std::chrono::milliseconds;

template <class T>
std::optional<T>
number_header(const http_response& r, const char* name)
{
    auto v = r.header(name);
    T n{};
    auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (v.empty() || ec != std::errc() || p != v.data() + v.size()) return std::nullopt;
    return n;
}

std::string
iso(std::chrono::system_clock::time_point t)
{
    auto tt = std::chrono::system_clock::to_time_t(t);
    std::tm tm{};
    gmtime_r(&tt, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::shared_ptr<ssl::context>
tls_for(const client_settings& s)
{
    return parse_base_url(s.base_url).tls ? make_tls_context(s.ca_file) : nullptr;
}
}  // namespace

client::client(net::io_context& ioc, client_settings settings, std::shared_ptr<token_provider> tokens,
               core::metrics_registry* metrics, std::string portal_label)
    : strand_(net::make_strand(ioc)), settings_(std::move(settings)), tokens_(std::move(tokens)), metrics_(metrics),
      portal_(std::move(portal_label)),
      pool_(strand_, parse_base_url(settings_.base_url), settings_.transport, tls_for(settings_)),
      limiter_(settings_.limits), retry_(settings_.retry)
{
    if (metrics_) {
        metrics_->describe_counter("hubsync_hubspot_requests_total", "HubSpot requests by portal, endpoint and status");
        metrics_->describe_counter("hubsync_hubspot_rate_limited_total", "HubSpot 429 answers by portal and policy");
        metrics_->describe_counter("hubsync_hubspot_retries_total", "HubSpot retries by portal and reason");
        metrics_->describe_counter("hubsync_hubspot_limiter_wait_seconds_total",
                                   "Time requests waited for the portal's rate budget");
        metrics_->describe_histogram("hubsync_hubspot_request_duration_seconds", "HubSpot request latency by endpoint",
                                     {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30});
    }
}

net::awaitable<http_response>
client::send(call c)
{
    co_return co_await net::co_spawn(strand_, send_on_strand(std::move(c)), net::use_awaitable);
}

net::awaitable<void>
client::sleep(milliseconds d)
{
    if (d.count() <= 0) co_return;
    net::steady_timer t(strand_, d);
    co_await t.async_wait(net::use_awaitable);
}

net::awaitable<void>
client::wait_for_budget(rate_limiter::request_class rc)
{
    for (;;) {
        auto wait = limiter_.acquire(rc, std::chrono::steady_clock::now());
        if (wait.count() == 0) co_return;
        if (auto paused = limiter_.daily_paused_until()) throw daily_limit_reached(iso(*paused));
        stats_.limiter_wait_ms += static_cast<std::uint64_t>(wait.count());
        if (metrics_)
            metrics_->add("hubsync_hubspot_limiter_wait_seconds_total", {{"portal", portal_}}, wait.count() / 1000.0);
        co_await sleep(wait);
    }
}

void
client::learn(const http_response& r)
{
    rate_limiter::headers h;
    h.max = number_header<int>(r, "x-hubspot-ratelimit-max");
    h.remaining = number_header<int>(r, "x-hubspot-ratelimit-remaining");
    h.interval_ms = number_header<int>(r, "x-hubspot-ratelimit-interval-milliseconds");
    h.daily = number_header<long long>(r, "x-hubspot-ratelimit-daily");
    h.daily_remaining = number_header<long long>(r, "x-hubspot-ratelimit-daily-remaining");
    limiter_.on_response(h, std::chrono::steady_clock::now());
}

net::awaitable<http_response>
client::send_on_strand(call c)
{
    auto log = core::logger("hubspot");
    bool refreshed = false;
    for (int attempt = 1;; ++attempt) {
        co_await wait_for_budget(c.limit_class);
        http_request req;
        req.method = c.method;
        req.target = c.target;
        req.body = c.body;
        req.content_type = c.content_type;
        std::string token;
        if (c.authenticated) {
            token = co_await tokens_->access_token();
            req.headers.emplace_back("Authorization", "Bearer " + token);
        }
        ++stats_.requests;
        auto started = std::chrono::steady_clock::now();
        http_response res;
        std::optional<transport_error> failed;
        try {
            res = co_await pool_.send(std::move(req), c.idempotent);
        } catch (const transport_error& e) {
            failed = e;  // handled below: no co_await inside a handler
        }
        if (failed) {
            auto d = retry_.after_transport_error(failed->kind(), attempt, failed->request_sent(), c.idempotent);
            if (metrics_)
                metrics_->add("hubsync_hubspot_requests_total",
                              {{"portal", portal_}, {"endpoint", c.endpoint}, {"status", failed->kind()}});
            if (!d.retry) throw *failed;
            ++stats_.retries;
            if (metrics_) metrics_->add("hubsync_hubspot_retries_total", {{"portal", portal_}, {"reason", d.reason}});
            log->warn("request.retry portal={} endpoint={} reason={} attempt={} delay_ms={}", portal_, c.endpoint,
                      d.reason, attempt, d.delay.count());
            co_await sleep(d.delay);
            continue;
        }
        std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
        if (metrics_) {
            metrics_->add("hubsync_hubspot_requests_total",
                          {{"portal", portal_}, {"endpoint", c.endpoint}, {"status", std::to_string(res.status)}});
            metrics_->observe("hubsync_hubspot_request_duration_seconds", {{"endpoint", c.endpoint}}, took.count());
        }
        learn(res);
        if (res.status >= 200 && res.status < 300) co_return res;

        auto retry_after = parse_retry_after(res.header("retry-after"));
        if (res.status == 429) {
            ++stats_.rate_limited;
            auto info = parse_error(res.status, res.body);
            auto p = rate_limiter::parse_policy(info.policy_name, info.message);
            limiter_.on_rate_limited(p, retry_after, std::chrono::steady_clock::now());
            if (metrics_)
                metrics_->add("hubsync_hubspot_rate_limited_total",
                              {{"portal", portal_}, {"policy", info.policy_name.empty() ? "unknown" : info.policy_name}});
            if (p == rate_limiter::policy::daily) throw daily_limit_reached(iso(*limiter_.daily_paused_until()));
        }
        if (res.status == 401 && c.authenticated && !refreshed) {
            auto info = parse_error(res.status, res.body);
            if (info.category == "EXPIRED_AUTHENTICATION" && co_await tokens_->refresh_after_expiry(token)) {
                refreshed = true;
                --attempt;
                continue;
            }
            throw api_error(std::move(info));
        }
        auto d = retry_.after_status(res.status, attempt, retry_after, c.idempotent);
        if (!d.retry) throw api_error(parse_error(res.status, res.body));
        ++stats_.retries;
        if (metrics_) metrics_->add("hubsync_hubspot_retries_total", {{"portal", portal_}, {"reason", d.reason}});
        if (res.status != 429)
            log->warn("request.retry portal={} endpoint={} status={} attempt={} delay_ms={}", portal_, c.endpoint,
                      res.status, attempt, d.delay.count());
        co_await sleep(d.delay);
    }
}

}  // namespace hubsync::hubspot
