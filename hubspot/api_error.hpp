#pragma once
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace hubsync::hubspot {

// One failed input of a batch (207 errors[], or a whole-request 400 about specific inputs).
struct input_error {
    std::optional<std::string> trace_id;      // context.objectWriteTraceId: which input it was
    std::vector<std::string> ids;             // context.ids: records not found / duplicated
    std::string category;                     // VALIDATION_ERROR, OBJECT_NOT_FOUND, CONFLICT, ...
    std::string code;                         // errors[].code or the embedded "error": PROPERTY_DOESNT_EXIST, ...
    std::string message;
    std::vector<std::string> properties;      // the properties the message is about
};

// Everything HubSpot said about a failure, from any of its error shapes (hubspot-api.md §2.7, §1.3, §1.5, §6.3):
// the generic error, 207 batch errors, 429 rate-limit bodies and OAuth token errors. Every field is optional.
struct error_info {
    int http_status = 0;
    std::string category;                     // or errorType ("RATE_LIMIT") for 429s
    std::string sub_category;
    std::string message;
    std::string correlation_id;
    std::string policy_name;                  // 429: TEN_SECONDLY_ROLLING | SECONDLY | DAILY
    std::string oauth_error;                  // invalid_grant, invalid_client, ...
    std::string oauth_status;                 // BAD_REFRESH_TOKEN, ...
    std::vector<std::string> required_scopes; // 403 MISSING_SCOPES
    std::optional<std::string> existing_id;   // 409 "... already exists. Existing ID: N"
    std::vector<input_error> inputs;
};

// Parses a HubSpot error body; a body that is not JSON keeps its first 200 bytes as the message.
error_info parse_error(int http_status, std::string_view body);
// The errors[] of a batch answer (200/201/207).
std::vector<input_error> parse_batch_errors(const nlohmann::json& batch);

// A request HubSpot refused, after any retries.
class api_error : public std::runtime_error {
public:
    explicit api_error(error_info info);
    const error_info& info() const noexcept { return info_; }
    int status() const noexcept { return info_.http_status; }
    bool missing_scopes() const noexcept { return info_.category == "MISSING_SCOPES"; }
    bool expired_authentication() const noexcept { return info_.category == "EXPIRED_AUTHENTICATION"; }

private:
    error_info info_;
};

// The request may or may not have reached HubSpot (timeout, reset, TLS failure...), and it was not re-sent.
class transport_error : public std::runtime_error {
public:
    transport_error(std::string kind, const std::string& detail, bool request_sent)
        : std::runtime_error(kind + ": " + detail), kind_(std::move(kind)), request_sent_(request_sent)
    {
    }
    const std::string& kind() const noexcept { return kind_; }
    bool request_sent() const noexcept { return request_sent_; }

private:
    std::string kind_;
    bool request_sent_;
};

// The daily budget is spent; nothing goes until `resumes_at` (ISO-8601).
class daily_limit_reached : public std::runtime_error {
public:
    explicit daily_limit_reached(std::string resumes_at)
        : std::runtime_error("HubSpot's daily API limit for this portal is reached; requests resume at " + resumes_at),
          resumes_at_(std::move(resumes_at))
    {
    }
    const std::string& resumes_at() const noexcept { return resumes_at_; }

private:
    std::string resumes_at_;
};

}  // namespace hubsync::hubspot
