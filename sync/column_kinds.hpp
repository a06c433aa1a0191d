#pragma once
// Internal to value conversion: which property types a column kind can feed, and the message when it cannot.
#include "hubspot/portal_schema.hpp"
#include "sync/value_conversion.hpp"

#include <string>
#include <string_view>

namespace hubsync::sync::detail {

enum class target { string, number, boolean, date, datetime, enumeration };

target
target_of(const hubspot::property_info& p);

// HubSpot's only multi-select field type; select, radio and booleancheckbox hold one option.
bool
is_multi_select(const hubspot::property_info& p);

struct mismatch {
    bool refused = false;
    std::string_view hint;  // how to fix it in the model SQL; may be empty
};

mismatch
check_kind(column_kind k, target t, bool multi);

std::string
mismatch_text(column_kind k, const hubspot::property_info& p, std::string_view hint);

}  // namespace hubsync::sync::detail
