#include "api/router.hpp"

#include "api/auth.hpp"
#include "api/envelope.hpp"
#include "core/log.hpp"
#include "core/metrics.hpp"

#include <chrono>

namespace hubsync::api {

std::vector<std::string>
split_path(std::string_view path)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i < path.size()) {
        if (path[i] == '/') {
            ++i;
            continue;
        }
        auto j = path.find('/', i);
        if (j == std::string_view::npos) j = path.size();
        out.emplace_back(path.substr(i, j - i));
        i = j;
    }
    return out;
}

router::router(std::vector<std::string> api_tokens, core::metrics_registry& metrics)
    : api_tokens_(std::move(api_tokens)), metrics_(metrics)
{
    metrics_.describe_counter("hubsync_http_requests_total", "API requests by route and status");
    metrics_.describe_histogram("hubsync_http_request_duration_seconds", "API request latency by route",
                                {0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10});
}

void
router::add(route r)
{
    patterns_.push_back(split_path(r.pattern));
    routes_.push_back(std::move(r));
}

const route*
router::match(const request& req, std::map<std::string, std::string>& params, std::vector<std::string>& allowed) const
{
    auto segments = split_path(req.path);
    const route* found = nullptr;
    for (std::size_t k = 0; k < routes_.size(); ++k) {
        const auto& r = routes_[k];
        const auto& pattern = patterns_[k];
        if (pattern.size() != segments.size()) continue;
        std::map<std::string, std::string> p;
        bool ok = true;
        for (std::size_t i = 0; i < pattern.size() && ok; ++i) {
            if (pattern[i].size() > 2 && pattern[i].front() == '{' && pattern[i].back() == '}')
                p[pattern[i].substr(1, pattern[i].size() - 2)] = segments[i];
            else ok = pattern[i] == segments[i];
        }
        if (!ok) continue;
        allowed.push_back(r.method);
        if (r.method == req.method && !found) {
            found = &r;
            params = std::move(p);
        }
    }
    return found;
}

net::awaitable<response>
router::dispatch(request req) const
{
    auto started = std::chrono::steady_clock::now();
    std::map<std::string, std::string> params;
    std::vector<std::string> allowed;
    const route* r = match(req, params, allowed);
    std::string route_label = r ? r->method + " " + r->pattern : "unmatched";
    response res;
    try {
        if (!r && allowed.empty()) {
            throw core::error(core::errc::not_found, "no such endpoint: " + req.method + " " + req.path);
        } else if (!r) {
            std::string allow;
            for (const auto& m : allowed) allow += (allow.empty() ? "" : ", ") + m;
            core::error e(core::errc::method_not_allowed, "method " + req.method + " is not allowed here; use " + allow);
            res = error_response(e);
            res.headers.emplace_back("Allow", allow);
        } else if (r->authenticated && !bearer_token_valid(req.authorization, api_tokens_)) {
            throw core::error(core::errc::unauthorized,
                              req.authorization.empty() ? "missing bearer token: send Authorization: Bearer <token>"
                                                        : "invalid bearer token");
        } else {
            req.params = std::move(params);
            res = co_await r->fn(req);
        }
    } catch (const core::error& e) {
        res = error_response(e);
    } catch (const std::exception& e) {
        core::logger("api")->error("request.failed id={} route=\"{}\" error=\"{}\"", req.request_id, route_label,
                                   e.what());
        res = internal_error_response(req.request_id);
    }
    std::chrono::duration<double> elapsed = std::chrono::steady_clock::now() - started;
    metrics_.add("hubsync_http_requests_total", {{"route", route_label}, {"status", std::to_string(res.status)}});
    metrics_.observe("hubsync_http_request_duration_seconds", {{"route", route_label}}, elapsed.count());
    co_return res;
}

}  // namespace hubsync::api
