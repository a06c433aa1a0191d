#pragma once
#include "core/text.hpp"
#include "core/error.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hubsync::api {

using json = nlohmann::json;

// "a.b" / "a[3]" paths as the error envelope shows them.
std::string join_path(const std::string& parent, std::string_view key);
std::string index_path(const std::string& parent, std::size_t i);

// Parses a request body. Throws core::error{invalid_request} for empty or malformed JSON (with the byte offset),
// a non-object top level, or nesting deeper than `max_depth` (a guard against stack exhaustion).
json parse_body(std::string_view body, int max_depth = 64);

// Collects every problem of a request body, so one response lists them all, each with its JSON path.
class validator {
public:
    void fail(std::string path, std::string message);
    bool failed() const noexcept { return !details_.empty(); }
    const std::vector<core::error_detail>& details() const noexcept { return details_; }
    // Throws core::error{unprocessable} carrying every detail, when there is any.
    void throw_if_failed(const std::string& summary = "the request body is invalid") const;

    // Unknown keys are errors: a typo must not be silently ignored.
    void only(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed);

    // Field readers: record "is required" / "must be a …" problems and return nullopt/nullptr on any problem.
    std::optional<std::string> string(const json& obj, const std::string& parent, std::string_view key,
                                      bool required, std::size_t max_length = 1000);
    std::optional<std::int64_t> integer(const json& obj, const std::string& parent, std::string_view key,
                                        bool required, std::int64_t min, std::int64_t max);
    std::optional<bool> boolean(const json& obj, const std::string& parent, std::string_view key, bool required);
    const json* object(const json& obj, const std::string& parent, std::string_view key, bool required);
    const json* array(const json& obj, const std::string& parent, std::string_view key, bool required);
    std::optional<std::string> one_of(const json& obj, const std::string& parent, std::string_view key, bool required,
                                      std::initializer_list<std::string_view> values);

private:
    const json* field(const json& obj, const std::string& parent, std::string_view key, bool required);

    std::vector<core::error_detail> details_;
};

using core::did_you_mean;

// RFC 7386 JSON merge patch: objects merge key by key, null removes, anything else replaces.
void merge_patch(json& target, const json& patch);

}  // namespace hubsync::api
