#include "hubspot/retry_policy.hpp"

#include <algorithm>
#include <charconv>
#include <ctime>

namespace hubsync::hubspot {

using std::chrono::milliseconds;

retry_policy::retry_policy(retry_settings s, std::uint64_t seed) : settings_(s), rng_(seed)
{
}

milliseconds
retry_policy::backoff(int attempt)
{
    auto exp = settings_.base_delay.count() << std::min(attempt - 1, 20);
    auto upper = std::min<long long>(settings_.max_delay.count(), exp);
    auto lower = std::min<long long>(settings_.base_delay.count(), upper);
    std::uniform_int_distribution<long long> d(lower, upper);
    return milliseconds(d(rng_));
}

retry_decision
retry_policy::after_status(int status, int attempt, std::optional<milliseconds> retry_after, bool idempotent)
{
    retry_decision d;
    d.reason = "http_" + std::to_string(status);
    bool last = attempt >= settings_.max_attempts;
    if (status == 429) {
        // The caller has told the limiter; the next acquire waits. DAILY is refused by the caller before this.
        d.retry = !last;
        d.delay = retry_after.value_or(milliseconds(0));
        return d;
    }
    if (last) return d;
    if (status == 423) {
        d.retry = true;
        d.delay = std::max(settings_.locked_delay, retry_after.value_or(milliseconds(0)));
    } else if (status == 477) {
        // Portal migrating between data centres: HubSpot says how long, up to a day.
        d.retry = true;
        d.delay = retry_after.value_or(backoff(attempt));
    } else if (status >= 500 && status <= 599) {
        // A 5xx may come after HubSpot committed the write (a gateway timing out, say): a create is never sent
        // twice on the strength of it; the caller checks for the record first (DESIGN §4).
        d.retry = idempotent;
        d.delay = retry_after ? std::max(*retry_after, backoff(attempt)) : backoff(attempt);
    }
    return d;
}

retry_decision
retry_policy::after_transport_error(const std::string& what, int attempt, bool request_sent, bool idempotent)
{
    retry_decision d;
    d.reason = what;
    if (attempt >= settings_.max_attempts) return d;
    if (request_sent && !idempotent) {
        d.reason = what + "_after_send";
        return d;
    }
    d.retry = true;
    d.delay = backoff(attempt);
    return d;
}

std::optional<milliseconds>
parse_retry_after(const std::string& value, std::chrono::system_clock::time_point now)
{
    if (value.empty()) return std::nullopt;
    long long seconds = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), seconds);
    if (ec == std::errc() && p == value.data() + value.size() && seconds >= 0) return milliseconds(seconds * 1000);
    std::tm tm{};
    if (strptime(value.c_str(), "%a, %d %b %Y %H:%M:%S GMT", &tm)) {
        auto when = std::chrono::system_clock::from_time_t(timegm(&tm));
        return when > now ? std::chrono::duration_cast<milliseconds>(when - now) : milliseconds(0);
    }
    return std::nullopt;
}

}  // namespace hubsync::hubspot
