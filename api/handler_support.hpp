#pragma once
#include "api/envelope.hpp"
#include "api/http_types.hpp"
#include "store/paging.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace hubsync::api {

// The numeric {id} path parameter; anything else is a 404 naming the resource ("source 12 not found").
std::int64_t path_id(const request& req, const std::string& what, const std::string& param = "id");

[[noreturn]] void throw_not_found(const std::string& what, std::int64_t id);

// ?limit=1..200 (default 50) and ?cursor=<opaque>; a bad value is a 400 naming the parameter.
store::page_request page_params(const request& req);

// {"data":[...], "next_cursor": "..."|null}
template <class Page, class Map>
nlohmann::json
page_json(const Page& p, Map map)
{
    nlohmann::json data = nlohmann::json::array();
    for (const auto& item : p.items) data.push_back(map(item));
    nlohmann::json next = nullptr;
    if (p.next_after) next = std::to_string(*p.next_after);
    return {{"data", std::move(data)}, {"next_cursor", std::move(next)}};
}

// The request body when one is optional (POST …/test, …/preview): empty means {}.
nlohmann::json optional_body(const request& req);

}  // namespace hubsync::api
