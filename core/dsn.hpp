#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace hubsync::core {

struct dsn_check {
    bool ok = false;
    std::string error;        // libpq's reason when !ok
    bool has_password = false;
};

// Parses a libpq connection string (postgresql:// URL or key=value form) without connecting.
dsn_check check_dsn(const std::string& dsn);

// The same string with any password replaced by "********", safe to show and log.
std::string redact_dsn(const std::string& dsn);

// `message` with every copy of `dsn` replaced by its redacted form: libpq quotes a malformed connection string
// back in its errors.
std::string hide_dsn(std::string message, const std::string& dsn);

// Adds connect_timeout (seconds) unless the string sets one, so an unreachable host fails fast.
std::string with_connect_timeout(const std::string& dsn, int seconds);

}  // namespace hubsync::core
