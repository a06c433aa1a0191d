#include "api/auth.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

namespace {

using hubsync::api::bearer_token_valid;

const std::vector<std::string> tokens{"tok_aaaaaaaaaaaaaaaaaaaa", "tok_bbbbbbbbbbbbbbbbbbbb"};

}  // namespace

TEST_CASE("bearer_token_valid accepts any configured token", "[api][auth]")
{
    CHECK(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaaa", tokens));
    CHECK(bearer_token_valid("Bearer tok_bbbbbbbbbbbbbbbbbbbb", tokens));
    CHECK(bearer_token_valid("Bearer x", {"x"}));
}

TEST_CASE("bearer_token_valid compares the scheme case-insensitively", "[api][auth]")
{
    CHECK(bearer_token_valid("bearer tok_aaaaaaaaaaaaaaaaaaaa", tokens));
    CHECK(bearer_token_valid("BEARER tok_aaaaaaaaaaaaaaaaaaaa", tokens));
    CHECK(bearer_token_valid("bEaReR tok_bbbbbbbbbbbbbbbbbbbb", tokens));
}

TEST_CASE("bearer_token_valid compares the token itself exactly", "[api][auth]")
{
    CHECK_FALSE(bearer_token_valid("Bearer TOK_AAAAAAAAAAAAAAAAAAAA", tokens));
    CHECK_FALSE(bearer_token_valid("Bearer tok_cccccccccccccccccccc", tokens));
}

TEST_CASE("bearer_token_valid rejects a missing or empty token", "[api][auth]")
{
    CHECK_FALSE(bearer_token_valid("", tokens));
    CHECK_FALSE(bearer_token_valid("Bearer", tokens));
    CHECK_FALSE(bearer_token_valid("Bearer ", tokens));
    CHECK_FALSE(bearer_token_valid("Bearer ", {""}));
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaaa", {}));
}

TEST_CASE("bearer_token_valid rejects other schemes and a missing separator", "[api][auth]")
{
    CHECK_FALSE(bearer_token_valid("Basic tok_aaaaaaaaaaaaaaaaaaaa", tokens));
    CHECK_FALSE(bearer_token_valid("Token tok_aaaaaaaaaaaaaaaaaaaa", tokens));
    CHECK_FALSE(bearer_token_valid("tok_aaaaaaaaaaaaaaaaaaaa", tokens));
    CHECK_FALSE(bearer_token_valid("Bearertok_aaaaaaaaaaaaaaaaaaaa", tokens));
    CHECK_FALSE(bearer_token_valid("Bearer:tok_aaaaaaaaaaaaaaaaaaaa", tokens));
}

TEST_CASE("bearer_token_valid rejects a prefix, a suffix or an extension of a valid token", "[api][auth]")
{
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaa", tokens));     // one short
    CHECK_FALSE(bearer_token_valid("Bearer tok_", tokens));                        // prefix
    CHECK_FALSE(bearer_token_valid("Bearer aaaaaaaaaaaaaaaaaaaa", tokens));        // suffix
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaaaX", tokens));   // extended
    CHECK_FALSE(bearer_token_valid("Bearer Xtok_aaaaaaaaaaaaaaaaaaaa", tokens));   // prepended
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaaa ", tokens));   // trailing space
}

TEST_CASE("bearer_token_valid does not accept several tokens in one header", "[api][auth]")
{
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaaa,tok_bbbbbbbbbbbbbbbbbbbb", tokens));
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaaa tok_bbbbbbbbbbbbbbbbbbbb", tokens));
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaaaaaaaaaaaaaaaaaa, Bearer tok_bbbbbbbbbbbbbbbbbbbb", tokens));
    // A configured list that contains the concatenation does not make a prefix valid either.
    CHECK_FALSE(bearer_token_valid("Bearer tok_aaaa", {"tok_aaaabbbb", "tok_aaaacccc"}));
}
