#include "tests/emulator/association_store.hpp"

#include <iterator>

namespace hubsync::emulator {

namespace {
constexpr std::string_view category_names[] = {"HUBSPOT_DEFINED", "USER_DEFINED", "INTEGRATOR_DEFINED", "WORK"};

bool
custom_type(const std::string& object_type_id)
{
    return object_type_id.rfind("2-", 0) == 0;
}
}  // namespace

std::string_view
category_name(association_category c)
{
    return category_names[static_cast<std::size_t>(c)];
}

std::optional<association_category>
parse_category(std::string_view s)
{
    for (std::size_t i = 0; i < std::size(category_names); ++i)
        if (category_names[i] == s) return static_cast<association_category>(i);
    return std::nullopt;
}

association_store::association_store()
{
    install_standard();
}

void
association_store::define(association_definition d)
{
    pair_types_[{d.from_type, d.to_type}].insert(d.key);
    auto key = d.key;
    definitions_[key] = std::move(d);
}

// hubspot-api.md §3.3: the HubSpot-defined type ids between the four standard objects the emulator has.
void
association_store::install_standard()
{
    const auto hs = association_category::hubspot_defined;
    // One type and its inverse; `single_*`: the from-record may hold it towards one to-record only.
    auto both = [&](const char* from, const char* to, int fwd, int inv, std::optional<std::string> fwd_label,
                    std::optional<std::string> inv_label, bool single_fwd = false, bool single_inv = false) {
        define({{hs, fwd}, {hs, inv}, from, to, fwd_label, {}, single_fwd});
        if (fwd != inv) define({{hs, inv}, {hs, fwd}, to, from, inv_label, {}, single_inv});
    };
    const std::optional<std::string> none;
    const std::optional<std::string> primary = "Primary";
    both("0-1", "0-2", 279, 280, none, none);
    both("0-1", "0-2", 1, 2, primary, primary, true, false);      // a contact's primary company
    both("0-1", "0-3", 4, 3, none, none);
    both("0-1", "0-5", 15, 16, none, none);
    both("0-1", "0-1", 449, 449, none, none);
    both("0-2", "0-3", 342, 341, none, none);
    both("0-2", "0-3", 6, 5, primary, primary, false, true);      // a deal's primary company
    both("0-2", "0-5", 340, 339, none, none);
    both("0-2", "0-5", 25, 26, primary, primary, false, true);    // a ticket's primary company
    both("0-2", "0-2", 450, 450, none, none);
    // 13 is parent→child, 14 child→parent. The label names the to-record's role, as "Primary" does (UNCONFIRMED
    // wording); a company has one parent.
    both("0-2", "0-2", 13, 14, std::string("Child Company"), std::string("Parent Company"), false, true);
    both("0-3", "0-5", 27, 28, none, none);
    both("0-3", "0-3", 451, 451, none, none);
    both("0-5", "0-5", 452, 452, none, none);
}

void
association_store::ensure_pair(const std::string& from, const std::string& to)
{
    if (pair_types_.count({from, to})) return;
    if (!custom_type(from) && !custom_type(to)) return;
    // Custom objects: per-portal ids, allocated on first use. USER_DEFINED like every portal-specific type.
    const auto user = association_category::user_defined;
    const int fwd = next_user_type_++;
    const int inv = from == to ? fwd : next_user_type_++;
    define({{user, fwd}, {user, inv}, from, to, std::nullopt, {}, false});
    if (fwd != inv) define({{user, inv}, {user, fwd}, to, from, std::nullopt, {}, false});
}

std::vector<const association_definition*>
association_store::definitions(const std::string& from, const std::string& to)
{
    ensure_pair(from, to);
    std::vector<const association_definition*> out;
    auto it = pair_types_.find({from, to});
    if (it == pair_types_.end()) return out;
    for (const auto& k : it->second) out.push_back(&definitions_.at(k));
    return out;
}

const association_definition*
association_store::find(const type_key& k) const
{
    auto it = definitions_.find(k);
    return it == definitions_.end() ? nullptr : &it->second;
}

const association_definition*
association_store::find_between(const std::string& from, const std::string& to, const type_key& k)
{
    ensure_pair(from, to);
    const auto* d = find(k);
    return d && d->from_type == from && d->to_type == to ? d : nullptr;
}

const association_definition*
association_store::unlabeled(const std::string& from, const std::string& to)
{
    for (const auto* d : definitions(from, to))
        if (!d->label) return d;
    return nullptr;
}

type_key
association_store::add_label(const std::string& from, const std::string& to, const std::string& label,
                             const std::optional<std::string>& inverse_label, const std::string& name)
{
    ensure_pair(from, to);
    const auto user = association_category::user_defined;
    const type_key fwd{user, next_user_type_++};
    const type_key inv = from == to && !inverse_label ? fwd : type_key{user, next_user_type_++};
    define({fwd, inv, from, to, label, name, false});
    if (inv != fwd) define({inv, fwd, to, from, inverse_label.value_or(label), name, false});
    return fwd;
}

std::size_t
association_store::user_label_count(const std::string& from, const std::string& to)
{
    std::size_t n = 0;
    for (const auto* d : definitions(from, to))
        // A paired label between records of one type has both of its keys here: count it once.
        if (d->key.category == association_category::user_defined && d->label &&
            (d->from_type != d->to_type || d->key <= d->inverse))
            ++n;
    return n;
}

bool
association_store::name_taken(const std::string& from, const std::string& to, const std::string& name)
{
    for (const auto* d : definitions(from, to))
        if (d->label && d->name == name) return true;
    return false;
}

void
association_store::rename_label(const type_key& k, const std::string& label,
                                const std::optional<std::string>& inverse_label)
{
    auto& d = definitions_.at(k);
    const auto old = d.label;
    d.label = label;
    if (d.inverse == k) return;
    auto& inv = definitions_.at(d.inverse);
    // An unpaired label reads the same both ways and stays so; a paired one keeps its inverse unless told.
    if (inverse_label) inv.label = inverse_label;
    else if (inv.label == old) inv.label = label;
}

void
association_store::remove_label(const type_key& k)
{
    const auto d = definitions_.at(k);
    std::vector<std::pair<std::uint64_t, std::uint64_t>> carrying;
    if (auto* all = links(d.from_type, d.to_type))
        for (const auto& [from_id, targets] : *all)
            for (const auto& [to_id, s] : targets)
                if (s.count(k)) carrying.emplace_back(from_id, to_id);
    for (const auto& [from_id, to_id] : carrying) remove_types(d.from_type, d.to_type, from_id, to_id, {k});
    pair_types_[{d.from_type, d.to_type}].erase(k);
    pair_types_[{d.to_type, d.from_type}].erase(d.inverse);
    definitions_.erase(d.inverse);
    definitions_.erase(k);
}

const type_set*
association_store::types(const std::string& from, const std::string& to, std::uint64_t from_id,
                         std::uint64_t to_id) const
{
    const auto* t = targets(from, to, from_id);
    if (!t) return nullptr;
    auto it = t->find(to_id);
    return it == t->end() ? nullptr : &it->second;
}

const association_targets*
association_store::targets(const std::string& from, const std::string& to, std::uint64_t from_id) const
{
    const auto* all = links(from, to);
    if (!all) return nullptr;
    auto it = all->find(from_id);
    return it == all->end() ? nullptr : &it->second;
}

const std::map<std::uint64_t, association_targets>*
association_store::links(const std::string& from, const std::string& to) const
{
    auto it = links_.find({from, to});
    return it == links_.end() ? nullptr : &it->second;
}

void
association_store::write_slot(const std::string& from, const std::string& to, std::uint64_t from_id,
                              std::uint64_t to_id, type_set s)
{
    type_set inverse;
    for (const auto& k : s) inverse.insert(definitions_.at(k).inverse);
    auto put = [this](const std::string& a, const std::string& b, std::uint64_t x, std::uint64_t y, type_set v) {
        auto& by_from = links_[{a, b}];
        if (v.empty()) {
            auto it = by_from.find(x);
            if (it == by_from.end()) return;
            it->second.erase(y);
            if (it->second.empty()) by_from.erase(it);
        } else {
            by_from[x][y] = std::move(v);
        }
    };
    put(from, to, from_id, to_id, std::move(s));
    put(to, from, to_id, from_id, std::move(inverse));
}

void
association_store::keep_single(const std::string& from, const std::string& to, std::uint64_t from_id,
                               std::uint64_t to_id, const type_set& s)
{
    for (const auto& k : s) {
        if (!definitions_.at(k).one_per_from) continue;
        std::vector<std::uint64_t> others;
        if (const auto* t = targets(from, to, from_id))
            for (const auto& [other, types] : *t)
                if (other != to_id && types.count(k)) others.push_back(other);
        for (auto other : others) remove_types(from, to, from_id, other, {k});
    }
}

void
association_store::set_types(const std::string& from, const std::string& to, std::uint64_t from_id,
                             std::uint64_t to_id, type_set s)
{
    type_set inverse;
    for (const auto& k : s) inverse.insert(definitions_.at(k).inverse);
    const bool associated = !s.empty();
    const type_set forward = s;
    write_slot(from, to, from_id, to_id, std::move(s));
    if (!associated) return;
    keep_single(from, to, from_id, to_id, forward);
    keep_single(to, from, to_id, from_id, inverse);
}

void
association_store::remove_types(const std::string& from, const std::string& to, std::uint64_t from_id,
                                std::uint64_t to_id, const type_set& s)
{
    const auto* current = types(from, to, from_id, to_id);
    if (!current) return;
    type_set left;
    for (const auto& k : *current)
        if (!s.count(k)) left.insert(k);
    const auto* base = unlabeled(from, to);
    if (!base || !left.count(base->key)) left.clear();
    write_slot(from, to, from_id, to_id, std::move(left));
}

}  // namespace hubsync::emulator
