// core::append_json_string against nlohmann's dump(): the same text, or the same error, in both UTF-8 modes.
#include "core/json_string.hpp"

#include <nlohmann/json.hpp>

#include <catch2/catch.hpp>

#include <random>
#include <string>

using hubsync::core::append_json_string;
using hubsync::core::invalid_utf8;

namespace {
using json = nlohmann::json;

std::string
nlohmann_string(const std::string& s, invalid_utf8 mode)
{
    try {
        return mode == invalid_utf8::raise ? json(s).dump()
                                           : json(s).dump(-1, ' ', false, json::error_handler_t::replace);
    } catch (const std::exception& e) {
        return std::string("error: ") + e.what();
    }
}

std::string
our_string(const std::string& s, invalid_utf8 mode)
{
    // Appended after other text, which a replacement must leave alone.
    std::string out = "[1,";
    try {
        append_json_string(out, s, mode);
        return out.substr(3);
    } catch (const std::exception& e) {
        return std::string("error: ") + e.what();
    }
}

void
check_both_modes(const std::string& s)
{
    for (const auto mode : {invalid_utf8::raise, invalid_utf8::replace}) {
        INFO("string: " << s << (mode == invalid_utf8::raise ? " (raise)" : " (replace)"));
        CHECK(our_string(s, mode) == nlohmann_string(s, mode));
    }
}
}  // namespace

TEST_CASE("append_json_string writes what nlohmann's dump writes, ill-formed UTF-8 included", "[core][json]")
{
    for (const char* s : {"", "a", "\"", "\\", "/", "\b\f\n\r\t", "\x01\x1f\x7f", "caf\xc3\xa9", "\xe2\x82\xac",
                          "\xf0\x9f\x98\x80", "\xc3", "\xc0\xaf", "\xe0\x80\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80",
                          "\xff", "M\xc3\xbcller@example.com", "ok \xff then \"quoted\" \xc3\xa9"})
        check_both_modes(s);
    check_both_modes(std::string("a\0b", 3));
    // Random strings from pieces that are plain, escaped, well-formed and ill-formed UTF-8.
    const char* const pieces[] = {"a", "Z9 ", "\"", "\\", "\n", "\x01", "\x7f", "\xc3\xa9", "\xe2\x82\xac",
                                  "\xf0\x9f\x98\x80", "\xc3", "\x80", "\xed\xa0\x80", "\xf5", "\xe0\xa0"};
    std::mt19937 rng(20261127);
    for (int i = 0; i < 5000; ++i) {
        std::string s;
        for (int n = static_cast<int>(rng() % 10); n > 0; --n) s += pieces[rng() % std::size(pieces)];
        check_both_modes(s);
    }
}
