#pragma once
#include <string>

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

}  // namespace hubsync::core
