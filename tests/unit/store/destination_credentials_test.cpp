#include "store/destination_credentials.hpp"

#include <catch2/catch.hpp>

using namespace hubsync::store;

TEST_CASE("destination credentials: sealed and opened again", "[store][secrets]")
{
    secret_box box(std::string(32, 'k'));
    CHECK_FALSE(seal_credentials(box, {}));
    CHECK(open_credentials(box, std::nullopt).empty());

    destination_credentials c;
    c.private_app_token = "pat-na1-x";
    c.oauth = oauth_credentials{"access", "refresh", 1700000000};
    auto sealed = seal_credentials(box, c);
    REQUIRE(sealed);
    CHECK(sealed->find("pat-na1-x") == std::string::npos);
    auto back = open_credentials(box, sealed);
    CHECK(back.private_app_token == c.private_app_token);
    REQUIRE(back.oauth);
    CHECK(back.oauth->access_token == "access");
    CHECK(back.oauth->refresh_token == "refresh");
    CHECK(back.oauth->expires_at == 1700000000);

    // Sealed for a source row, it does not open as a destination's credentials.
    auto as_source = box.seal(R"({"private_app_token":"x"})", "source");
    CHECK_THROWS_AS(open_credentials(box, as_source), secret_error);
}
