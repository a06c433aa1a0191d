#include "tests/emulator/auth.hpp"

#include <cctype>

namespace hubsync::emulator {

std::optional<std::string>
bearer_token(std::string_view authorization)
{
    constexpr std::string_view scheme = "bearer ";
    if (authorization.size() <= scheme.size()) return std::nullopt;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(static_cast<unsigned char>(authorization[i])) != scheme[i]) return std::nullopt;
    auto token = authorization.substr(scheme.size());
    while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token.empty()) return std::nullopt;
    return std::string(token);
}

void
authenticate(call& c)
{
    auto token = bearer_token(c.req.authorization);
    if (!token) throw invalid_authentication(c.cid);
    auto* info = c.st.find_token(*token);
    if (!info) throw invalid_authentication(c.cid);
    if (info->expires_at && *info->expires_at <= c.now)
        throw expired_authentication(c.cid, to_epoch_ms(*info->expires_at), c.now_ms());
    c.who = info;
}

}  // namespace hubsync::emulator
