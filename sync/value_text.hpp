#pragma once
// Internal to value conversion: pure text helpers (spaces, case, numbers, booleans, lengths, values in messages).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace hubsync::sync::detail {

constexpr std::size_t max_shown_bytes = 100;

// Locale-independent on purpose: <cctype> follows the global locale and is undefined for negative chars.
inline bool is_digit(char c) { return c >= '0' && c <= '9'; }
inline char to_lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

std::string_view
trim(std::string_view s);

bool
iequals(std::string_view a, std::string_view b);

bool
skip_char(std::string_view s, std::size_t& i, char c);

// At most max_shown_bytes of the value, cut on a UTF-8 character boundary so the message stays valid text.
void
append_shown(std::string& out, std::string_view v);

enum class number_status { ok, not_a_number, not_finite, too_long };

// Canonical plain decimal: no '+', no exponent, no leading zeros before the point, no trailing zeros after it,
// "-0" as "0". Exponents are applied by moving the point, so the result is exact.
number_status
canonical_number(std::string_view s, std::string& out);

std::optional<bool>
parse_bool(std::string_view s);

std::size_t
utf16_units(std::string_view s);

}  // namespace hubsync::sync::detail
