#pragma once
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace hubsync::emulator {

using sys_clock = std::chrono::system_clock;
using steady_clock = std::chrono::steady_clock;

std::int64_t to_epoch_ms(sys_clock::time_point t);
sys_clock::time_point from_epoch_ms(std::int64_t ms);

// "2024-08-15T17:09:13.648Z", the form HubSpot uses for every timestamp it returns.
std::string iso8601(sys_clock::time_point t);
std::string iso8601_ms(std::int64_t epoch_ms);
// iso8601_ms appended to `out` (no temporary string: batch answers write a few hundred of these).
void append_iso8601_ms(std::string& out, std::int64_t epoch_ms);
// "2024-08-15" (UTC).
std::string iso_date(std::int64_t epoch_ms);

// Parses "YYYY-MM-DD", optionally followed by "Thh:mm[:ss[.fff]]" and "Z" or "±hh:mm"; returns epoch ms (UTC).
std::optional<std::int64_t> parse_iso(std::string_view s);
// Parses an optionally signed run of digits (an epoch-ms value as HubSpot accepts it).
std::optional<std::int64_t> parse_epoch_ms(std::string_view s);
// Either of the two forms above.
std::optional<std::int64_t> parse_instant(std::string_view s);

}  // namespace hubsync::emulator
