#pragma once
// Turning one model value into the text HubSpot expects for a property (DESIGN §3 "Objects", hubspot-api.md §2.5).
// Pure and allocation-light: it runs for every mapped value of every changed row.
//
// Model values arrive as PostgreSQL's text output, read with TimeZone=UTC and DateStyle=ISO, except array columns
// (array_to_json(col)::text) and json/jsonb (their JSON text). A NULL always becomes "", which clears the property.
// A value that cannot be sent faithfully is an error naming column, value and property, never a guess.
#include "hubspot/portal_schema.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace hubsync::sync {

// What a model column holds, as far as conversion cares.
enum class column_kind {
    text,          // text, character varying, character, name, citext
    integer,       // smallint, integer, bigint
    numeric,       // numeric / decimal
    floating,      // real, double precision (may print 1e+20, Infinity, NaN)
    boolean,       // t / f
    date,          // YYYY-MM-DD
    timestamp_tz,  // 2024-01-02 03:04:05.123+00
    timestamp,     // 2024-01-02 03:04:05 (taken as UTC)
    json,          // json, jsonb
    array,         // any T[] (arrives as JSON array text)
    other          // interval, uuid, money, bytea, user-defined enums and domains, …
};

// The kind of a column from the type name describe() reports (PostgreSQL's format_type: "integer",
// "numeric(12,2)", "timestamp(3) with time zone", "character varying(255)[]", …). Unknown names are `other`.
column_kind
kind_of(std::string_view pg_type);

struct converted {
    std::string value;  // what to send; "" clears the property
    std::string error;  // a row error, "" when the value converted
    bool ok() const { return error.empty(); }
};

// One model value (nullopt = SQL NULL) converted for property `p`. `column` only names the value in errors, e.g.
// "column score: 'abc' is not a number for property hs_score (number)"; the value is cut to about 100 characters.
//
// By property type:
// - string, phone_number and any other type: the text as it is; booleans as true/false; timestamps as ISO-8601
//   UTC keeping their fractional digits; arrays as their elements joined with ", " (NULL elements left out);
//   json as its text. More than 65,536 UTF-16 code units (HubSpot's limit) is an error, never a truncation.
// - number: integer, numeric, floating or text holding a decimal number, sent in canonical plain form (no '+',
//   no exponent, no leading or trailing zeros: "1.50e+2" → "150"). NaN and ±Infinity are errors.
// - bool: boolean; text true/false, t/f, yes/no, y/n, on/off, 1/0 (any case); integer 0/1.
// - date: date as is; a timestamp or ISO-8601 text only when it falls exactly on midnight UTC; epoch milliseconds
//   (integer or digit text) likewise.
// - datetime: YYYY-MM-DDTHH:MM:SS.mmmZ in UTC (offsets applied, sub-millisecond digits dropped); a date is its
//   midnight; text in ISO-8601 (no offset = UTC); epoch milliseconds from 1973-03-03 on (smaller numbers are
//   refused as probably epoch seconds).
// - enumeration: the option value matching exactly, else the one matching ASCII case-insensitively. Multi-select
//   (field type "checkbox") also takes arrays, json arrays and ';'-separated text; each element is checked,
//   duplicates dropped, the result joined with ';'. No options (e.g. owner ids): sent unchecked.
// Empty or blank text for number, bool, date, datetime and enumeration properties means "no value" and clears.
converted
convert_value(std::string_view column, std::optional<std::string_view> raw, column_kind kind,
              const hubspot::property_info& p);

// Whether a column of this kind can feed the property at all, so a sync can be refused up front (e.g. a boolean
// column to a date property). nullopt when it can (text always can; its values are checked one by one), else the
// reason, naming the property, e.g. "a boolean column cannot feed date property closedate".
std::optional<std::string>
type_mismatch(column_kind kind, const hubspot::property_info& p);

}  // namespace hubsync::sync
