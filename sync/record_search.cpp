#include "sync/record_search.hpp"

#include "core/text.hpp"
#include "sync/object_decisions.hpp"


namespace hubsync::sync {

namespace {
using json = nlohmann::json;

constexpr int page_size = 200;
// As long as any "after" a body can carry: four digits, under the 10,000 cap.
const std::string longest_after = "9800";
}  // namespace

json
search_body(const std::string& property, const std::vector<std::string>& values, const std::optional<std::string>& after)
{
    json filter = {{"propertyName", property}, {"operator", "IN"}, {"values", values}};
    json body = {{"filterGroups", json::array({{{"filters", json::array({filter})}}})},
                 {"properties", json::array({property})},
                 {"limit", page_size}};
    if (after) body["after"] = *after;
    return body;
}

search_plan
plan_search(const std::string& property, const std::vector<std::string>& values, bool text, std::size_t max_body)
{
    search_plan out;
    std::set<std::string> seen;
    const std::size_t empty = search_body(property, {}, longest_after).dump().size();
    std::size_t size = empty;
    std::vector<std::string> group;
    for (const auto& raw : values) {
        auto v = text ? core::ascii_lower(raw) : raw;
        if (!seen.insert(v).second) continue;
        // Each value adds its JSON string and a comma.
        const std::size_t cost = json(v).dump().size() + 1;
        if (empty + cost >= max_body) {
            out.too_long.push_back(raw);
            continue;
        }
        if (size + cost >= max_body) {
            out.groups.push_back(std::move(group));
            group.clear();
            size = empty;
        }
        group.push_back(std::move(v));
        size += cost;
    }
    if (!group.empty()) out.groups.push_back(std::move(group));
    return out;
}

namespace {
net::awaitable<void>
search_group(hubspot::objects_api& objects, send_context& ctx, const std::string& object_path,
             const std::string& property, std::vector<std::string> values,
             std::map<std::string, std::vector<std::string>>& found)
{
    std::optional<std::string> after;
    std::map<std::string, std::vector<std::string>> here;
    for (;;) {
        ctx.api_call();
        auto page = co_await objects.search(object_path, search_body(property, values, after));
        if (page.total > max_search_results) {
            if (values.size() > 1) {
                // Too many to page through: each half on its own.
                auto half = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
                std::vector<std::string> second(half, values.end());
                values.erase(half, values.end());
                co_await search_group(objects, ctx, object_path, property, std::move(values), found);
                co_await search_group(objects, ctx, object_path, property, std::move(second), found);
                co_return;
            }
            // One value held by more than 10,000 records: ambiguous, whatever the ids.
            found[match_key(values.front())] = {"(many)", "(many)"};
            co_return;
        }
        for (const auto& r : page.results) {
            auto it = r.properties.find(property);
            if (it != r.properties.end()) here[match_key(it->second)].push_back(r.id);
        }
        if (!page.after) break;
        after = page.after;
    }
    for (auto& [k, ids] : here) {
        auto& into = found[k];
        into.insert(into.end(), ids.begin(), ids.end());
    }
}
}  // namespace

net::awaitable<found_records>
find_by_property(hubspot::objects_api& objects, send_context& ctx, std::string object_path, std::string property,
                 std::vector<std::string> values, bool text)
{
    found_records out;
    auto plan = plan_search(property, values, text);
    for (auto& group : plan.groups)
        co_await search_group(objects, ctx, object_path, property, std::move(group), out.ids);
    for (const auto& v : plan.too_long) out.unsearchable.insert(match_key(v));
    co_return out;
}

}  // namespace hubsync::sync
