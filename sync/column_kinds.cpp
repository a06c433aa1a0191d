#include "sync/column_kinds.hpp"

#include "sync/value_text.hpp"

namespace hubsync::sync {

namespace detail {

namespace {

using hubspot::property_info;

std::string_view
kind_phrase(column_kind k)
{
    switch (k) {
    case column_kind::text: return "a text column";
    case column_kind::integer: return "an integer column";
    case column_kind::numeric: return "a numeric column";
    case column_kind::floating: return "a floating-point column";
    case column_kind::boolean: return "a boolean column";
    case column_kind::date: return "a date column";
    case column_kind::timestamp_tz: return "a timestamp with time zone column";
    case column_kind::timestamp: return "a timestamp column";
    case column_kind::json: return "a json column";
    case column_kind::array: return "an array column";
    case column_kind::other: break;
    }
    return "a column of this type";
}

}  // namespace

target
target_of(const property_info& p)
{
    if (p.type == "number") return target::number;
    if (p.type == "bool") return target::boolean;
    if (p.type == "date") return target::date;
    if (p.type == "datetime") return target::datetime;
    if (p.type == "enumeration") return target::enumeration;
    // string, phone_number, and types HubSpot may add later: text is what they all accept.
    return target::string;
}

bool
is_multi_select(const property_info& p)
{
    return p.field_type == "checkbox";
}

mismatch
check_kind(column_kind k, target t, bool multi)
{
    using K = column_kind;
    switch (t) {
    case target::string:
        return {};
    case target::number:
        switch (k) {
        case K::text: case K::integer: case K::numeric: case K::floating: return {};
        case K::boolean: return {true, "use col::int in the model SQL to send 1/0"};
        case K::json: return {true, "extract a value in the model SQL, e.g. (col->>'key')::numeric"};
        case K::other: return {true, "cast it in the model SQL, e.g. col::numeric"};
        case K::timestamp_tz: case K::timestamp:
            return {true, "use extract(epoch from col) * 1000 in the model SQL for epoch milliseconds"};
        default: return {true, {}};
        }
    case target::boolean:
        switch (k) {
        case K::text: case K::integer: case K::boolean: return {};
        case K::numeric: case K::floating: return {true, "compare it in the model SQL, e.g. col <> 0"};
        case K::json: return {true, "extract a value in the model SQL, e.g. (col->>'key')::boolean"};
        case K::other: return {true, "cast it in the model SQL, e.g. col::boolean"};
        default: return {true, {}};
        }
    case target::date:
    case target::datetime:
        switch (k) {
        case K::text: case K::integer: case K::date: case K::timestamp_tz: case K::timestamp: return {};
        case K::json: return {true, "extract a value in the model SQL, e.g. (col->>'key')::timestamptz"};
        case K::other: return {true, "cast it in the model SQL, e.g. col::timestamptz"};
        default: return {true, {}};
        }
    case target::enumeration:
        switch (k) {
        case K::text: case K::integer: case K::numeric: case K::floating: case K::boolean: case K::date:
        case K::other:
            return {};
        case K::array:
        case K::json:
            if (multi) return {};
            return {true, "only multi-select (checkbox) properties take several values"};
        case K::timestamp_tz: case K::timestamp: return {true, "cast it to text or date in the model SQL"};
        }
    }
    return {true, {}};
}

std::string
mismatch_text(column_kind k, const property_info& p, std::string_view hint)
{
    std::string out;
    out.append(kind_phrase(k)).append(" cannot feed ").append(p.type).append(" property ").append(p.name);
    if (!hint.empty()) out.append("; ").append(hint);
    return out;
}

}  // namespace detail

//------------------------------------------------------------------------------

using namespace detail;

column_kind
kind_of(std::string_view pg_type)
{
    // Type modifiers ("numeric(12,2)", "timestamp(3) with time zone") do not change how values print.
    std::string t;
    t.reserve(pg_type.size());
    int depth = 0;
    for (const char c : trim(pg_type)) {
        if (c == '(') ++depth;
        else if (c == ')') depth -= depth > 0;
        else if (depth == 0) t.push_back(to_lower(c));
    }
    if (t.size() > 2 && t.ends_with("[]")) return column_kind::array;

    struct entry {
        std::string_view name;
        column_kind kind;
    };
    static constexpr entry names[] = {
        {"text", column_kind::text},
        {"character varying", column_kind::text},
        {"varchar", column_kind::text},
        {"character", column_kind::text},
        {"char", column_kind::text},
        {"bpchar", column_kind::text},
        {"\"char\"", column_kind::text},
        {"name", column_kind::text},
        {"citext", column_kind::text},
        {"smallint", column_kind::integer},
        {"integer", column_kind::integer},
        {"bigint", column_kind::integer},
        {"int2", column_kind::integer},
        {"int4", column_kind::integer},
        {"int8", column_kind::integer},
        {"int", column_kind::integer},
        {"numeric", column_kind::numeric},
        {"decimal", column_kind::numeric},
        {"real", column_kind::floating},
        {"double precision", column_kind::floating},
        {"float4", column_kind::floating},
        {"float8", column_kind::floating},
        {"boolean", column_kind::boolean},
        {"bool", column_kind::boolean},
        {"date", column_kind::date},
        {"timestamp with time zone", column_kind::timestamp_tz},
        {"timestamptz", column_kind::timestamp_tz},
        {"timestamp without time zone", column_kind::timestamp},
        {"timestamp", column_kind::timestamp},
        {"json", column_kind::json},
        {"jsonb", column_kind::json},
    };
    for (const auto& e : names)
        if (t == e.name) return e.kind;
    // citext is an extension type, printed schema-qualified when its schema is not on the search path.
    if (t.ends_with(".citext")) return column_kind::text;
    return column_kind::other;
}

std::optional<std::string>
type_mismatch(column_kind kind, const hubspot::property_info& p)
{
    const auto m = check_kind(kind, target_of(p), is_multi_select(p));
    if (!m.refused) return std::nullopt;
    return mismatch_text(kind, p, m.hint);
}

}  // namespace hubsync::sync
