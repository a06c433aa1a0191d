#include "core/base64.hpp"

#include <catch2/catch.hpp>

#include <optional>
#include <string>

namespace {

using hubsync::core::base64_decode;
using hubsync::core::base64_encode;

std::string
all_bytes()
{
    std::string s;
    for (int i = 0; i < 256; ++i) s += static_cast<char>(i);
    return s;
}

}  // namespace

TEST_CASE("base64_encode matches the RFC 4648 test vectors for every input length 0..6", "[core][base64]")
{
    // RFC 4648 §10: the padding differs for each length modulo 3.
    CHECK(base64_encode("") == "");
    CHECK(base64_encode("f") == "Zg==");
    CHECK(base64_encode("fo") == "Zm8=");
    CHECK(base64_encode("foo") == "Zm9v");
    CHECK(base64_encode("foob") == "Zm9vYg==");
    CHECK(base64_encode("fooba") == "Zm9vYmE=");
    CHECK(base64_encode("foobar") == "Zm9vYmFy");
}

TEST_CASE("base64_decode reverses the RFC 4648 test vectors", "[core][base64]")
{
    CHECK(base64_decode("") == std::optional<std::string>(""));
    CHECK(base64_decode("Zg==") == std::optional<std::string>("f"));
    CHECK(base64_decode("Zm8=") == std::optional<std::string>("fo"));
    CHECK(base64_decode("Zm9v") == std::optional<std::string>("foo"));
    CHECK(base64_decode("Zm9vYg==") == std::optional<std::string>("foob"));
    CHECK(base64_decode("Zm9vYmE=") == std::optional<std::string>("fooba"));
    CHECK(base64_decode("Zm9vYmFy") == std::optional<std::string>("foobar"));
}

TEST_CASE("base64 round-trips binary data of every length 0..5 and all byte values", "[core][base64]")
{
    const std::string bytes = all_bytes();
    for (std::size_t len = 0; len <= 5; ++len) {
        for (std::size_t start = 0; start + len <= bytes.size(); start += 37) {
            const std::string in = bytes.substr(start, len);
            const std::string enc = base64_encode(in);
            INFO("length " << len << " start " << start << " encoded " << enc);
            CHECK(enc.size() == (len + 2) / 3 * 4);
            const auto dec = base64_decode(enc);
            REQUIRE(dec.has_value());
            CHECK(*dec == in);
        }
    }
    const auto dec = base64_decode(base64_encode(bytes));
    REQUIRE(dec.has_value());
    CHECK(*dec == bytes);
}

TEST_CASE("base64_encode uses the standard alphabet with + and /", "[core][base64]")
{
    CHECK(base64_encode(std::string("\xfb\xff", 2)) == "+/8=");
    CHECK(base64_encode(std::string("\xff\xff\xff", 3)) == "////");
    CHECK(base64_encode(std::string("\xfb\xef\xbe", 3)) == "++++");
    CHECK(base64_encode(std::string(3, '\0')) == "AAAA");
}

TEST_CASE("base64_decode accepts the URL-safe alphabet and missing padding", "[core][base64]")
{
    CHECK(base64_decode("-_8=") == std::optional<std::string>(std::string("\xfb\xff", 2)));
    CHECK(base64_decode("-_8") == std::optional<std::string>(std::string("\xfb\xff", 2)));
    CHECK(base64_decode("____") == std::optional<std::string>(std::string("\xff\xff\xff", 3)));
    CHECK(base64_decode("----") == std::optional<std::string>(std::string("\xfb\xef\xbe", 3)));
    // Unpadded forms of every remainder.
    CHECK(base64_decode("Zg") == std::optional<std::string>("f"));
    CHECK(base64_decode("Zm8") == std::optional<std::string>("fo"));
    CHECK(base64_decode("Zm9vYg") == std::optional<std::string>("foob"));
}

TEST_CASE("base64_decode ignores surrounding whitespace but not whitespace inside", "[core][base64]")
{
    CHECK(base64_decode("  Zm9v\n") == std::optional<std::string>("foo"));
    CHECK(base64_decode("\t\r\nZm9vYmE=\r\n") == std::optional<std::string>("fooba"));
    CHECK(base64_decode("   ") == std::optional<std::string>(""));
    CHECK_FALSE(base64_decode("Zm 9v").has_value());
    CHECK_FALSE(base64_decode("Zm9v\nYmFy").has_value());
}

TEST_CASE("base64_decode rejects characters outside both alphabets", "[core][base64]")
{
    CHECK_FALSE(base64_decode("Zm9v!").has_value());
    CHECK_FALSE(base64_decode("Zm9*").has_value());
    CHECK_FALSE(base64_decode("Zm.v").has_value());
    CHECK_FALSE(base64_decode(std::string("Zm9\0", 4)).has_value());
    CHECK_FALSE(base64_decode("Zm9\xc3\xa9").has_value());
    // Padding is only allowed at the end.
    CHECK_FALSE(base64_decode("Zg==Zm8=").has_value());
    CHECK_FALSE(base64_decode("Z=g=").has_value());
}

TEST_CASE("base64_decode rejects impossible lengths", "[core][base64]")
{
    // 4n+1 significant characters cannot encode a whole number of bytes.
    CHECK_FALSE(base64_decode("Z").has_value());
    CHECK_FALSE(base64_decode("Z===").has_value());
    CHECK_FALSE(base64_decode("Zm9vY").has_value());
    CHECK_FALSE(base64_decode("Zm9vY===").has_value());
    CHECK_FALSE(base64_decode("Zm9vYmFyZ").has_value());
}
