#pragma once
#include <map>
#include <string>
#include <vector>

namespace hubsync::api {

// A request as handlers see it: Beast stays in server.cpp, so handlers and the router are plain, testable code.
struct request {
    std::string method;                               // "GET", "POST", ...
    std::string path;                                 // decoded path without the query
    std::map<std::string, std::string> query;         // decoded; the last value wins
    std::string body;
    std::string authorization;                        // the Authorization header, as sent
    std::string request_id;
    std::map<std::string, std::string> params;        // path parameters, filled by the router
};

struct response {
    int status = 200;
    std::string body;
    std::string content_type = "application/json";
    std::vector<std::pair<std::string, std::string>> headers;

    // How the connection ends instead of a normal answer. Only the HubSpot emulator asks for these, to inject the
    // transport faults a real client must survive.
    enum class fault { none, reset_before_response, reset_mid_body };
    fault transport_fault = fault::none;
};

// Splits "/v1/x?a=1&b=%20" into a path and decoded query parameters. Returns false on a malformed escape.
bool parse_target(std::string_view target, std::string& path, std::map<std::string, std::string>& query);

}  // namespace hubsync::api
