#include "hubspot/paths.hpp"

#include <cctype>
#include <cstdio>

namespace hubsync::hubspot {

api_paths::api_paths(std::string version) : version_(std::move(version))
{
}

bool
api_paths::valid_version(std::string_view v)
{
    if (v == "v3") return true;
    return v.size() == 7 && std::isdigit(static_cast<unsigned char>(v[0])) && std::isdigit(static_cast<unsigned char>(v[1])) &&
           std::isdigit(static_cast<unsigned char>(v[2])) && std::isdigit(static_cast<unsigned char>(v[3])) && v[4] == '-' &&
           std::isdigit(static_cast<unsigned char>(v[5])) && std::isdigit(static_cast<unsigned char>(v[6]));
}

std::string
encode_segment(std::string_view s)
{
    std::string out;
    for (unsigned char c : s) {
        if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
            out += static_cast<char>(c);
        } else {
            char buf[4];
            std::snprintf(buf, sizeof buf, "%%%02X", c);
            out += buf;
        }
    }
    return out;
}

std::string
api_paths::objects(std::string_view t) const
{
    return (dated() ? "/crm/objects/" + version_ + "/" : std::string("/crm/v3/objects/")) + encode_segment(t);
}

std::string
api_paths::object_batch(std::string_view t, std::string_view op) const
{
    return objects(t) + "/batch/" + std::string(op);
}

std::string
api_paths::object_search(std::string_view t) const
{
    return objects(t) + "/search";
}

std::string
api_paths::properties(std::string_view t) const
{
    return (dated() ? "/crm/properties/" + version_ + "/" : std::string("/crm/v3/properties/")) + encode_segment(t);
}

std::string
api_paths::schemas() const
{
    return dated() ? "/crm-object-schemas/" + version_ + "/schemas" : "/crm-object-schemas/v3/schemas";
}

std::string
api_paths::association_batch(std::string_view from, std::string_view to, std::string_view op) const
{
    std::string base = dated() ? "/crm/associations/" + version_ + "/" : "/crm/v4/associations/";
    return base + encode_segment(from) + "/" + encode_segment(to) + "/batch/" + std::string(op);
}

std::string
api_paths::association_labels(std::string_view from, std::string_view to) const
{
    std::string base = dated() ? "/crm/associations/" + version_ + "/" : "/crm/v4/associations/";
    return base + encode_segment(from) + "/" + encode_segment(to) + "/labels";
}

std::string
api_paths::lists() const
{
    return dated() ? "/crm/lists/" + version_ : "/crm/v3/lists";
}

std::string
api_paths::event_send() const
{
    // The dated spec path; the docs write /events/custom/YYYY-MM/send instead (hubspot-api.md §0.2, UNCONFIRMED).
    return dated() ? "/events/" + version_ + "/send" : "/events/v3/send";
}

std::string
api_paths::event_send_batch() const
{
    return dated() ? "/events/" + version_ + "/send/batch" : "/events/v3/send/batch";
}

std::string
api_paths::event_definitions() const
{
    return dated() ? "/events/" + version_ + "/event-definitions" : "/events/v3/event-definitions";
}

std::string
api_paths::account_details() const
{
    return dated() ? "/account-info/" + version_ + "/details" : "/account-info/v3/details";
}

std::string
api_paths::oauth_token() const
{
    return dated() ? "/oauth/" + version_ + "/token" : "/oauth/v1/token";
}

}  // namespace hubsync::hubspot
