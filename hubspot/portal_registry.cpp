#include "hubspot/portal_registry.hpp"

namespace hubsync::hubspot {

portal_registry::portal_registry(net::io_context& ioc, core::metrics_registry* metrics, client_settings defaults)
    : ioc_(ioc), metrics_(metrics), defaults_(std::move(defaults))
{
}

client_settings
portal_registry::settings_for(const portal_access& access) const
{
    client_settings s = defaults_;
    if (!access.base_url.empty()) s.base_url = access.base_url;
    if (!access.api_version.empty()) s.api_version = access.api_version;
    return s;
}

std::shared_ptr<client>
portal_registry::for_destination(std::int64_t destination_id, const portal_access& access,
                                 const token_factory& make_tokens)
{
    std::lock_guard lock(mutex_);
    auto it = clients_.find(destination_id);
    if (it != clients_.end() && it->second.first == access) return it->second.second;
    std::shared_ptr<token_provider> tokens =
        make_tokens ? make_tokens() : std::make_shared<static_token>(access.token);
    auto c = std::make_shared<client>(ioc_, settings_for(access), std::move(tokens), metrics_,
                                      "destination-" + std::to_string(destination_id));
    clients_[destination_id] = {access, c};
    return c;
}

std::shared_ptr<client>
portal_registry::temporary(const portal_access& access, const std::string& label)
{
    return std::make_shared<client>(ioc_, settings_for(access), std::make_shared<static_token>(access.token), metrics_,
                                    label);
}

void
portal_registry::forget(std::int64_t destination_id)
{
    std::lock_guard lock(mutex_);
    clients_.erase(destination_id);
}

}  // namespace hubsync::hubspot
