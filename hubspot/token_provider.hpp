#pragma once
#include "core/net.hpp"

#include <string>

namespace hubsync::hubspot {

// Where the client's bearer token comes from: a private app token, or OAuth with refresh.
class token_provider {
public:
    virtual ~token_provider() = default;
    virtual net::awaitable<std::string> access_token() = 0;
    // HubSpot answered EXPIRED_AUTHENTICATION for `rejected`. True when a different token is now available (the
    // client then retries once); every concurrent caller shares one refresh.
    virtual net::awaitable<bool> refresh_after_expiry(std::string rejected) = 0;
    // "private_app_token" | "oauth": OAuth answers carry no daily rate-limit headers.
    virtual std::string kind() const = 0;
};

// A private app token: static, never refreshed.
class static_token final : public token_provider {
public:
    explicit static_token(std::string token) : token_(std::move(token)) {}
    net::awaitable<std::string> access_token() override { co_return token_; }
    net::awaitable<bool> refresh_after_expiry(std::string) override { co_return false; }
    std::string kind() const override { return "private_app_token"; }

private:
    std::string token_;
};

}  // namespace hubsync::hubspot
