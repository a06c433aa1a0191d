#pragma once
#include <exception>
#include <string>

namespace hubsync::hubspot {

// What a failed HubSpot call means to the person who has to act on it. One wording for the API's answers and for
// runs' errors.
struct failure {
    enum class kind {
        not_hubspot,               // not the client's exception: `message` is its what()
        rejected_credentials,      // 401
        missing_scope,             // 403 MISSING_SCOPES: `message` names the scopes
        reauthorization_required,  // the OAuth grant was revoked
        unavailable,               // 429 or 5xx after retries, the daily limit, or HubSpot unreachable
        refused,                   // any other HubSpot error answer
    };
    kind what = kind::not_hubspot;
    std::string message;
};

// `doing` names the call in the message ("reading the destination's schema").
failure describe_failure(std::exception_ptr e, const std::string& doing);

}  // namespace hubsync::hubspot
