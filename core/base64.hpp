#pragma once
#include <optional>
#include <string>
#include <string_view>

namespace hubsync::core {

// Standard alphabet with padding (RFC 4648 §4).
std::string base64_encode(std::string_view bytes);
// Accepts the standard and the URL-safe alphabet, with or without padding; surrounding whitespace is ignored.
// nullopt on any other character or an impossible length.
std::optional<std::string> base64_decode(std::string_view text);

}  // namespace hubsync::core
