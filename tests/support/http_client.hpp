#pragma once
#include <nlohmann/json.hpp>

#include <map>
#include <string>

namespace hubsync::test {

struct http_result {
    int status = 0;
    std::string body;
    std::map<std::string, std::string> headers;  // lower-case names

    nlohmann::json json() const { return nlohmann::json::parse(body); }
    std::string header(const std::string& name) const
    {
        auto it = headers.find(name);
        return it == headers.end() ? std::string{} : it->second;
    }
};

// A blocking HTTP/1.1 client for tests: one request per connection unless a persistent_client is used.
http_result http_request(unsigned short port, const std::string& method, const std::string& target,
                         const std::string& body = {}, const std::map<std::string, std::string>& headers = {});

// Keeps one connection open across requests (keep-alive checks).
class persistent_client {
public:
    explicit persistent_client(unsigned short port);
    ~persistent_client();
    http_result request(const std::string& method, const std::string& target, const std::string& body = {},
                        const std::map<std::string, std::string>& headers = {});

private:
    struct impl;
    impl* impl_;
};

// Writes raw bytes and returns everything the server sends until it closes the connection or `timeout_ms`
// passes; for malformed requests and timeouts.
std::string raw_exchange(unsigned short port, const std::string& bytes, int timeout_ms = 5000);

// A port nothing listens on right now.
unsigned short free_port();

}  // namespace hubsync::test
