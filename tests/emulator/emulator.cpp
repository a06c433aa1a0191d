#include "tests/emulator/emulator.hpp"

#include "core/log.hpp"
#include "tests/emulator/auth.hpp"
#include "tests/emulator/call.hpp"
#include "tests/emulator/handlers.hpp"
#include "tests/emulator/json_text.hpp"
#include "tests/emulator/rate_limit.hpp"

namespace hubsync::emulator {

namespace {
// Consumes one use of the first rule matching `path`; the rule goes away when used up.
std::optional<fault_rule>
take_fault(emulator_config& cfg, const std::string& path)
{
    for (auto it = cfg.faults.begin(); it != cfg.faults.end(); ++it) {
        if (!it->path_prefix.empty() && path.compare(0, it->path_prefix.size(), it->path_prefix) != 0) continue;
        fault_rule hit = *it;
        if (--it->count <= 0) cfg.faults.erase(it);
        return hit;
    }
    return std::nullopt;
}

// The answer of an injected status fault (hubspot-api.md §2.7 "Other documented statuses").
api::response
fault_response(const fault_rule& f, const std::string& cid)
{
    const char* category = "INTERNAL_ERROR";
    std::string message = "An internal error occurred.";
    switch (f.status) {
    case 423:
        category = "LOCKED";
        message = "The portal is locked while it processes a large volume of data. Retry in at least 2 seconds.";
        break;
    case 477:
        category = "MIGRATION_IN_PROGRESS";
        message = "This portal is being migrated to another data centre. Retry after the Retry-After period.";
        break;
    case 502: message = "Bad Gateway"; break;
    case 503: message = "Service Unavailable"; break;
    case 504: message = "Gateway Timeout"; break;
    case 524: message = "A timeout occurred"; break;
    default:
        if (f.status < 500) category = "VALIDATION_ERROR";
        message = "Injected fault " + std::to_string(f.status);
    }
    auto r = json_response(f.status, error_body(cid, category, message));
    if (f.retry_after) r.headers.emplace_back("Retry-After", std::to_string(*f.retry_after));
    return r;
}
}  // namespace

emulator::emulator(startup_options opts) : state_(std::move(opts)) {}

void
emulator::add(api::router& r, std::string method, std::string pattern, access how, handler_fn fn, prepare_fn prepare)
{
    endpoints_.push_back({method, pattern, how, fn, method + " " + pattern, prepare});
    const endpoint* ep = &endpoints_.back();
    api::route route;
    route.method = std::move(method);
    route.pattern = std::move(pattern);
    route.authenticated = false;
    // A plain lambda returning the awaitable (not a coroutine lambda): CP.51, GCC PR 107288.
    route.fn = [this, ep](const api::request& req) { return serve(ep, req); };
    r.add(std::move(route));
}

void
emulator::count(const endpoint& ep, const std::string& status)
{
    if (ep.how == access::admin) return;
    auto& n = state_.counters;
    ++n.total;
    ++n.by_route[ep.label];
    ++n.by_status[status];
}

namespace {
// The partial_answer fault: a 2xx batch answer keeps the first half of its results and gains one error that names
// no input, as a 207. False (and `res` untouched) for an answer without results.
bool
cut_to_partial(api::response& res, const std::string& cid)
{
    if (res.status < 200 || res.status > 299) return false;
    auto j = nlohmann::json::parse(res.body, nullptr, false);
    if (!j.is_object() || !j.contains("results") || !j["results"].is_array()) return false;
    auto& results = j["results"];
    results.erase(results.begin() + static_cast<std::ptrdiff_t>(results.size() / 2), results.end());
    j["numErrors"] = 1;
    j["errors"] = nlohmann::json::array({{{"status", "error"},
                                          {"category", "VALIDATION_ERROR"},
                                          {"message", "An error that names no input (emulated partial answer)."},
                                          {"correlationId", cid}}});
    res.status = 207;
    res.body = j.dump();
    return true;
}
}  // namespace

net::awaitable<api::response>
emulator::serve(const endpoint* ep, const api::request& req)
{
    const std::string cid = new_uuid();
    std::optional<fault_rule> fault;
    if (ep->how != access::admin && state_.faults_armed.load(std::memory_order_acquire)) {
        std::lock_guard lock(state_.mutex);
        fault = take_fault(state_.config, req.path);
        state_.faults_armed.store(!state_.config.faults.empty(), std::memory_order_release);
    }
    if (fault && fault->what == fault_rule::kind::latency) {
        // Wait on a timer, never sleep: the io threads serve other connections meanwhile.
        auto executor = co_await net::this_coro::executor;
        net::steady_timer timer(executor, std::chrono::milliseconds(fault->latency_ms));
        co_await timer.async_wait(net::use_awaitable);
    }

    api::response res;
    const bool cut =
        fault && (fault->what == fault_rule::kind::reset || fault->what == fault_rule::kind::reset_mid_body);
    if (fault && fault->what == fault_rule::kind::status) {
        if (fault->process_request) {
            // The write is committed; the client is told it failed. handle() counted the real status.
            auto real = handle(*ep, req, cid);
            std::lock_guard lock(state_.mutex);
            auto& by_status = state_.counters.by_status;
            if (auto it = by_status.find(std::to_string(real.status)); it != by_status.end() && --it->second == 0)
                by_status.erase(it);
        }
        res = fault_response(*fault, cid);
        std::lock_guard lock(state_.mutex);
        if (fault->process_request) ++state_.counters.by_status[std::to_string(res.status)];
        else count(*ep, std::to_string(res.status));
    } else if (cut && !fault->process_request) {
        // Nothing is handled; a mid-body cut truncates a generic error body.
        res = json_response(503, error_body(cid, "INTERNAL_ERROR", "The connection was reset by the emulator."));
        std::lock_guard lock(state_.mutex);
        count(*ep, fault->what == fault_rule::kind::reset ? "reset" : "reset_mid_body");
    } else if (fault && fault->what == fault_rule::kind::partial_answer) {
        res = handle(*ep, req, cid);
        const int real = res.status;
        if (cut_to_partial(res, cid)) {
            std::lock_guard lock(state_.mutex);
            // handle() counted the real status; the client saw a 207.
            auto& by_status = state_.counters.by_status;
            if (auto it = by_status.find(std::to_string(real)); it != by_status.end() && --it->second == 0)
                by_status.erase(it);
            ++by_status["partial_answer"];
        }
    } else {
        res = handle(*ep, req, cid);
        if (cut) {
            std::lock_guard lock(state_.mutex);
            // handle() counted the real status; the client saw a reset instead.
            auto& by_status = state_.counters.by_status;
            auto real = by_status.find(std::to_string(res.status));
            if (real != by_status.end() && --real->second == 0) by_status.erase(real);
            ++by_status[fault->what == fault_rule::kind::reset ? "reset" : "reset_mid_body"];
        }
    }
    if (cut)
        res.transport_fault = fault->what == fault_rule::kind::reset ? api::response::fault::reset_before_response
                                                                      : api::response::fault::reset_mid_body;
    res.headers.emplace_back(correlation_header, cid);
    co_return res;
}

api::response
emulator::handle(const endpoint& ep, const api::request& req, const std::string& cid)
{
    // JSON parsing and serialisation, the costly parts of a batch, run outside the state lock so the io threads
    // overlap them, and so does a batch write's value conversion (batch_prep.hpp); only lookups and state
    // changes are serialised.
    // A batch write of the usual shape is read straight from the text, and its body is never parsed.
    std::unique_ptr<batch_prep> prep;
    std::shared_ptr<const schema_snapshot> schema;
    auto prepare = [&](const nlohmann::json* parsed) {
        try {
            if (!schema) schema = state_.schema();
            prep = ep.prepare(req, parsed, schema);
        } catch (const std::exception&) {
            prep.reset();  // the handler meets the same problem under the lock and answers it
        }
    };
    if (ep.prepare && !req.body.empty()) prepare(nullptr);
    nlohmann::json body;
    std::exception_ptr body_error;
    const bool parse = !req.body.empty() && !prep;
    if (parse) {
        try {
            body = parse_json(req.body);
        } catch (const nlohmann::json::parse_error&) {
            body_error = std::current_exception();  // reported only if the handler wants a JSON body
        }
        if (ep.prepare && !body_error) prepare(&body);
    }
    reply rep;
    {
        std::lock_guard lock(state_.mutex);
        // Without `body` (not parsed) call::json_body parses the text if the handler asks after all.
        call c(req, state_, cid, parse ? &body : nullptr, body_error);
        c.prep = prep.get();
        header_list rate_headers;
        try {
            if (ep.how == access::bearer || ep.how == access::search) {
                authenticate(c);
                if (ep.how == access::search) charge_search(c);
                else rate_headers = charge_request(c);
            }
            rep = ep.fn(c);
        } catch (const hs_error& e) {
            rep = to_reply(e);
        } catch (const nlohmann::json::exception& e) {
            // A well-formed body of the wrong shape, e.g. "idProperty": 5 where a string belongs.
            rep = to_reply(validation_error(cid, std::string("Invalid input JSON: ") + e.what()));
        } catch (const std::exception& e) {
            core::logger("emulator")->error("request.failed route=\"{} {}\" error=\"{}\"", ep.method, ep.pattern,
                                            e.what());
            rep = json_reply(500, error_body(cid, "INTERNAL_ERROR", "An internal error occurred."));
        }
        for (auto& h : rate_headers) rep.headers.push_back(std::move(h));
        count(ep, std::to_string(rep.status));
        // The handler may have changed the faults (POST /__emulator/config, reset).
        state_.faults_armed.store(!state_.config.faults.empty(), std::memory_order_release);
    }
    return to_http(std::move(rep));
}

}  // namespace hubsync::emulator
