#pragma once
#include "api/http_types.hpp"
#include "core/net.hpp"

#include <functional>
#include <string>
#include <vector>

namespace hubsync::core {
class metrics_registry;
}

namespace hubsync::api {

using handler = std::function<net::awaitable<response>(const request&)>;

struct route {
    std::string method;
    std::string pattern;   // "/v1/syncs/{id}/runs": {name} matches one non-empty segment
    handler fn;
    bool authenticated = true;
};

// Matches requests against a route table and runs the handler; the one place where errors become the JSON
// envelope (DESIGN §5) and where every request is counted for /metrics.
class router {
public:
    router(std::vector<std::string> api_tokens, core::metrics_registry& metrics);

    void add(route r);
    const std::vector<route>& routes() const noexcept { return routes_; }

    // Never throws: handler exceptions become 4xx envelopes or a generic 500 (logged with the request id).
    net::awaitable<response> dispatch(request req) const;

private:
    const route* match(const request& req, std::map<std::string, std::string>& params,
                       std::vector<std::string>& allowed) const;

    std::vector<std::string> api_tokens_;
    core::metrics_registry& metrics_;
    std::vector<route> routes_;
    std::vector<std::vector<std::string>> patterns_;  // routes_[i].pattern split once, not per request
};

// Splits a path into segments, ignoring one trailing slash.
std::vector<std::string> split_path(std::string_view path);

}  // namespace hubsync::api
