#pragma once
// The context of one HubSpot call: the request, the locked portal state, the correlation id and the
// authenticated token. Built by the pipeline (emulator.cpp); every handler takes one.
#include "api/http_types.hpp"
#include "tests/emulator/hubspot_errors.hpp"
#include "tests/emulator/state.hpp"

#include <nlohmann/json.hpp>

#include <exception>
#include <string>
#include <vector>

namespace hubsync::emulator {

struct batch_prep;

struct call {
    // `body`/`body_error`: the request body parsed before the state lock was taken (body_error set when it is
    // not JSON).
    call(const api::request& r, portal_state& s, std::string correlation_id, const nlohmann::json* body = nullptr,
         std::exception_ptr body_error = nullptr);

    const api::request& req;
    portal_state& st;        // locked for the whole handler
    std::string cid;         // correlation id, also in the X-HubSpot-Correlation-Id header
    token_info* who = nullptr;  // bearer endpoints: the token that authenticated
    sys_clock::time_point now;
    steady_clock::time_point now_steady;
    batch_prep* prep = nullptr;  // batch writes: what was worked out before the lock (may be stale)

    std::int64_t now_ms() const { return to_epoch_ms(now); }
    // iso8601_ms(now_ms()), formatted once per call: every record a batch writes gets it.
    const std::string& now_stamp() const
    {
        if (now_stamp_.empty()) now_stamp_ = iso8601_ms(now_ms());
        return now_stamp_;
    }
    // The body as JSON; 400 "Invalid input JSON …" when it does not parse.
    const nlohmann::json& json_body() const;
    // 403 MISSING_SCOPES unless the token has one of `alternatives`.
    void require(const std::vector<std::string>& alternatives) const;
    // The path's {objectType} resolved; 400 "Unable to infer object type from: x" otherwise.
    object_type& object_type_param(bool singular = false) const;
    const std::string& param(const std::string& name) const;
    std::string query(const std::string& name, const std::string& fallback = {}) const;
    bool has_query(const std::string& name) const { return req.query.count(name) != 0; }

private:
    mutable const nlohmann::json* body_;
    std::exception_ptr body_error_;
    mutable nlohmann::json own_body_;  // parsed on demand when the pipeline did not
    mutable std::string now_stamp_;
};

// Splits "a,b,c" (query lists such as ?properties=); empty parts are skipped.
std::vector<std::string> split_list(const std::string& s);

}  // namespace hubsync::emulator
