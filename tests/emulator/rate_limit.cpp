#include "tests/emulator/rate_limit.hpp"

#include <algorithm>

namespace hubsync::emulator {

namespace {
std::int64_t
utc_day(std::int64_t ms)
{
    return ms >= 0 ? ms / 86'400'000 : (ms - 86'399'999) / 86'400'000;
}

void
add_retry_after(const call& c, header_list& h)
{
    if (auto s = c.st.config.rate_limit.retry_after_seconds) h.emplace_back("Retry-After", std::to_string(*s));
}

hs_error
too_many(const call& c, const char* policy, const char* message, const std::string& group, bool request_id,
         header_list headers)
{
    ojson body;
    body["status"] = "error";
    body["message"] = message;
    body["errorType"] = "RATE_LIMIT";
    body["correlationId"] = c.cid;
    body["policyName"] = policy;
    if (!group.empty()) body["groupName"] = group;
    if (request_id) body["requestId"] = new_uuid();
    add_retry_after(c, headers);
    return hs_error(429, std::move(body), std::move(headers));
}
}  // namespace

header_list
charge_request(call& c)
{
    const auto& cfg = c.st.config.rate_limit;
    if (!cfg.enabled || !c.who) return {};
    const bool oauth = c.who->kind == token_kind::oauth;
    const int max = oauth ? cfg.oauth_max : cfg.max;
    const std::chrono::milliseconds window(cfg.interval_ms);
    auto& burst = c.st.rates.burst[c.who->bucket];
    burst.prune(c.now_steady, window);

    auto& rates = c.st.rates;
    const auto day = utc_day(c.now_ms());
    if (rates.daily_day != day) {
        rates.daily_day = day;
        rates.daily_count = 0;
    }
    // Deprecated but still sent: the burst limit spread over one second.
    const int secondly = std::max(1, static_cast<int>(static_cast<long long>(max) * 1000 / cfg.interval_ms));

    auto headers = [&]() {
        header_list h;
        if (!oauth) {
            h.emplace_back("X-HubSpot-RateLimit-Daily", std::to_string(cfg.daily));
            auto left = cfg.daily - static_cast<std::int64_t>(rates.daily_count);
            h.emplace_back("X-HubSpot-RateLimit-Daily-Remaining", std::to_string(std::max<std::int64_t>(0, left)));
        }
        h.emplace_back("X-HubSpot-RateLimit-Interval-Milliseconds", std::to_string(cfg.interval_ms));
        h.emplace_back("X-HubSpot-RateLimit-Max", std::to_string(max));
        auto used = static_cast<long long>(burst.hits.size());
        h.emplace_back("X-HubSpot-RateLimit-Remaining", std::to_string(std::max<long long>(0, max - used)));
        h.emplace_back("X-HubSpot-RateLimit-Secondly", std::to_string(secondly));
        auto last_second = static_cast<long long>(burst.count_since(c.now_steady - std::chrono::seconds(1)));
        h.emplace_back("X-HubSpot-RateLimit-Secondly-Remaining",
                       std::to_string(std::max<long long>(0, secondly - last_second)));
        return h;
    };

    if (!oauth && static_cast<std::int64_t>(rates.daily_count) >= cfg.daily)
        throw too_many(c, "DAILY", "You have reached your daily limit.", {}, true, headers());
    if (static_cast<long long>(burst.hits.size()) >= max) {
        std::string group = std::string("publicapi:") + (oauth ? "oauth-app" : "private_app") +
                            "-api-calls-ten-secondly:" + std::to_string(c.who->app_id) + ":" +
                            std::to_string(c.st.portal_id());
        throw too_many(c, "TEN_SECONDLY_ROLLING", "You have reached your ten_secondly_rolling limit.", group, false,
                       headers());
    }
    burst.hits.push_back(c.now_steady);
    if (!oauth) ++rates.daily_count;
    return headers();
}

void
charge_search(call& c)
{
    const auto& cfg = c.st.config;
    if (!cfg.rate_limit.enabled) return;
    auto& w = c.st.rates.search;
    w.prune(c.now_steady, std::chrono::seconds(1));
    if (static_cast<long long>(w.hits.size()) >= cfg.search.per_second) {
        std::string group = "publicapi:crm-search-secondly:" + std::to_string(c.st.portal_id());
        throw too_many(c, "SECONDLY", "You have reached your secondly limit.", group, true, {});
    }
    w.hits.push_back(c.now_steady);
}

}  // namespace hubsync::emulator
