#pragma once
// HubSpot's error bodies (hubspot-api.md §1.5, §2.7, §6.3), built with ordered JSON so keys come out in
// HubSpot's order, and the exception a handler throws to answer with one.
#include "api/http_types.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hubsync::emulator {

using ojson = nlohmann::ordered_json;
using header_list = std::vector<std::pair<std::string, std::string>>;

inline constexpr const char* correlation_header = "X-HubSpot-Correlation-Id";

// An empty ordered object with room for `n` keys. ordered_json keeps keys in a vector of pair<const string, json>,
// whose growth copies (not moves) every member, subtrees included: reserve before filling large objects.
ojson reserved_object(std::size_t n);

// A random (v4) UUID in canonical lower-case form.
std::string new_uuid();

// Thrown by handlers to answer with a HubSpot error; the pipeline turns it into the response.
class hs_error : public std::exception {
public:
    hs_error(int status, ojson body, header_list headers = {})
        : status_(status), body_(std::move(body)), headers_(std::move(headers))
    {
    }
    const char* what() const noexcept override { return "hubspot error response"; }
    int status() const noexcept { return status_; }
    const ojson& body() const noexcept { return body_; }
    const header_list& headers() const noexcept { return headers_; }

private:
    int status_;
    ojson body_;
    header_list headers_;
};

// {"status":"error","message":…,"correlationId":…} — callers append fields in HubSpot's order.
ojson error_head(const std::string& cid, std::string_view message);
// error_head + "category".
ojson error_body(const std::string& cid, std::string_view category, std::string_view message);

// 400 VALIDATION_ERROR with just a message.
hs_error validation_error(const std::string& cid, std::string_view message);
// 400 "Invalid input JSON on line L, column C: …" for a body that does not parse.
hs_error invalid_json(const std::string& cid, const std::string& body, const std::exception& e);
// 400 "Unable to infer object type from: x".
hs_error unknown_object_type(const std::string& cid, std::string_view type);
// 401 INVALID_AUTHENTICATION with x-hubspot-auth-failure.
hs_error invalid_authentication(const std::string& cid);
// 401 EXPIRED_AUTHENTICATION "The OAuth token used to make this call expired N second(s) ago."
hs_error expired_authentication(const std::string& cid, std::int64_t expired_at_ms, std::int64_t now_ms);
// 403 MISSING_SCOPES listing the alternatives in errors[0].context.requiredGranularScopes.
hs_error missing_scopes(const std::string& cid, const std::vector<std::string>& alternatives);
// 404 OBJECT_NOT_FOUND.
hs_error object_not_found(const std::string& cid, std::string_view message);

// One invalid property value of a write (hubspot-api.md §2.7).
struct property_error {
    std::string name;
    std::string code;     // PROPERTY_DOESNT_EXIST, INVALID_OPTION, INVALID_INTEGER, INVALID_DATE, READ_ONLY_VALUE, ...
    std::string message;  // "Property \"x\" does not exist"
};

// "Property values were not valid: [{\"isValid\":false,…,\"portalId\":N}]"
std::string property_errors_message(const std::vector<property_error>& errors, std::uint64_t portal_id);
// [{"message","code","context":{"propertyName":[…]}}]
ojson property_errors_details(const std::vector<property_error>& errors);

// A handler's answer before serialisation: the pipeline dumps it after releasing the state lock.
struct reply {
    int status = 200;
    ojson body;  // null: no body (204)
    header_list headers;
    // A body already serialised by the handler (large batch answers); when set, `body` is ignored.
    std::string serialized;
};

reply json_reply(int status, ojson body);
reply serialized_reply(int status, std::string body);
reply empty_reply(int status);
reply to_reply(const hs_error& e);
// Serialises `r` (the expensive part of a large batch answer).
api::response to_http(reply r);
api::response json_response(int status, const ojson& body);

}  // namespace hubsync::emulator
