#pragma once
// HubSpot's API limits (hubspot-api.md §6, §8.18-19): a rolling burst window per app, a daily count per portal,
// and the separate per-second search bucket.
#include "tests/emulator/call.hpp"

namespace hubsync::emulator {

// Charges one request of c.who to its app's burst window and (private apps) to the portal's daily count.
// Returns the X-HubSpot-RateLimit-* headers for the answer; throws 429 TEN_SECONDLY_ROLLING or DAILY (with the
// same headers, and Retry-After when configured). Requests refused with 429 are not charged.
header_list charge_request(call& c);

// Charges one search request to the portal's per-second bucket; throws 429 SECONDLY. Search answers carry no
// rate-limit headers.
void charge_search(call& c);

}  // namespace hubsync::emulator
