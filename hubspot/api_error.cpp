#include "hubspot/api_error.hpp"
#include "hubspot/json_fields.hpp"

#include <regex>

namespace hubsync::hubspot {

namespace {
using json = nlohmann::json;

std::vector<std::string>
strings(const json& j)
{
    std::vector<std::string> out;
    if (!j.is_array()) return out;
    for (const auto& v : j) {
        if (v.is_string()) out.push_back(v.get<std::string>());
        else if (v.is_number()) out.push_back(v.dump());
    }
    return out;
}

// HubSpot embeds a JSON array of property problems in the message of a VALIDATION_ERROR:
// "Property values were not valid: [{\"isValid\":false,...,\"error\":\"PROPERTY_DOESNT_EXIST\",\"name\":\"x\"}]"
void
read_embedded_problems(const std::string& message, input_error& e)
{
    auto start = message.find('[');
    if (message.rfind("Property values were not valid", 0) != 0 || start == std::string::npos) return;
    auto problems = json::parse(message.substr(start), nullptr, false);
    if (!problems.is_array()) return;
    for (const auto& p : problems) {
        if (!p.is_object()) continue;
        if (e.code.empty()) e.code = string_member(p, "error");
        if (auto name = string_member(p, "name"); !name.empty()) e.properties.push_back(name);
        if (auto m = string_member(p, "message"); !m.empty() && e.message.rfind("Property values were not valid", 0) == 0)
            e.message = m;
    }
}

input_error
read_input_error(const json& j)
{
    input_error e;
    e.category = string_member(j, "category");
    e.message = string_member(j, "message");
    if (auto ctx = j.find("context"); ctx != j.end() && ctx->is_object()) {
        if (auto t = ctx->find("objectWriteTraceId"); t != ctx->end()) {
            auto v = strings(*t);
            if (!v.empty()) e.trace_id = v.front();
        }
        if (auto ids = ctx->find("ids"); ids != ctx->end()) e.ids = strings(*ids);
        if (auto p = ctx->find("propertyName"); p != ctx->end()) e.properties = strings(*p);
    }
    if (auto errs = j.find("errors"); errs != j.end() && errs->is_array()) {
        for (const auto& d : *errs) {
            if (!d.is_object()) continue;
            if (e.code.empty()) e.code = string_member(d, "code");
            if (auto ctx = d.find("context"); ctx != d.end() && ctx->is_object())
                if (auto p = ctx->find("propertyName"); p != ctx->end())
                    for (auto& name : strings(*p)) e.properties.push_back(name);
        }
    }
    read_embedded_problems(e.message, e);
    return e;
}
}  // namespace

std::vector<input_error>
parse_batch_errors(const json& batch)
{
    std::vector<input_error> out;
    if (auto errs = batch.find("errors"); errs != batch.end() && errs->is_array())
        for (const auto& e : *errs)
            if (e.is_object()) out.push_back(read_input_error(e));
    return out;
}

error_info
parse_error(int http_status, std::string_view body)
{
    error_info info;
    info.http_status = http_status;
    auto j = json::parse(body, nullptr, false);
    if (!j.is_object()) {
        info.message = std::string(body.substr(0, 200));
        if (info.message.empty()) info.message = "HTTP " + std::to_string(http_status) + " with an empty body";
        return info;
    }
    info.category = string_member(j, "category");
    if (info.category.empty()) info.category = string_member(j, "errorType");
    info.sub_category = string_member(j, "subCategory");
    info.message = string_member(j, "message");
    info.correlation_id = string_member(j, "correlationId");
    info.policy_name = string_member(j, "policyName");
    info.oauth_error = string_member(j, "error");
    info.oauth_status = string_member(j, "status") == "error" ? std::string{} : string_member(j, "status");
    if (info.message.empty()) info.message = string_member(j, "error_description");
    if (auto errs = j.find("errors"); errs != j.end() && errs->is_array()) {
        for (const auto& d : *errs) {
            if (!d.is_object()) continue;
            if (auto ctx = d.find("context"); ctx != d.end() && ctx->is_object())
                if (auto s = ctx->find("requiredGranularScopes"); s != ctx->end())
                    for (auto& scope : strings(*s)) info.required_scopes.push_back(scope);
        }
    }
    static const std::regex existing("Existing ID: ([0-9]+)");
    std::smatch m;
    if (std::regex_search(info.message, m, existing)) info.existing_id = m[1].str();
    if (j.contains("results") || (j.contains("errors") && j.contains("numErrors"))) {
        info.inputs = parse_batch_errors(j);
    } else if (info.category == "VALIDATION_ERROR" || info.category == "CONFLICT" ||
               info.category == "OBJECT_NOT_FOUND") {
        // A whole-request failure about particular inputs (no trace ids were sent, or duplicate ids).
        info.inputs.push_back(read_input_error(j));
    }
    return info;
}

api_error::api_error(error_info info)
    : std::runtime_error("HubSpot answered " + std::to_string(info.http_status) +
                         (info.category.empty() ? "" : " " + info.category) + ": " + info.message),
      info_(std::move(info))
{
}

}  // namespace hubsync::hubspot
