#pragma once
// Small assertions shared by the emulator tests.
#include "tests/support/http_client.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace hubsync::test {

// The JSON list embedded in "Property values were not valid: [...]".
inline nlohmann::json
embedded_property_errors(const std::string& message)
{
    const std::string prefix = "Property values were not valid: ";
    if (message.rfind(prefix, 0) != 0) return nullptr;
    return nlohmann::json::parse(message.substr(prefix.size()));
}

// The result in `results` whose id is `id` (null when absent).
inline nlohmann::json
result_with_id(const nlohmann::json& results, const std::string& id)
{
    for (const auto& r : results)
        if (r["id"] == id) return r;
    return nullptr;
}

}  // namespace hubsync::test
