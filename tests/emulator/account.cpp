// GET /account-info/v3/details (hubspot-api.md §1.2).
#include "tests/emulator/handlers.hpp"

namespace hubsync::emulator {

reply
account_details(call& c)
{
    ojson body;
    body["portalId"] = c.st.portal_id();
    body["accountType"] = "STANDARD";
    // UTC, so the daily limit's midnight reset (rate_limit.cpp) is the portal's midnight.
    body["timeZone"] = "Etc/UTC";
    body["companyCurrency"] = "USD";
    body["additionalCurrencies"] = ojson::array();
    body["utcOffset"] = "+00:00";
    body["utcOffsetMilliseconds"] = 0;
    body["uiDomain"] = "app.hubspot.com";
    body["dataHostingLocation"] = "na1";
    return json_reply(200, std::move(body));
}

}  // namespace hubsync::emulator
