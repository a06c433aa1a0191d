#pragma once
// Reading members of HubSpot's answers, which are loose about types: one place for the two readings we use.
#include <nlohmann/json.hpp>

#include <string>

namespace hubsync::hubspot {

// A string member as it is; "" when absent or not a string.
inline std::string
string_member(const nlohmann::json& j, const char* key)
{
    auto it = j.find(key);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string{};
}

// A member as text: strings as they are, numbers and other values as JSON (ids come either way); "" when absent
// or null.
inline std::string
text_member(const nlohmann::json& j, const char* key)
{
    auto it = j.find(key);
    if (it == j.end() || it->is_null()) return {};
    return it->is_string() ? it->get<std::string>() : it->dump();
}

}  // namespace hubsync::hubspot
