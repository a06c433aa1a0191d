#pragma once
// The HubSpot emulator as a set of routes on api::router: the request pipeline (faults, correlation id,
// authentication, rate limits, counters) around the synchronous handlers of handlers.hpp.
#include "api/router.hpp"
#include "tests/emulator/batch_prep.hpp"
#include "tests/emulator/state.hpp"

#include <deque>
#include <string>

namespace hubsync::emulator {

struct call;
struct reply;

// How the pipeline treats an endpoint before its handler runs.
enum class access {
    admin,   // /__emulator/*: no auth, no faults, not counted
    open,    // OAuth endpoints: no bearer, no rate limit, but faults and counters apply
    bearer,  // HubSpot APIs: bearer auth, burst + daily limits, X-HubSpot-RateLimit-* headers
    search,  // like bearer, but the per-second search bucket and no rate-limit headers
};

using handler_fn = reply (*)(call&);

struct endpoint {
    std::string method;
    std::string pattern;  // router syntax: "/crm/v3/objects/{objectType}/batch/create"
    access how;
    handler_fn fn;
    std::string label;  // "METHOD pattern", the request counters' key
    prepare_fn prepare = nullptr;  // batch writes: the work done before the state lock (batch_prep.hpp)
};

class emulator {
public:
    explicit emulator(startup_options opts);

    // Adds every endpoint of both path families (routes.cpp) with authenticated=false: HubSpot's auth is ours.
    void register_routes(api::router& r);

    portal_state& state() noexcept { return state_; }

    // The pipeline for one request. `req` is owned by router::dispatch, which awaits this coroutine.
    net::awaitable<api::response> serve(const endpoint* ep, const api::request& req);

private:
    void add(api::router& r, std::string method, std::string pattern, access how, handler_fn fn,
             prepare_fn prepare = nullptr);
    api::response handle(const endpoint& ep, const api::request& req, const std::string& cid);
    void count(const endpoint& ep, const std::string& status);

    portal_state state_;
    std::deque<endpoint> endpoints_;  // stable addresses: routes point at them
};

}  // namespace hubsync::emulator
