#pragma once
#include <string>
#include <string_view>
#include <vector>

namespace hubsync::api {

// True when `authorization` is "Bearer <t>" for one of `tokens`. Compares SHA-256 digests in constant time, so
// neither a token's content nor its length leaks through timing.
bool bearer_token_valid(std::string_view authorization, const std::vector<std::string>& tokens);

}  // namespace hubsync::api
