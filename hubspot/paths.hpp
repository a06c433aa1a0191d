#pragma once
#include <string>
#include <string_view>

namespace hubsync::hubspot {

// The API paths of one API version (hubspot-api.md §0.2): "v3" gives today's /crm/v3 and /crm/v4 paths,
// "2026-03" (or any YYYY-MM) the dated ones that replace them when v3/v4 lose support in 2027.
class api_paths {
public:
    explicit api_paths(std::string version = "v3");

    // True for "v3" and for YYYY-MM versions.
    static bool valid_version(std::string_view v);

    std::string objects(std::string_view object_type) const;              // …/objects/{t}
    std::string object_batch(std::string_view object_type, std::string_view op) const;  // …/objects/{t}/batch/{op}
    std::string object_search(std::string_view object_type) const;
    std::string properties(std::string_view object_type) const;
    std::string schemas() const;
    std::string association_batch(std::string_view from, std::string_view to, std::string_view op) const;
    std::string association_labels(std::string_view from, std::string_view to) const;
    std::string lists() const;                                             // …/lists (no trailing slash)
    std::string event_send() const;                                        // /events/{v}/send
    std::string event_send_batch() const;
    std::string event_definitions() const;
    std::string account_details() const;
    std::string oauth_token() const;

    const std::string& version() const noexcept { return version_; }

private:
    bool dated() const noexcept { return version_ != "v3"; }
    std::string version_;
};

// Percent-encodes everything but RFC 3986 unreserved characters: for path segments (custom object names may need
// it) and for form and query values.
std::string encode_segment(std::string_view s);

}  // namespace hubsync::hubspot
