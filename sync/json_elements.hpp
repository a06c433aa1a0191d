#pragma once
// Internal to value conversion: reading the elements of JSON array text (array columns arrive as array_to_json text).
#include "sync/value_text.hpp"

#include <cstddef>
#include <string>
#include <string_view>

namespace hubsync::sync::detail {

enum class json_type { string, number, boolean_true, boolean_false, null, nested };

struct json_item {
    json_type type;
    std::string_view text;  // strings unescaped (may point into the scratch buffer); others as written
};

void
skip_ws(std::string_view s, std::size_t& i);

bool
read_json_value(std::string_view s, std::size_t& i, std::string& scratch, json_item& out);

enum class walk { done, malformed, stopped };

// Calls f(json_item) for each element of a JSON array; f returns false to stop early.
template <class F>
walk
for_each_json_element(std::string_view s, F&& f)
{
    std::string scratch;
    std::size_t i = 0;
    skip_ws(s, i);
    if (!skip_char(s, i, '[')) return walk::malformed;
    skip_ws(s, i);
    if (!skip_char(s, i, ']')) {
        for (;;) {
            skip_ws(s, i);
            json_item item{};
            if (!read_json_value(s, i, scratch, item)) return walk::malformed;
            if (!f(item)) return walk::stopped;
            skip_ws(s, i);
            if (skip_char(s, i, ',')) continue;
            if (skip_char(s, i, ']')) break;
            return walk::malformed;
        }
    }
    skip_ws(s, i);
    return i == s.size() ? walk::done : walk::malformed;
}

}  // namespace hubsync::sync::detail
