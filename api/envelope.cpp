#include "api/envelope.hpp"

namespace hubsync::api {

response
json_response(int status, const nlohmann::json& body)
{
    response r;
    r.status = status;
    // Replace invalid UTF-8 (from warehouse text or user input echoed back) instead of throwing mid-response.
    r.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return r;
}

response
error_response(const core::error& e)
{
    nlohmann::json details = nlohmann::json::array();
    for (const auto& d : e.details()) details.push_back({{"path", d.path}, {"message", d.message}});
    auto r = json_response(core::http_status(e.code()),
                           {{"error", {{"code", core::to_string(e.code())}, {"message", e.what()}, {"details", details}}}});
    if (e.code() == core::errc::unauthorized) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"hubsync\"");
    return r;
}

response
internal_error_response(const std::string& request_id)
{
    return json_response(500, {{"error",
                                {{"code", "internal"},
                                 {"message", "internal error; the daemon's log has the details under request id " +
                                                 request_id},
                                 {"details", nlohmann::json::array()}}}});
}

}  // namespace hubsync::api
