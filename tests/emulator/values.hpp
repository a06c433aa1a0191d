#pragma once
// Property values as HubSpot stores them: strings, checked against the property's type (hubspot-api.md §2.5).
#include "tests/emulator/hubspot_errors.hpp"
#include "tests/emulator/state.hpp"

#include <nlohmann/json.hpp>

#include <string>

namespace hubsync::emulator {

// The string form of a request value: strings as sent, numbers and booleans printed, null as "" (clears).
std::string scalar_to_string(const nlohmann::json& v);

// Converts `v` to the stored form for `p` (emails lower-cased, epoch-ms dates to "YYYY-MM-DD", datetimes to ISO,
// multi-checkbox ";x" appended to `current`). "" means "clear". Returns false and fills `err` when invalid.
// Does not check read-only flags: callers decide who may write what.
bool normalize_value(const property_def& p, const nlohmann::json& v, const std::string* current, std::string& out,
                     property_error& err);

// normalize_value of a value whose scalar_to_string is `s`.
bool normalize_string(const property_def& p, std::string s, const std::string* current, std::string& out,
                      property_error& err);

// The value an id or unique-property lookup compares with (emails are case-insensitive).
std::string lookup_key(const property_def* p, std::string value);

}  // namespace hubsync::emulator
