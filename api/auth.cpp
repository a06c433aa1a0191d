#include "api/auth.hpp"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <array>

namespace hubsync::api {

namespace {
std::array<unsigned char, SHA256_DIGEST_LENGTH>
digest(std::string_view s)
{
    std::array<unsigned char, SHA256_DIGEST_LENGTH> d{};
    SHA256(reinterpret_cast<const unsigned char*>(s.data()), s.size(), d.data());
    return d;
}
}  // namespace

bool
bearer_token_valid(std::string_view authorization, const std::vector<std::string>& tokens)
{
    constexpr std::string_view scheme = "Bearer ";
    if (authorization.size() <= scheme.size()) return false;
    for (std::size_t i = 0; i < scheme.size(); ++i)
        if (std::tolower(authorization[i]) != std::tolower(scheme[i])) return false;
    auto given = digest(authorization.substr(scheme.size()));
    bool ok = false;
    for (const auto& t : tokens) {
        auto want = digest(t);
        ok |= CRYPTO_memcmp(given.data(), want.data(), want.size()) == 0;
    }
    return ok;
}

}  // namespace hubsync::api
