#include "tests/emulator/hubspot_errors.hpp"

#include "tests/emulator/time_format.hpp"

#include <algorithm>
#include <random>

namespace hubsync::emulator {

ojson
reserved_object(std::size_t n)
{
    ojson j = ojson::object();
    j.get_ref<ojson::object_t&>().reserve(n);
    return j;
}

std::string
new_uuid()
{
    thread_local std::mt19937_64 rng{std::random_device{}()};
    std::uint64_t hi = rng(), lo = rng();
    hi = (hi & 0xffffffffffff0fffULL) | 0x0000000000004000ULL;  // version 4
    lo = (lo & 0x3fffffffffffffffULL) | 0x8000000000000000ULL;  // RFC 4122 variant
    // Every request gets one: hex digits by hand rather than through snprintf.
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(36, '-');
    std::size_t at = 0;
    auto put = [&](std::uint64_t v, int digits) {
        for (int i = 0; i < digits; ++i) out[at++] = hex[(v >> (4 * (digits - 1 - i))) & 0xF];
        ++at;  // the '-'
    };
    put(hi >> 32, 8);
    put((hi >> 16) & 0xffff, 4);
    put(hi & 0xffff, 4);
    put(lo >> 48, 4);
    put(lo & 0xffffffffffffULL, 12);
    return out;
}

ojson
error_head(const std::string& cid, std::string_view message)
{
    ojson j;
    j["status"] = "error";
    j["message"] = message;
    j["correlationId"] = cid;
    return j;
}

ojson
error_body(const std::string& cid, std::string_view category, std::string_view message)
{
    auto j = error_head(cid, message);
    j["category"] = category;
    return j;
}

hs_error
validation_error(const std::string& cid, std::string_view message)
{
    return hs_error(400, error_body(cid, "VALIDATION_ERROR", message));
}

hs_error
invalid_json(const std::string& cid, const std::string& body, const std::exception& e)
{
    std::size_t byte = 0;
    if (auto* pe = dynamic_cast<const nlohmann::json::parse_error*>(&e)) byte = pe->byte;
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < byte && i < body.size(); ++i) {
        if (body[i] == '\n') {
            ++line;
            column = 1;
        } else {
            ++column;
        }
    }
    std::string what = e.what();
    if (auto p = what.find("syntax error"); p != std::string::npos) what = what.substr(p);
    return validation_error(cid, "Invalid input JSON on line " + std::to_string(line) + ", column " +
                                     std::to_string(column) + ": " + what);
}

hs_error
unknown_object_type(const std::string& cid, std::string_view type)
{
    return validation_error(cid, "Unable to infer object type from: " + std::string(type));
}

hs_error
invalid_authentication(const std::string& cid)
{
    auto body = error_body(cid, "INVALID_AUTHENTICATION",
                           "Authentication credentials not found. This API supports OAuth 2.0 authentication and you "
                           "can find more details at https://developers.hubspot.com/docs/methods/auth/oauth-overview");
    return hs_error(401, std::move(body), {{"x-hubspot-auth-failure", "401 Unauthorized"}});
}

hs_error
expired_authentication(const std::string& cid, std::int64_t expired_at_ms, std::int64_t now_ms)
{
    std::int64_t ago = std::max<std::int64_t>(0, (now_ms - expired_at_ms) / 1000);
    std::string amount = ago >= 86'400 ? std::to_string(ago / 86'400) + " day(s)" : std::to_string(ago) + " second(s)";
    auto body =
        error_body(cid, "EXPIRED_AUTHENTICATION", "The OAuth token used to make this call expired " + amount + " ago.");
    // ISO with milliseconds, as in the observed body: {"expire time":["2026-03-10T23:04:41.164Z"]}.
    body["context"]["expire time"] = ojson::array({iso8601_ms(expired_at_ms)});
    return hs_error(401, std::move(body), {{"x-hubspot-auth-failure", "401 Unauthorized"}});
}

hs_error
missing_scopes(const std::string& cid, const std::vector<std::string>& alternatives)
{
    auto body = error_head(cid,
                           "This app hasn't been granted all required scopes to make this call. Read more about "
                           "required scopes here: https://developers.hubspot.com/scopes.");
    ojson detail;
    detail["message"] = "One or more of the following scopes are required.";
    detail["context"]["requiredGranularScopes"] = alternatives;
    body["errors"] = ojson::array({detail});
    body["links"]["scopes"] = "https://developers.hubspot.com/scopes";
    body["category"] = "MISSING_SCOPES";
    return hs_error(403, std::move(body));
}

hs_error
object_not_found(const std::string& cid, std::string_view message)
{
    return hs_error(404, error_body(cid, "OBJECT_NOT_FOUND", message));
}

std::string
property_errors_message(const std::vector<property_error>& errors, std::uint64_t portal_id)
{
    ojson list = ojson::array();
    for (const auto& e : errors) {
        ojson item;
        item["isValid"] = false;
        item["message"] = e.message;
        item["error"] = e.code;
        item["name"] = e.name;
        item["localizedErrorMessage"] = e.message;
        item["portalId"] = portal_id;
        list.push_back(std::move(item));
    }
    return "Property values were not valid: " + list.dump();
}

ojson
property_errors_details(const std::vector<property_error>& errors)
{
    ojson list = ojson::array();
    for (const auto& e : errors) {
        ojson item;
        item["message"] = e.message;
        item["code"] = e.code;
        item["context"]["propertyName"] = ojson::array({e.name});
        list.push_back(std::move(item));
    }
    return list;
}

namespace {
// An answer may quote what the client sent, e.g. nlohmann's parse error quotes the bytes it stopped at. Invalid
// UTF-8 among them is replaced (U+FFFD) rather than thrown on: the answer stays the 400 it is, not a 500.
std::string
dump_answer(const ojson& body)
{
    return body.dump(-1, ' ', false, ojson::error_handler_t::replace);
}
}  // namespace

api::response
json_response(int status, const ojson& body)
{
    api::response r;
    r.status = status;
    r.body = dump_answer(body);
    r.content_type = "application/json;charset=utf-8";
    return r;
}

reply
json_reply(int status, ojson body)
{
    reply r;
    r.status = status;
    r.body = std::move(body);
    return r;
}

reply
serialized_reply(int status, std::string body)
{
    reply r;
    r.status = status;
    r.serialized = std::move(body);
    return r;
}

reply
empty_reply(int status)
{
    reply r;
    r.status = status;
    return r;
}

reply
to_reply(const hs_error& e)
{
    reply r;
    r.status = e.status();
    r.body = e.body();
    r.headers = e.headers();
    return r;
}

api::response
to_http(reply r)
{
    api::response out;
    out.status = r.status;
    if (!r.serialized.empty()) {
        out.body = std::move(r.serialized);
        out.content_type = "application/json;charset=utf-8";
    } else if (!r.body.is_null()) {
        out.body = dump_answer(r.body);
        out.content_type = "application/json;charset=utf-8";
    }
    out.headers = std::move(r.headers);
    return out;
}

}  // namespace hubsync::emulator
