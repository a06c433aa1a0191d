#pragma once
// Associations v4 (hubspot-api.md §3): the association types (definitions) of the portal and the links between
// records. Knows object types only by their objectTypeId ("0-1", "2-1000001"), so it does not depend on the rest
// of the portal state.
//
// Invariant: a link is stored in both directions. When from-record F of type A has the types S towards to-record T
// of type B, then T has exactly the inverses of S towards F. Every mutation keeps it, so reads from either side
// cost O(associations of one record).
#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace hubsync::emulator {

enum class association_category : std::uint8_t { hubspot_defined, user_defined, integrator_defined, work };

std::string_view category_name(association_category c);
std::optional<association_category> parse_category(std::string_view s);

// HubSpot's type ids are unique only together with their category: a portal's first USER_DEFINED label between
// contacts and companies gets typeId 1, next to HUBSPOT_DEFINED 1 ("Primary"). So the key is the pair.
struct type_key {
    association_category category = association_category::hubspot_defined;
    int id = 0;
    auto operator<=>(const type_key&) const = default;
};

struct association_definition {
    type_key key;
    type_key inverse;                   // the same association seen from the to-side (itself when symmetric)
    std::string from_type;              // objectTypeIds
    std::string to_type;
    std::optional<std::string> label;   // null: the pair's unlabeled type, present on every associated pair
    std::string name;                   // USER_DEFINED labels: the internal name
    // "Primary"-like: a from-record has this type towards at most one to-record (a contact's primary company).
    bool one_per_from = false;
};

using type_set = std::set<type_key>;
using association_targets = std::map<std::uint64_t, type_set>;  // to-record id → types, ordered for paging

class association_store {
public:
    association_store();  // the HubSpot-defined types between contacts, companies, deals and tickets

    // The definitions between two object types, ordered by key. A pair involving a custom object ("2-…") gets its
    // unlabeled type (USER_DEFINED, allocated from the portal's counter) on first use.
    std::vector<const association_definition*> definitions(const std::string& from, const std::string& to);
    const association_definition* find(const type_key& k) const;
    // The definition of `k` when it belongs to from→to, else null.
    const association_definition* find_between(const std::string& from, const std::string& to, const type_key& k);
    // The pair's unlabeled type (allocating it for custom objects); null when the types cannot be associated.
    const association_definition* unlabeled(const std::string& from, const std::string& to);

    // A USER_DEFINED label: two definitions, one per direction, or one when the pair is of a single type and
    // the label is unpaired (it reads the same from both sides). Returns the forward key.
    type_key add_label(const std::string& from, const std::string& to, const std::string& label,
                       const std::optional<std::string>& inverse_label, const std::string& name);
    std::size_t user_label_count(const std::string& from, const std::string& to);
    bool name_taken(const std::string& from, const std::string& to, const std::string& name);
    void rename_label(const type_key& k, const std::string& label, const std::optional<std::string>& inverse_label);
    // Removes the label and its inverse, and takes them off every pair that has them (scans the object-type pair:
    // deleting a label is rare, so links keep no per-type index).
    void remove_label(const type_key& k);

    // The types from `from_id` towards `to_id` (null when not associated).
    const type_set* types(const std::string& from, const std::string& to, std::uint64_t from_id,
                          std::uint64_t to_id) const;
    // Every to-record of `from_id` (null when it has none).
    const association_targets* targets(const std::string& from, const std::string& to, std::uint64_t from_id) const;
    // Every link of from→to, by from-record id (null when none); for the control API.
    const std::map<std::uint64_t, association_targets>* links(const std::string& from, const std::string& to) const;

    // Makes `s` the exact type set between the records (empty: not associated), mirrored on the other side, and
    // moves one-per-from types (primary) away from the records' other associations.
    void set_types(const std::string& from, const std::string& to, std::uint64_t from_id, std::uint64_t to_id,
                   type_set s);
    // Takes `s` off the pair; without its unlabeled type a pair is not associated any more.
    void remove_types(const std::string& from, const std::string& to, std::uint64_t from_id, std::uint64_t to_id,
                      const type_set& s);

private:
    using pair_key = std::pair<std::string, std::string>;
    void define(association_definition d);
    void install_standard();
    void ensure_pair(const std::string& from, const std::string& to);
    void write_slot(const std::string& from, const std::string& to, std::uint64_t from_id, std::uint64_t to_id,
                    type_set s);
    // One-per-from types of `s` (from from_id towards to_id) leave from_id's other to-records.
    void keep_single(const std::string& from, const std::string& to, std::uint64_t from_id, std::uint64_t to_id,
                     const type_set& s);

    std::map<type_key, association_definition> definitions_;
    std::map<pair_key, std::set<type_key>> pair_types_;
    std::map<pair_key, std::map<std::uint64_t, association_targets>> links_;
    int next_user_type_ = 1;
};

}  // namespace hubsync::emulator
