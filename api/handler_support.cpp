#include "api/handler_support.hpp"

#include "api/validation.hpp"
#include "core/error.hpp"

#include <charconv>

namespace hubsync::api {

namespace {
std::optional<std::int64_t>
positive_int(const std::string& s)
{
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size() || v <= 0) return std::nullopt;
    return v;
}
}  // namespace

void
throw_not_found(const std::string& what, std::int64_t id)
{
    throw core::error(core::errc::not_found, what + " " + std::to_string(id) + " not found");
}

std::int64_t
path_id(const request& req, const std::string& what, const std::string& param)
{
    auto it = req.params.find(param);
    auto id = it == req.params.end() ? std::nullopt : positive_int(it->second);
    if (!id)
        throw core::error(core::errc::not_found,
                          what + " '" + (it == req.params.end() ? "" : it->second) + "' not found: ids are positive integers");
    return *id;
}

store::page_request
page_params(const request& req)
{
    store::page_request p;
    if (auto it = req.query.find("limit"); it != req.query.end()) {
        auto v = positive_int(it->second);
        if (!v || *v > 200)
            throw core::error(core::errc::invalid_request, "limit must be an integer from 1 to 200",
                              {{"limit", "must be an integer from 1 to 200"}});
        p.limit = static_cast<int>(*v);
    }
    if (auto it = req.query.find("cursor"); it != req.query.end() && !it->second.empty()) {
        auto v = positive_int(it->second);
        if (!v)
            throw core::error(core::errc::invalid_request, "cursor is not one this API returned",
                              {{"cursor", "use the next_cursor of the previous page"}});
        p.after = *v;
    }
    return p;
}

nlohmann::json
optional_body(const request& req)
{
    if (req.body.find_first_not_of(" \t\r\n") == std::string::npos) return nlohmann::json::object();
    return parse_body(req.body);
}

}  // namespace hubsync::api
