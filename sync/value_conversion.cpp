#include "sync/value_conversion.hpp"

#include "sync/column_kinds.hpp"
#include "sync/json_elements.hpp"
#include "sync/time_text.hpp"
#include "sync/value_text.hpp"

#include <algorithm>
#include <cstdint>
#include <vector>

namespace hubsync::sync {

using namespace detail;

namespace {

using hubspot::property_info;

// hubspot-api.md §2.5. HubSpot is a Java service, so its "characters" are UTF-16 code units.
constexpr std::size_t max_string_units = 65'536;
constexpr std::size_t max_listed_options = 10;

//------------------------------------------------------------------------------
// Errors

converted
fail(std::string_view column, std::string_view value, std::string_view problem, const property_info& p,
     std::string_view detail = {})
{
    converted out;
    auto& e = out.error;
    e.reserve(48 + column.size() + std::min(value.size(), max_shown_bytes) + problem.size() + p.name.size() +
              detail.size());
    e.append("column ").append(column).append(": '");
    append_shown(e, value);
    e.append("' ").append(problem).append(" for property ").append(p.name).append(" (").append(p.type).append(")");
    if (!detail.empty()) e.append("; ").append(detail);
    return out;
}

converted
sent(std::string value)
{
    converted out;
    out.value = std::move(value);
    return out;
}

//------------------------------------------------------------------------------
// Dates and times

constexpr std::string_view epoch_hint =
    "HubSpot takes epoch milliseconds; numbers below 1e11 (1973-03-03) look like epoch seconds: convert those in "
    "the model SQL with to_timestamp(col)";

//------------------------------------------------------------------------------
// Conversions by property type

converted
to_string(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    std::string out;
    switch (kind) {
    case column_kind::boolean:
        if (const auto b = parse_bool(v)) out = *b ? "true" : "false";
        else out = v;
        break;
    case column_kind::timestamp_tz:
    case column_kind::timestamp:
        // "infinity" or a BC date is still meaningful text, so it goes as PostgreSQL printed it.
        if (const auto t = parse_instant(v); !t || !append_datetime(out, t->us, t->fraction_digits)) out = v;
        break;
    case column_kind::array: {
        out.reserve(v.size());
        const auto r = for_each_json_element(v, [&out](const json_item& e) {
            if (e.type == json_type::null) return true;
            if (!out.empty()) out.append(", ");
            if (e.type == json_type::boolean_true) out.append("true");
            else if (e.type == json_type::boolean_false) out.append("false");
            else out.append(e.text);
            return true;
        });
        if (r != walk::done) return fail(column, v, "is not a JSON array", p);
        break;
    }
    default:
        out = v;
    }
    if (out.size() > max_string_units) {
        const auto units = utf16_units(out);
        if (units > max_string_units)
            return fail(column, out, "is longer than the 65,536 characters HubSpot takes", p,
                        "it has " + std::to_string(units));
    }
    return sent(std::move(out));
}

converted
to_number(std::string_view column, std::string_view v, const property_info& p)
{
    converted out;
    switch (canonical_number(v, out.value)) {
    case number_status::ok: return out;
    case number_status::not_finite: return fail(column, v, "is not a finite number", p);
    case number_status::too_long:
        return fail(column, v, "is too long to send as a number", p,
                    "HubSpot takes plain decimals; this one would have more than 400 characters");
    case number_status::not_a_number: break;
    }
    return fail(column, v, "is not a number", p);
}

converted
to_bool(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    const auto b = parse_bool(v);
    if (kind == column_kind::integer && !b) return fail(column, v, "is not 0 or 1", p);
    if (!b) return fail(column, v, "is not a boolean (true/false, yes/no, 1/0)", p);
    return sent(*b ? "true" : "false");
}

converted
to_date(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    if (is_infinite(v)) return fail(column, v, "is not a finite date", p);
    std::string out;
    out.reserve(10);
    if (kind == column_kind::integer || (kind == column_kind::text && is_epoch_text(v))) {
        const auto ms = parse_epoch_ms(v);
        if (!ms) return fail(column, v, "is not a date in epoch milliseconds", p, epoch_hint);
        if (*ms % ms_per_day != 0)
            return fail(column, v, "is not at midnight UTC", p,
                        "HubSpot date properties hold a day, sent as its midnight UTC");
        append_date(out, *ms / ms_per_day);
        return sent(std::move(out));
    }
    const auto t = parse_instant(v);
    if (!t) return fail(column, v, "is not a date (YYYY-MM-DD, years 0001-9999)", p);
    if (floor_div(t->us, us_per_day) * us_per_day != t->us)
        return fail(column, v, "is not at midnight UTC", p,
                    "HubSpot date properties hold a day; convert the value to a date in the model SQL, e.g. "
                    "(col at time zone 'UTC')::date");
    if (!append_date(out, floor_div(t->us, us_per_day)))
        return fail(column, v, "is outside the years 0001-9999 in UTC", p);
    return sent(std::move(out));
}

converted
to_datetime(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    if (is_infinite(v)) return fail(column, v, "is not a finite datetime", p);
    std::string out;
    out.reserve(24);
    if (kind == column_kind::integer || (kind == column_kind::text && is_epoch_text(v))) {
        const auto ms = parse_epoch_ms(v);
        if (!ms) return fail(column, v, "is not a datetime in epoch milliseconds", p, epoch_hint);
        append_datetime(out, *ms * 1000, 3);
        return sent(std::move(out));
    }
    const auto t = parse_instant(v);
    if (!t) return fail(column, v, "is not an ISO-8601 datetime (years 0001-9999)", p);
    if (!append_datetime(out, t->us, 3)) return fail(column, v, "is outside the years 0001-9999 in UTC", p);
    return sent(std::move(out));
}

// The option to send for `v`: exact, else the single ASCII case-insensitive match. nullptr when there is none;
// `ambiguous` when several options differ only in case and none equals `v`.
const std::string*
match_option(const std::vector<std::string>& options, std::string_view v, bool& ambiguous)
{
    ambiguous = false;
    for (const auto& o : options)
        if (o == v) return &o;
    const std::string* found = nullptr;
    for (const auto& o : options) {
        if (!iequals(o, v)) continue;
        if (found && *found != o) {
            ambiguous = true;
            return nullptr;
        }
        found = &o;
    }
    return found;
}

std::string
allowed_list(const std::vector<std::string>& options)
{
    std::string out = "allowed: ";
    const std::size_t shown = std::min(options.size(), max_listed_options);
    for (std::size_t k = 0; k < shown; ++k) {
        if (k) out.append(", ");
        out.append(options[k]);
    }
    if (options.size() > shown) out.append(", … and ").append(std::to_string(options.size() - shown)).append(" more");
    return out;
}

// Checks one enumeration value; on success sets `option` to the text to send.
std::optional<converted>
check_option(std::string_view column, std::string_view v, const property_info& p, std::string_view& option)
{
    if (p.options.empty()) {
        option = v;
        return std::nullopt;
    }
    bool ambiguous = false;
    const auto* o = match_option(p.options, v, ambiguous);
    if (ambiguous)
        return fail(column, v, "matches several options that differ only in case", p, allowed_list(p.options));
    if (!o) return fail(column, v, "is not an option", p, allowed_list(p.options));
    option = *o;
    return std::nullopt;
}

// Whether `joined` (';'-separated) already holds `token`.
bool
holds_token(std::string_view joined, std::string_view token)
{
    std::size_t i = 0;
    while (i <= joined.size()) {
        auto j = joined.find(';', i);
        if (j == std::string_view::npos) j = joined.size();
        if (joined.substr(i, j - i) == token) return true;
        i = j + 1;
    }
    return false;
}

// Element text of a scalar value for enumerations: booleans as HubSpot's bool option values.
std::string_view
enum_text(std::string_view v, column_kind kind)
{
    if (kind == column_kind::boolean)
        if (const auto b = parse_bool(v)) return *b ? "true" : "false";
    return v;
}

converted
to_enumeration(std::string_view column, std::string_view v, column_kind kind, const property_info& p)
{
    if (!is_multi_select(p)) {
        std::string_view option;
        if (auto e = check_option(column, enum_text(v, kind), p, option)) return std::move(*e);
        return sent(std::string(option));
    }

    std::string out;
    out.reserve(v.size());
    std::optional<converted> error;
    auto add = [&](std::string_view element) {
        element = trim(element);
        if (element.empty()) return true;
        std::string_view option;
        if ((error = check_option(column, element, p, option))) return false;
        if (!holds_token(out, option)) {
            if (!out.empty()) out.push_back(';');
            out.append(option);
        }
        return true;
    };
    // An element of an array is one value; a ';' inside it would make HubSpot read two.
    auto add_element = [&](const json_item& e) {
        switch (e.type) {
        case json_type::null: return true;
        case json_type::boolean_true: return add("true");
        case json_type::boolean_false: return add("false");
        case json_type::nested:
            error = fail(column, e.text, "is not a single value (nested arrays and objects cannot be options)", p);
            return false;
        default:
            if (e.text.find(';') != std::string_view::npos) {
                error = fail(column, e.text, "contains ';', which HubSpot reads as a separator of options", p);
                return false;
            }
            return add(e.text);
        }
    };

    if (kind == column_kind::array || (kind == column_kind::json && !trim(v).empty() && trim(v).front() == '[')) {
        if (for_each_json_element(v, add_element) == walk::malformed)
            return fail(column, v, "is not a JSON array", p);
    } else if (kind == column_kind::json) {
        std::string scratch;
        json_item item{};
        std::size_t i = 0;
        const auto t = trim(v);
        if (!read_json_value(t, i, scratch, item) || i != t.size()) return fail(column, v, "is not valid JSON", p);
        add_element(item);
    } else {
        // Text is HubSpot's own multi-select notation. Separators are re-joined so the value never starts with
        // ';', which HubSpot would read as "append to the current options" rather than "set exactly these".
        std::string_view rest = enum_text(v, kind);
        for (;;) {
            const auto j = rest.find(';');
            if (!add(rest.substr(0, j))) break;
            if (j == std::string_view::npos) break;
            rest.remove_prefix(j + 1);
        }
    }
    if (error) return std::move(*error);
    return sent(std::move(out));
}

}  // namespace

//------------------------------------------------------------------------------

converted
convert_value(std::string_view column, std::optional<std::string_view> raw, column_kind kind,
              const hubspot::property_info& p)
{
    if (!raw) return {};
    const auto t = target_of(p);
    if (const auto m = check_kind(kind, t, is_multi_select(p)); m.refused) {
        converted out;
        out.error.append("column ").append(column).append(": ").append(mismatch_text(kind, p, m.hint));
        return out;
    }
    if (t == target::string) return to_string(column, *raw, kind, p);
    // For typed properties surrounding blanks carry no meaning (PostgreSQL's own casts ignore them), and an empty
    // value is "no value": HubSpot cannot tell an empty property from an unset one anyway.
    const auto v = trim(*raw);
    if (v.empty()) return {};
    switch (t) {
    case target::number: return to_number(column, v, p);
    case target::boolean: return to_bool(column, v, kind, p);
    case target::date: return to_date(column, v, kind, p);
    case target::datetime: return to_datetime(column, v, kind, p);
    case target::enumeration: return to_enumeration(column, v, kind, p);
    case target::string: break;
    }
    return to_string(column, *raw, kind, p);
}

}  // namespace hubsync::sync
