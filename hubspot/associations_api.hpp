#pragma once
#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"
#include "hubspot/paths.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::hubspot {

// HubSpot's association batch endpoints take at most this many inputs (hubspot-api.md §3.3). Splitting larger sets
// is the caller's job; a longer request is refused with 400.
inline constexpr std::size_t max_association_create_inputs = 2000;  // create, associate/default, (labels) archive
inline constexpr std::size_t max_association_read_inputs = 1000;

// One association type between two object types. Its id is unique only together with its category (a portal's
// first USER_DEFINED label may be typeId 1, like HUBSPOT_DEFINED 1 "Primary"), so both always travel together.
struct association_type {
    std::string category;                    // HUBSPOT_DEFINED | USER_DEFINED | INTEGRATOR_DEFINED | WORK
    int type_id = 0;
    std::optional<std::string> label;        // null: the pair's unlabeled (default) type
    bool operator==(const association_type&) const = default;
};
// A type as the labels endpoint lists it: what a schema cache keeps per object-type pair.
using association_label = association_type;

struct association_input {
    std::string from_id;
    std::string to_id;
    // batch_create: the pair's labelled set after the call (the unlabeled type is always added by HubSpot);
    // batch_archive_labels: the types to remove. Ignored by the other calls.
    std::vector<association_type> types;
    std::string trace;                       // the caller's tag for this input (e.g. its row); never sent
};

// A failed input of a batch (207 errors[]), with the inputs it is about.
struct association_error {
    input_error error;                       // category, message; ids: the records that do not exist
    std::string sub_category;                // e.g. crm.associations.NO_ASSOCIATIONS_FOUND
    std::vector<std::size_t> inputs;         // positions in the request's inputs; empty when HubSpot did not say
};

struct association_result {
    std::string from_id;
    std::string to_id;
    std::vector<std::string> labels;         // batch_create: the labels the pair has now
    std::optional<association_type> type;    // batch_associate_default: the type HubSpot added
};

struct association_batch_result {
    int status = 0;                          // 200, 201, 204 (archives) or 207
    std::vector<association_result> results;
    std::vector<association_error> errors;
};

struct associated_record {
    std::string to_id;
    std::vector<association_type> types;
};

struct association_read_result {
    // Every requested from id but those in `errors`, with its to-records over all pages: empty when it has none.
    // HubSpot answers an unknown record like one without associations, so it is here too, empty.
    std::map<std::string, std::vector<associated_record>> by_from;
    std::vector<association_error> errors;   // failures other than "no associations"; inputs index `from_ids`
};

// Typed association v4 calls (hubspot-api.md §3). `from`/`to` are object types as HubSpot takes them in paths
// (names, objectTypeIds, fully qualified names). Each throws what client::send throws.
class associations_api {
public:
    associations_api(client& c, api_paths paths) : client_(c), paths_(std::move(paths)) {}

    // Every type from `from` to `to`: HubSpot-defined ones and the portal's labels.
    net::awaitable<std::vector<association_type>> labels(std::string from, std::string to);
    // Creates a USER_DEFINED label (and its inverse: `inverse_label`, or the same label when absent). Returns the
    // created types, one per direction, in HubSpot's order: find the forward one with labels(from, to). Not
    // idempotent: after a lost answer it is not re-sent (transport_error), the caller looks with labels().
    net::awaitable<std::vector<association_type>> create_label(std::string from, std::string to, std::string label,
                                                                std::optional<std::string> inverse_label,
                                                                std::string name);

    // Associates each pair with exactly the input's types (plus the unlabeled one): labels the pair had and the
    // input lacks are removed. Inputs naming unknown records fail alone (207).
    net::awaitable<association_batch_result> batch_create(std::string from, std::string to,
                                                           std::vector<association_input> inputs);
    // Adds the pair's unlabeled type, keeping any labels.
    net::awaitable<association_batch_result> batch_associate_default(std::string from, std::string to,
                                                                     std::vector<association_input> pairs);
    // Every association of each from id, following HubSpot's per-record paging.
    net::awaitable<association_read_result> batch_read(std::string from, std::string to,
                                                       std::vector<std::string> from_ids);
    // Removes every type between each pair.
    net::awaitable<association_batch_result> batch_archive(std::string from, std::string to,
                                                           std::vector<association_input> pairs);
    // Removes the input's types from each pair; removing the unlabeled type removes the association.
    net::awaitable<association_batch_result> batch_archive_labels(std::string from, std::string to,
                                                                  std::vector<association_input> inputs);

private:
    net::awaitable<http_response> post(std::string target, std::string endpoint, std::string body, bool idempotent);

    client& client_;
    api_paths paths_;
};

// Parses a write answer (batch/create, associate/default, archives) and maps its errors to `inputs`.
association_batch_result parse_association_batch(int status, const std::string& body,
                                                 const std::vector<association_input>& inputs);
// {"category","typeId","label"} or {"associationCategory","associationTypeId"}.
association_type parse_association_type(const nlohmann::json& j);

}  // namespace hubsync::hubspot
