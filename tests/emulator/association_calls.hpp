#pragma once
// What the association endpoints (associations.cpp, association_labels.cpp) share: the two object types of the
// path with their scopes, the JSON of a type, and reading ids, types and inputs from request bodies.
#include "tests/emulator/call.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace hubsync::emulator {

struct object_pair {
    object_type& from;
    object_type& to;
};

// Resolves {fromObjectType}/{toObjectType} (names, singular names, 0-x/2-x ids, p{portal}_{name}) and requires
// the read or write scope of both object types, as the object endpoints do.
object_pair association_pair(const call& c, bool write);

// {"category":"HUBSPOT_DEFINED","typeId":279,"label":null}
ojson association_type_json(const association_definition& d);

// The "inputs" array of a batch body; 400 VALIDATION_ERROR when absent or longer than `max`.
const nlohmann::json& association_inputs(const call& c, std::size_t max);

// A decimal record id given as a JSON string or integer; nullopt for anything else (no record has that id).
std::optional<std::uint64_t> record_id_of(const nlohmann::json& v);
// The record id of {"id":"12"} (or {"id":12}) under `key` of an input; 400 when the input lacks it. nullopt when
// the id is not a record id at all (then no such record exists).
std::optional<std::uint64_t> input_record_id(const call& c, const nlohmann::json& input, const char* key);
// A record id as text for responses and error contexts.
std::string id_text(const nlohmann::json& input, const char* key);

// The "types" of an input as keys of from→to. An unknown category/id pair is 400 VALIDATION_ERROR for the whole
// request, before anything is written.
type_set input_types(const call& c, const object_pair& p, const nlohmann::json& input);

// The pair's unlabeled type; 400 when the two object types cannot be associated at all.
const association_definition& unlabeled_type(const call& c, const object_pair& p);

}  // namespace hubsync::emulator
