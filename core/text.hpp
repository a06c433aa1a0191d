#pragma once
#include <optional>
#include <string>
#include <vector>

namespace hubsync::core {

// ASCII lower case, byte by byte: what HubSpot does to emails and how names are compared case-insensitively. Bytes
// outside ASCII are left alone.
inline std::string
ascii_lower(std::string s)
{
    for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

// The candidate closest to `word` by edit distance (ASCII case ignored), when close enough to be a plausible typo.
std::optional<std::string> did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace hubsync::core
