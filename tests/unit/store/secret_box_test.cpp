#include "store/secret_box.hpp"

#include "core/base64.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

using hubsync::core::base64_decode;
using hubsync::core::base64_encode;
using hubsync::store::secret_box;
using hubsync::store::secret_error;

std::string
key_bytes(char fill)
{
    std::string k(32, fill);
    for (std::size_t i = 0; i < k.size(); ++i) k[i] = static_cast<char>(k[i] + static_cast<char>(i));
    return k;
}

// Message of the secret_error `f` throws; fails the test when it throws nothing or something else.
template <class F>
std::string
secret_error_message(F f)
{
    try {
        f();
    } catch (const secret_error& e) {
        return e.what();
    }
    FAIL("expected a secret_error");
    return {};
}

// Flips one bit of the decoded payload at `index` and re-encodes it.
std::string
tamper(const std::string& sealed, std::size_t index)
{
    auto raw = base64_decode(sealed.substr(3));
    REQUIRE(raw);
    REQUIRE(index < raw->size());
    (*raw)[index] = static_cast<char>((*raw)[index] ^ 0x01);
    return "v1:" + base64_encode(*raw);
}

}  // namespace

TEST_CASE("seal then open returns the plaintext", "[store][secret_box]")
{
    const secret_box box(key_bytes('a'));
    for (const auto& plain : {std::string(), std::string("hunter2"), std::string("a\0b\xff", 4),
                                    std::string(10000, 'x'), std::string("{\"url\":\"postgresql://u:p@h/db\"}")}) {
        const auto sealed = box.seal(plain, "source");
        INFO("plaintext size " << plain.size());
        CHECK(box.open(sealed, "source") == plain);
    }
}

TEST_CASE("a sealed value is v1: + base64(nonce | ciphertext | tag) and hides the plaintext", "[store][secret_box]")
{
    const secret_box box(key_bytes('a'));
    const std::string plain = "correct horse battery staple";
    const auto sealed = box.seal(plain, "source");
    REQUIRE(sealed.rfind("v1:", 0) == 0);
    const auto raw = base64_decode(sealed.substr(3));
    REQUIRE(raw);
    CHECK(raw->size() == 12 + plain.size() + 16);
    CHECK(sealed.find(plain) == std::string::npos);
    CHECK(raw->find(plain) == std::string::npos);
}

TEST_CASE("each seal uses a fresh nonce, so equal plaintexts seal differently", "[store][secret_box]")
{
    const secret_box box(key_bytes('a'));
    const auto a = box.seal("same", "source");
    const auto b = box.seal("same", "source");
    CHECK(a != b);
    CHECK(base64_decode(a.substr(3))->substr(0, 12) != base64_decode(b.substr(3))->substr(0, 12));
    CHECK(box.open(a, "source") == "same");
    CHECK(box.open(b, "source") == "same");
}

TEST_CASE("a value sealed under another key does not open", "[store][secret_box]")
{
    const secret_box box(key_bytes('a'));
    const secret_box other(key_bytes('b'));
    const auto sealed = box.seal("hunter2", "source");
    const auto message = secret_error_message([&] { other.open(sealed, "source"); });
    CHECK(message.find("wrong HUBSYNC_SECRET_KEY or altered data") != std::string::npos);
    CHECK(message.find("hunter2") == std::string::npos);
}

TEST_CASE("a value sealed under another context does not open", "[store][secret_box]")
{
    const secret_box box(key_bytes('a'));
    const auto sealed = box.seal("hunter2", "source");
    CHECK_THROWS_AS(box.open(sealed, "destination"), secret_error);
    CHECK_THROWS_AS(box.open(sealed, ""), secret_error);
    CHECK_THROWS_AS(box.open(sealed, "sourcE"), secret_error);
    CHECK(box.open(sealed, "source") == "hunter2");
}

TEST_CASE("any altered byte of nonce, ciphertext or tag makes open fail", "[store][secret_box]")
{
    const secret_box box(key_bytes('a'));
    const std::string plain = "hunter2";
    const auto sealed = box.seal(plain, "source");
    const std::size_t size = 12 + plain.size() + 16;
    for (std::size_t i = 0; i < size; ++i) {
        INFO("altered byte " << i);
        CHECK_THROWS_AS(box.open(tamper(sealed, i), "source"), secret_error);
    }
}

TEST_CASE("open rejects malformed sealed values", "[store][secret_box]")
{
    const secret_box box(key_bytes('a'));
    const auto sealed = box.seal("hunter2", "source");

    CHECK(secret_error_message([&] { box.open(sealed.substr(3), "source"); }) == "unknown secret format");
    CHECK(secret_error_message([&] { box.open("v2:" + sealed.substr(3), "source"); }) == "unknown secret format");
    CHECK(secret_error_message([&] { box.open("", "source"); }) == "unknown secret format");
    CHECK(secret_error_message([&] { box.open("v1:not base64!", "source"); }) == "malformed sealed secret");
    // Shorter than nonce + tag.
    CHECK(secret_error_message([&] { box.open("v1:" + base64_encode(std::string(27, 'x')), "source"); }) ==
          "malformed sealed secret");
    // Truncated: the tag no longer verifies.
    auto raw = *base64_decode(sealed.substr(3));
    raw.pop_back();
    CHECK_THROWS_AS(box.open("v1:" + base64_encode(raw), "source"), secret_error);
    // Extended with a byte.
    CHECK_THROWS_AS(box.open("v1:" + base64_encode(*base64_decode(sealed.substr(3)) + "x"), "source"),
                    secret_error);
}

TEST_CASE("the constructor requires exactly 32 key bytes", "[store][secret_box]")
{
    CHECK_NOTHROW(secret_box(std::string(32, 'k')));
    CHECK_THROWS_AS(secret_box(std::string(31, 'k')), secret_error);
    CHECK_THROWS_AS(secret_box(std::string(33, 'k')), secret_error);
    CHECK_THROWS_AS(secret_box(std::string()), secret_error);
}

TEST_CASE("from_base64 accepts base64 of 32 bytes and interoperates with the raw key", "[store][secret_box]")
{
    const auto raw = key_bytes('a');
    const auto encoded = base64_encode(raw);  // 44 characters with one '=', as `openssl rand -base64 32` prints
    REQUIRE(encoded.size() == 44);
    const auto box = secret_box::from_base64(encoded + "\n");
    const secret_box direct(raw);
    CHECK(direct.open(box.seal("hunter2", "source"), "source") == "hunter2");
    CHECK(box.open(direct.seal("hunter2", "source"), "source") == "hunter2");
}

TEST_CASE("from_base64 errors explain the problem and never echo the key", "[store][secret_box]")
{
    SECTION("empty")
    {
        const auto message = secret_error_message([] { secret_box::from_base64(""); });
        CHECK(message.find("HUBSYNC_SECRET_KEY is not set") != std::string::npos);
        CHECK(message.find("openssl rand -base64 32") != std::string::npos);
    }
    SECTION("not base64")
    {
        const std::string key = "Zm9vYmFy!!SuperSecretKeyMaterial!!Zm9vYmFyZm9v";
        const auto message = secret_error_message([&] { secret_box::from_base64(key); });
        CHECK(message.find("not valid base64") != std::string::npos);
        CHECK(message.find(key) == std::string::npos);
        CHECK(message.find("SuperSecretKeyMaterial") == std::string::npos);
    }
    SECTION("wrong length")
    {
        const auto key = base64_encode(key_bytes('z').substr(0, 24));
        const auto message = secret_error_message([&] { secret_box::from_base64(key); });
        CHECK(message.find("must decode to 32 bytes, it decodes to 24") != std::string::npos);
        CHECK(message.find(key) == std::string::npos);
        CHECK(message.find(key.substr(0, 8)) == std::string::npos);
    }
    SECTION("too long")
    {
        const auto key = base64_encode(key_bytes('z') + "extra");
        const auto message = secret_error_message([&] { secret_box::from_base64(key); });
        CHECK(message.find("it decodes to 37") != std::string::npos);
        CHECK(message.find(key.substr(0, 8)) == std::string::npos);
    }
    SECTION("whitespace only")
    {
        const auto message = secret_error_message([] { secret_box::from_base64("   "); });
        CHECK(message.find("must decode to 32 bytes, it decodes to 0") != std::string::npos);
    }
}
