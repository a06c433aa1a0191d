#include "tests/emulator/config.hpp"

#include <set>

namespace hubsync::emulator {

namespace {
using json = nlohmann::json;

void
check_keys(const json& j, const std::string& path, const std::set<std::string>& allowed)
{
    if (!j.is_object()) throw config_error(path + ": must be an object");
    for (const auto& [k, v] : j.items())
        if (!allowed.count(k)) throw config_error(path + "." + k + ": unknown key");
}

int
int_in(const json& j, const std::string& path, long long lo, long long hi)
{
    if (!j.is_number_integer()) throw config_error(path + ": must be an integer");
    auto v = j.get<long long>();
    if (v < lo || v > hi)
        throw config_error(path + ": must be between " + std::to_string(lo) + " and " + std::to_string(hi));
    return static_cast<int>(v);
}

bool
bool_at(const json& j, const std::string& path)
{
    if (!j.is_boolean()) throw config_error(path + ": must be true or false");
    return j.get<bool>();
}

const char*
kind_name(fault_rule::kind k)
{
    switch (k) {
    case fault_rule::kind::reset: return "reset";
    case fault_rule::kind::reset_mid_body: return "reset_mid_body";
    case fault_rule::kind::latency: return "latency";
    case fault_rule::kind::partial_answer: return "partial_answer";
    case fault_rule::kind::status: break;
    }
    return "status";
}
}  // namespace

nlohmann::ordered_json
to_json(const fault_rule& f)
{
    nlohmann::ordered_json j;
    if (f.what == fault_rule::kind::status) j["status"] = f.status;
    else j["status"] = kind_name(f.what);
    j["count"] = f.count;
    j["path_prefix"] = f.path_prefix;
    j["latency_ms"] = f.latency_ms;
    j["retry_after"] = f.retry_after ? nlohmann::ordered_json(*f.retry_after) : nlohmann::ordered_json(nullptr);
    j["process_request"] = f.process_request;
    return j;
}

nlohmann::ordered_json
to_json(const emulator_config& c)
{
    nlohmann::ordered_json j;
    auto& rl = j["rate_limit"];
    rl["enabled"] = c.rate_limit.enabled;
    rl["max"] = c.rate_limit.max;
    rl["oauth_max"] = c.rate_limit.oauth_max;
    rl["interval_ms"] = c.rate_limit.interval_ms;
    rl["daily"] = c.rate_limit.daily;
    rl["retry_after_seconds"] = c.rate_limit.retry_after_seconds
                                    ? nlohmann::ordered_json(*c.rate_limit.retry_after_seconds)
                                    : nlohmann::ordered_json(nullptr);
    j["search"]["lag_ms"] = c.search.lag_ms;
    j["search"]["per_second"] = c.search.per_second;
    j["oauth"]["access_token_ttl_seconds"] = c.oauth.access_token_ttl_seconds;
    j["lists"]["max_membership_ids"] = c.lists.max_membership_ids;
    j["events"]["reject_duplicate_uuids"] = c.events.reject_duplicate_uuids;
    j["objects"]["unique_conflict"] =
        c.objects.unique_conflict == objects_config::conflict_shape::conflict_409 ? 409 : 400;
    j["faults"] = nlohmann::ordered_json::array();
    for (const auto& f : c.faults) j["faults"].push_back(to_json(f));
    return j;
}

fault_rule
parse_fault(const json& j, const std::string& path)
{
    check_keys(j, path, {"status", "count", "path_prefix", "latency_ms", "retry_after", "process_request"});
    fault_rule f;
    if (!j.contains("status")) throw config_error(path + ".status: required");
    const auto& s = j["status"];
    if (s.is_number_integer()) {
        f.what = fault_rule::kind::status;
        f.status = int_in(s, path + ".status", 400, 599);
    } else if (s.is_string() && s == "reset") {
        f.what = fault_rule::kind::reset;
    } else if (s.is_string() && s == "reset_mid_body") {
        f.what = fault_rule::kind::reset_mid_body;
        f.process_request = true;
    } else if (s.is_string() && s == "latency") {
        f.what = fault_rule::kind::latency;
    } else if (s.is_string() && s == "partial_answer") {
        f.what = fault_rule::kind::partial_answer;
    } else {
        throw config_error(path + ".status: must be an HTTP status, \"reset\", \"reset_mid_body\", \"latency\" or "
                                  "\"partial_answer\"");
    }
    if (j.contains("count")) f.count = int_in(j["count"], path + ".count", 1, 1'000'000'000);
    if (j.contains("path_prefix")) {
        if (!j["path_prefix"].is_string()) throw config_error(path + ".path_prefix: must be a string");
        f.path_prefix = j["path_prefix"].get<std::string>();
    }
    if (j.contains("latency_ms")) f.latency_ms = int_in(j["latency_ms"], path + ".latency_ms", 0, 600'000);
    if (f.what == fault_rule::kind::latency && f.latency_ms == 0)
        throw config_error(path + ".latency_ms: required (> 0) for a latency fault");
    if (j.contains("retry_after") && !j["retry_after"].is_null())
        f.retry_after = int_in(j["retry_after"], path + ".retry_after", 0, 86'400);
    if (f.what == fault_rule::kind::status && f.status == 477 && !f.retry_after) f.retry_after = 1;
    if (j.contains("process_request")) {
        f.process_request = bool_at(j["process_request"], path + ".process_request");
        if (f.what == fault_rule::kind::latency || f.what == fault_rule::kind::partial_answer)
            throw config_error(path + ".process_request: not for this fault (it always handles the request)");
    }
    return f;
}

void
apply_config(emulator_config& c, const json& patch)
{
    check_keys(patch, "$", {"rate_limit", "search", "oauth", "lists", "events", "objects", "faults"});
    emulator_config n = c;
    if (patch.contains("rate_limit")) {
        const auto& r = patch["rate_limit"];
        check_keys(r, "$.rate_limit", {"enabled", "max", "oauth_max", "interval_ms", "daily", "retry_after_seconds"});
        if (r.contains("enabled")) n.rate_limit.enabled = bool_at(r["enabled"], "$.rate_limit.enabled");
        if (r.contains("max")) n.rate_limit.max = int_in(r["max"], "$.rate_limit.max", 1, 1'000'000);
        if (r.contains("oauth_max"))
            n.rate_limit.oauth_max = int_in(r["oauth_max"], "$.rate_limit.oauth_max", 1, 1'000'000);
        if (r.contains("interval_ms"))
            n.rate_limit.interval_ms = int_in(r["interval_ms"], "$.rate_limit.interval_ms", 1, 86'400'000);
        if (r.contains("daily")) {
            if (!r["daily"].is_number_integer() || r["daily"].get<long long>() < 1)
                throw config_error("$.rate_limit.daily: must be a positive integer");
            n.rate_limit.daily = r["daily"].get<std::int64_t>();
        }
        if (r.contains("retry_after_seconds")) {
            if (r["retry_after_seconds"].is_null()) n.rate_limit.retry_after_seconds.reset();
            else
                n.rate_limit.retry_after_seconds =
                    int_in(r["retry_after_seconds"], "$.rate_limit.retry_after_seconds", 0, 86'400);
        }
    }
    if (patch.contains("search")) {
        const auto& s = patch["search"];
        check_keys(s, "$.search", {"lag_ms", "per_second"});
        if (s.contains("lag_ms")) n.search.lag_ms = int_in(s["lag_ms"], "$.search.lag_ms", 0, 3'600'000);
        if (s.contains("per_second"))
            n.search.per_second = int_in(s["per_second"], "$.search.per_second", 1, 1'000'000);
    }
    if (patch.contains("oauth")) {
        const auto& o = patch["oauth"];
        check_keys(o, "$.oauth", {"access_token_ttl_seconds"});
        if (o.contains("access_token_ttl_seconds"))
            n.oauth.access_token_ttl_seconds =
                int_in(o["access_token_ttl_seconds"], "$.oauth.access_token_ttl_seconds", 1, 86'400 * 365);
    }
    if (patch.contains("lists")) {
        const auto& l = patch["lists"];
        check_keys(l, "$.lists", {"max_membership_ids"});
        if (l.contains("max_membership_ids"))
            n.lists.max_membership_ids =
                int_in(l["max_membership_ids"], "$.lists.max_membership_ids", 1, 100'000'000);
    }
    if (patch.contains("events")) {
        const auto& e = patch["events"];
        check_keys(e, "$.events", {"reject_duplicate_uuids"});
        if (e.contains("reject_duplicate_uuids"))
            n.events.reject_duplicate_uuids = bool_at(e["reject_duplicate_uuids"], "$.events.reject_duplicate_uuids");
    }
    if (patch.contains("objects")) {
        const auto& o = patch["objects"];
        check_keys(o, "$.objects", {"unique_conflict"});
        if (o.contains("unique_conflict")) {
            auto status = int_in(o["unique_conflict"], "$.objects.unique_conflict", 400, 409);
            if (status != 400 && status != 409) throw config_error("$.objects.unique_conflict: must be 409 or 400");
            n.objects.unique_conflict = status == 409 ? objects_config::conflict_shape::conflict_409
                                                      : objects_config::conflict_shape::validation_400;
        }
    }
    if (patch.contains("faults")) {
        const auto& f = patch["faults"];
        if (!f.is_array()) throw config_error("$.faults: must be an array");
        n.faults.clear();
        for (std::size_t i = 0; i < f.size(); ++i)
            n.faults.push_back(parse_fault(f[i], "$.faults[" + std::to_string(i) + "]"));
    }
    c = std::move(n);
}

}  // namespace hubsync::emulator
