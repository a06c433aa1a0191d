#include "scheduler/cron.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace hubsync::scheduler {

namespace {

constexpr std::array<std::string_view, 12> month_names{"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
                                                       "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
constexpr std::array<std::string_view, 7> weekday_names{"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

struct field_spec {
    std::string_view name;
    int min;
    int max;
    // Upper end for '*', a/n and the step limit. Differs from max only for day-of-week, where 7 is an alias of
    // Sunday: "*/2" and "1/2" should not reach it and select Sunday a second time.
    int open_max;
    const std::string_view* names;  // nullptr when the field takes numbers only
    std::size_t name_count;
    int first_name_value;
};

constexpr field_spec minute_spec{"minute", 0, 59, 59, nullptr, 0, 0};
constexpr field_spec hour_spec{"hour", 0, 23, 23, nullptr, 0, 0};
constexpr field_spec day_of_month_spec{"day-of-month", 1, 31, 31, nullptr, 0, 0};
constexpr field_spec month_spec{"month", 1, 12, 12, month_names.data(), month_names.size(), 1};
constexpr field_spec day_of_week_spec{"day-of-week", 0, 7, 6, weekday_names.data(), weekday_names.size(), 0};

struct macro {
    std::string_view name;
    std::string_view expansion;
};

constexpr std::array<macro, 7> macros{{
    {"@hourly", "0 * * * *"},
    {"@daily", "0 0 * * *"},
    {"@midnight", "0 0 * * *"},
    {"@weekly", "0 0 * * 0"},
    {"@monthly", "0 0 1 * *"},
    {"@yearly", "0 0 1 1 *"},
    {"@annually", "0 0 1 1 *"},
}};

// A generous bound rather than an exact calendar one: callers only need "gives up eventually", and "0 0 29 2 *"
// must still be found from any point in a leap-year cycle.
constexpr std::chrono::days search_horizon{5 * 366};

// Locale-independent on purpose: <cctype> depends on the global locale and is undefined for negative chars.
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_printable(char c) { return c >= 0x20 && c < 0x7f; }
char to_upper(char c) { return (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c; }

bool equals_ignore_case(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return to_upper(x) == to_upper(y); });
}

std::string hex_byte(char c) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(c)));
    return buf;
}

// Messages end up in logs and API responses; escaping keeps control bytes and broken UTF-8 from leaking into them.
std::string quoted(std::string_view s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (is_printable(c)) {
            out += c;
        } else {
            out += "\\x" + hex_byte(c).substr(2);
        }
    }
    out += '"';
    return out;
}

std::string describe_char(char c) {
    if (is_printable(c)) return std::string("character '") + c + "'";
    return "byte " + hex_byte(c);
}

std::vector<std::string_view> split_fields(std::string_view text) {
    std::vector<std::string_view> fields;
    std::size_t i = 0;
    while (i < text.size()) {
        while (i < text.size() && is_space(text[i])) ++i;
        const std::size_t start = i;
        while (i < text.size() && !is_space(text[i])) ++i;
        if (i > start) fields.push_back(text.substr(start, i - start));
    }
    return fields;
}

cron_parse_error field_error(const field_spec& field, const std::string& detail) {
    return cron_parse_error{std::string(field.name) + " field: " + detail};
}

// `what` is "value" or "step"; `item` is the list element the token came from, quoted for context.
std::optional<cron_parse_error> parse_number(const field_spec& field, std::string_view token, std::string_view item,
                                             std::string_view what, int lo, int hi, int& out) {
    if (token.empty()) return field_error(field, "missing " + std::string(what) + " in " + quoted(item));
    long long value = 0;
    for (char c : token) {
        if (!is_digit(c)) return field_error(field, "unexpected " + describe_char(c) + " in " + quoted(item));
        // Saturate instead of overflowing; anything this large is out of range anyway and the message quotes the
        // original digits.
        value = std::min<long long>(value * 10 + (c - '0'), 1'000'000);
    }
    if (value < lo || value > hi) {
        return field_error(field, std::string(what) + " " + std::string(token) + " is out of range " +
                                      std::to_string(lo) + "-" + std::to_string(hi));
    }
    out = static_cast<int>(value);
    return std::nullopt;
}

std::optional<cron_parse_error> parse_value(const field_spec& field, std::string_view token, std::string_view item,
                                            int& out) {
    if (!token.empty() && is_alpha(token.front())) {
        if (field.names == nullptr) {
            return field_error(field, "names are not allowed here, got " + quoted(token) +
                                          " (only month and day-of-week accept names)");
        }
        for (std::size_t i = 0; i < field.name_count; ++i) {
            if (equals_ignore_case(token, field.names[i])) {
                out = field.first_name_value + static_cast<int>(i);
                return std::nullopt;
            }
        }
        return field_error(field, "unknown name " + quoted(token) + " (expected " + std::string(field.names[0]) +
                                      "-" + std::string(field.names[field.name_count - 1]) + ")");
    }
    return parse_number(field, token, item, "value", field.min, field.max, out);
}

std::optional<cron_parse_error> parse_item(const field_spec& field, std::string_view item, std::uint64_t& mask) {
    const std::size_t slash = item.find('/');
    const bool has_step = slash != std::string_view::npos;
    const std::string_view base = item.substr(0, slash);

    int lo = 0;
    int hi = 0;
    if (base == "*") {
        lo = field.min;
        hi = field.open_max;
    } else if (const std::size_t dash = base.find('-'); dash != std::string_view::npos) {
        if (auto error = parse_value(field, base.substr(0, dash), item, lo)) return error;
        if (auto error = parse_value(field, base.substr(dash + 1), item, hi)) return error;
        if (lo > hi) {
            std::string detail = "range " + std::string(base) + " is reversed (start must not exceed end)";
            if (field.names == weekday_names.data() && hi == 0) detail += "; use 7 for Sunday at the end of a range";
            return field_error(field, detail);
        }
    } else {
        if (auto error = parse_value(field, base, item, lo)) return error;
        // "a/n" runs to the end of the field; max() keeps a lone "7/n" in day-of-week meaning Sunday.
        hi = has_step ? std::max(lo, field.open_max) : lo;
    }

    int step = 1;
    if (has_step) {
        if (auto error = parse_number(field, item.substr(slash + 1), item, "step", 1, field.open_max - field.min + 1,
                                      step)) {
            return error;
        }
    }
    for (int v = lo; v <= hi; v += step) mask |= std::uint64_t{1} << v;
    return std::nullopt;
}

std::optional<cron_parse_error> parse_field(const field_spec& field, std::string_view text, std::uint64_t& mask) {
    std::size_t start = 0;
    while (true) {
        const std::size_t comma = text.find(',', start);
        const std::string_view item = text.substr(start, comma == std::string_view::npos ? comma : comma - start);
        if (item.empty()) return field_error(field, "empty element in list " + quoted(text));
        if (auto error = parse_item(field, item, mask)) return error;
        if (comma == std::string_view::npos) return std::nullopt;
        start = comma + 1;
    }
}

}  // namespace

std::variant<cron_expression, cron_parse_error> cron_expression::parse(std::string_view text) {
    std::vector<std::string_view> fields = split_fields(text);
    if (fields.empty()) return cron_parse_error{"empty expression"};

    if (fields.front().front() == '@') {
        const std::string_view name = fields.front();
        const auto found = std::find_if(macros.begin(), macros.end(),
                                        [&](const macro& m) { return equals_ignore_case(m.name, name); });
        if (found == macros.end()) {
            return cron_parse_error{"unknown macro " + quoted(name) +
                                    " (expected @hourly, @daily, @midnight, @weekly, @monthly, @yearly or @annually)"};
        }
        if (fields.size() != 1) {
            return cron_parse_error{"macro " + std::string(found->name) + " must be the whole expression, got " +
                                    std::to_string(fields.size()) + " fields"};
        }
        fields = split_fields(found->expansion);
    }

    if (fields.size() != 5) {
        return cron_parse_error{"expected 5 fields (minute hour day-of-month month day-of-week), got " +
                                std::to_string(fields.size())};
    }

    const std::array<const field_spec*, 5> specs{&minute_spec, &hour_spec, &day_of_month_spec, &month_spec,
                                                 &day_of_week_spec};
    std::array<std::uint64_t, 5> masks{};
    for (std::size_t i = 0; i < specs.size(); ++i) {
        if (auto error = parse_field(*specs[i], fields[i], masks[i])) return *error;
    }

    cron_expression result;
    result.text_ = std::string(text);
    result.minutes_ = std::bitset<60>(masks[0]);
    result.hours_ = std::bitset<24>(masks[1]);
    result.days_of_month_ = std::bitset<32>(masks[2]);
    result.months_ = std::bitset<13>(masks[3]);
    result.days_of_week_ = std::bitset<7>((masks[4] | (masks[4] >> 7)) & 0x7f);
    result.day_of_month_star_ = fields[2].front() == '*';
    result.day_of_week_star_ = fields[4].front() == '*';
    return result;
}

bool cron_expression::day_matches(std::chrono::sys_days day) const {
    const std::chrono::year_month_day ymd{day};
    const bool dom = days_of_month_[static_cast<unsigned>(ymd.day())];
    const bool dow = days_of_week_[std::chrono::weekday{day}.c_encoding()];
    if (day_of_month_star_ || day_of_week_star_) return dom && dow;
    return dom || dow;
}

std::optional<int> cron_expression::first_time_of_day_from(int from) const {
    const int first_hour = from / 60;
    for (int h = first_hour; h < 24; ++h) {
        if (!hours_[static_cast<std::size_t>(h)]) continue;
        for (int m = h == first_hour ? from % 60 : 0; m < 60; ++m) {
            if (minutes_[static_cast<std::size_t>(m)]) return h * 60 + m;
        }
    }
    return std::nullopt;
}

std::optional<std::chrono::system_clock::time_point> cron_expression::next_after(
    std::chrono::system_clock::time_point after) const {
    using namespace std::chrono;

    // Work in minute precision so the search cannot overflow the nanosecond clock; convert back only at the end.
    const sys_time<minutes> first = floor<minutes>(after) + minutes{1};
    const sys_days first_day = floor<days>(first);
    const sys_days end_day = first_day + search_horizon;

    sys_days day = first_day;
    while (day < end_day) {
        const year_month_day ymd{day};
        if (!months_[static_cast<unsigned>(ymd.month())]) {
            // Skipping whole months keeps sparse schedules like "0 0 1 1 *" at a few dozen iterations.
            day = sys_days{year_month_day{ymd.year() / ymd.month() / 1} + months{1}};
            continue;
        }
        if (day_matches(day)) {
            const int from = day == first_day ? static_cast<int>((first - first_day).count()) : 0;
            if (const std::optional<int> minute_of_day = first_time_of_day_from(from)) {
                const sys_time<minutes> result = day + minutes{*minute_of_day};
                if (result > floor<minutes>(system_clock::time_point::max())) return std::nullopt;
                return time_point_cast<system_clock::duration>(result);
            }
        }
        day += days{1};
    }
    return std::nullopt;
}

const std::string& cron_expression::text() const { return text_; }

}  // namespace hubsync::scheduler
