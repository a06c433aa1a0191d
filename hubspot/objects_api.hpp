#pragma once
#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"
#include "hubspot/paths.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::hubspot {

// HubSpot's batch endpoints take at most this many inputs (hubspot-api.md §2.2).
inline constexpr std::size_t max_batch_inputs = 100;

struct record {
    std::string id;
    std::map<std::string, std::string> properties;   // HubSpot returns every value as a string
    std::optional<bool> created;                     // upsert: true when the record is new
    std::optional<std::string> trace_id;             // the input's objectWriteTraceId, when HubSpot echoes it
};

struct batch_input {
    std::string trace_id;                            // objectWriteTraceId: lets a bad input fail alone (207)
    std::optional<std::string> id;                   // update/upsert/read: record id or unique value
    std::optional<std::string> id_property;          // upsert/update by a unique property
    nlohmann::json properties = nlohmann::json::object();
};

// Which properties of each result record to keep: nullopt keeps all. A sync needs only its match property back,
// and copying every property of 100 records was a fifth of hubsyncd's CPU in an initial sync (bench/RESULTS.md).
using result_properties = std::optional<std::vector<std::string>>;

struct batch_result {
    int status = 0;                                  // 200, 201 or 207
    std::vector<record> results;
    std::vector<input_error> errors;
};

struct search_page {
    std::int64_t total = 0;
    std::vector<record> results;
    std::optional<std::string> after;                // next page cursor
};

// Typed CRM object calls (hubspot-api.md §2). Each throws what client::send throws.
class objects_api {
public:
    objects_api(client& c, api_paths paths) : client_(c), paths_(std::move(paths)) {}

    net::awaitable<batch_result> batch_upsert(std::string object_type, std::vector<batch_input> inputs,
                                              result_properties keep = std::nullopt);
    // Not idempotent: after a lost answer it is not re-sent (transport_error), the caller reconciles.
    net::awaitable<batch_result> batch_create(std::string object_type, std::vector<batch_input> inputs,
                                              result_properties keep = std::nullopt);
    net::awaitable<batch_result> batch_update(std::string object_type, std::vector<batch_input> inputs,
                                              result_properties keep = std::nullopt);
    // A batch write whose body the caller wrote with batch_inputs_body(): a sync writes it from its rows' properties
    // and keeps them, instead of copying them into inputs. `op`: create (not re-sent after a lost answer), update
    // or upsert.
    net::awaitable<batch_result> batch_write(std::string object_type, std::string op, std::string body,
                                             result_properties keep = std::nullopt);
    net::awaitable<batch_result> batch_read(std::string object_type, std::optional<std::string> id_property,
                                            std::vector<std::string> ids, std::vector<std::string> properties);
    net::awaitable<search_page> search(std::string object_type, nlohmann::json body);

private:
    net::awaitable<batch_result> batch(std::string object_type, std::string op, std::string body, bool idempotent,
                                       result_properties keep);

    client& client_;
    api_paths paths_;
};

// {"inputs":[…]} of a batch write, written straight to text (building a JSON tree first would copy every input's
// properties once more); byte for byte what nlohmann's dump() of that tree gives.
std::string batch_inputs_body(const std::vector<batch_input>& inputs);

// Parses the results[] / errors[] of a batch answer, keeping only `keep` of each record's properties.
batch_result parse_batch(int status, const std::string& body, const result_properties& keep = std::nullopt);
record parse_record(const nlohmann::json& j);

}  // namespace hubsync::hubspot
