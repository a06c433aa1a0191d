#include "api/validation.hpp"

#include <algorithm>

namespace hubsync::api {

namespace {
const char*
type_name(const json& v)
{
    switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::number_integer:
    case json::value_t::number_unsigned: return "an integer";
    case json::value_t::number_float: return "a number";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "an array";
    case json::value_t::object: return "an object";
    default: return "an unsupported value";
    }
}

// Depth of [ and { nesting outside strings; stops counting once past `limit`.
bool
deeper_than(std::string_view s, int limit)
{
    int depth = 0;
    bool in_string = false;
    for (std::size_t i = 0; i < s.size(); ++i) {
        char c = s[i];
        if (in_string) {
            if (c == '\\') ++i;
            else if (c == '"') in_string = false;
        } else if (c == '"') {
            in_string = true;
        } else if (c == '[' || c == '{') {
            if (++depth > limit) return true;
        } else if (c == ']' || c == '}') {
            --depth;
        }
    }
    return false;
}
}  // namespace

std::string
join_path(const std::string& parent, std::string_view key)
{
    return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}

std::string
index_path(const std::string& parent, std::size_t i)
{
    return parent + "[" + std::to_string(i) + "]";
}

json
parse_body(std::string_view body, int max_depth)
{
    if (body.find_first_not_of(" \t\r\n") == std::string_view::npos)
        throw core::error(core::errc::invalid_request, "the request body is empty; send a JSON object");
    if (deeper_than(body, max_depth))
        throw core::error(core::errc::invalid_request,
                          "the request body nests deeper than " + std::to_string(max_depth) + " levels");
    json v;
    try {
        v = json::parse(body);
    } catch (const json::parse_error& e) {
        throw core::error(core::errc::invalid_request,
                          "the request body is not valid JSON (at byte " + std::to_string(e.byte) + ")");
    } catch (const json::exception& e) {
        // e.g. out_of_range.406 for a number too large for a double
        throw core::error(core::errc::invalid_request, "the request body is not usable JSON: a number is out of range");
    }
    if (!v.is_object())
        throw core::error(core::errc::invalid_request,
                          std::string("the request body must be a JSON object, not ") + type_name(v));
    return v;
}

void
validator::fail(std::string path, std::string message)
{
    details_.push_back({std::move(path), std::move(message)});
}

void
validator::throw_if_failed(const std::string& summary) const
{
    if (failed()) {
        std::string message = details_.size() == 1 ? details_[0].path + ": " + details_[0].message : summary;
        if (details_.size() == 1 && details_[0].path.empty()) message = details_[0].message;
        throw core::error(core::errc::unprocessable, message, details_);
    }
}

void
validator::only(const json& obj, const std::string& path, std::initializer_list<std::string_view> allowed)
{
    if (!obj.is_object()) return;
    for (const auto& [key, _] : obj.items()) {
        if (std::find(allowed.begin(), allowed.end(), key) != allowed.end()) continue;
        std::vector<std::string> names(allowed.begin(), allowed.end());
        std::string message = "unknown field";
        if (auto s = did_you_mean(key, names)) message += "; did you mean '" + *s + "'?";
        fail(join_path(path, key), message);
    }
}

const json*
validator::field(const json& obj, const std::string& parent, std::string_view key, bool required)
{
    auto it = obj.find(std::string(key));
    if (it == obj.end() || it->is_null()) {
        if (required) fail(join_path(parent, key), "is required");
        return nullptr;
    }
    return &*it;
}

std::optional<std::string>
validator::string(const json& obj, const std::string& parent, std::string_view key, bool required,
                  std::size_t max_length)
{
    const json* v = field(obj, parent, key, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
        fail(join_path(parent, key), std::string("must be a string, not ") + type_name(*v));
        return std::nullopt;
    }
    auto s = v->get<std::string>();
    if (s.find_first_not_of(" \t\r\n") == std::string::npos) {
        fail(join_path(parent, key), "must not be empty");
        return std::nullopt;
    }
    // Characters, not bytes: count UTF-8 lead bytes.
    std::size_t characters = 0;
    for (char c : s) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
    if (characters > max_length) {
        fail(join_path(parent, key), "must be at most " + std::to_string(max_length) + " characters");
        return std::nullopt;
    }
    return s;
}

std::optional<std::int64_t>
validator::integer(const json& obj, const std::string& parent, std::string_view key, bool required, std::int64_t min,
                   std::int64_t max)
{
    const json* v = field(obj, parent, key, required);
    if (!v) return std::nullopt;
    if (!v->is_number_integer()) {
        fail(join_path(parent, key), std::string("must be an integer, not ") + type_name(*v));
        return std::nullopt;
    }
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(max)) {
        fail(join_path(parent, key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    auto n = v->get<std::int64_t>();
    if (n < min || n > max) {
        fail(join_path(parent, key), "must be between " + std::to_string(min) + " and " + std::to_string(max));
        return std::nullopt;
    }
    return n;
}

std::optional<bool>
validator::boolean(const json& obj, const std::string& parent, std::string_view key, bool required)
{
    const json* v = field(obj, parent, key, required);
    if (!v) return std::nullopt;
    if (!v->is_boolean()) {
        fail(join_path(parent, key), std::string("must be a boolean, not ") + type_name(*v));
        return std::nullopt;
    }
    return v->get<bool>();
}

const json*
validator::object(const json& obj, const std::string& parent, std::string_view key, bool required)
{
    const json* v = field(obj, parent, key, required);
    if (v && !v->is_object()) {
        fail(join_path(parent, key), std::string("must be an object, not ") + type_name(*v));
        return nullptr;
    }
    return v;
}

const json*
validator::array(const json& obj, const std::string& parent, std::string_view key, bool required)
{
    const json* v = field(obj, parent, key, required);
    if (v && !v->is_array()) {
        fail(join_path(parent, key), std::string("must be an array, not ") + type_name(*v));
        return nullptr;
    }
    return v;
}

std::optional<std::string>
validator::one_of(const json& obj, const std::string& parent, std::string_view key, bool required,
                  std::initializer_list<std::string_view> values)
{
    auto s = string(obj, parent, key, required);
    if (!s) return std::nullopt;
    if (std::find(values.begin(), values.end(), *s) == values.end()) {
        std::string list;
        for (auto v : values) list += (list.empty() ? "" : ", ") + std::string(v);
        fail(join_path(parent, key), "must be one of: " + list);
        return std::nullopt;
    }
    return s;
}

void
merge_patch(json& target, const json& patch)
{
    if (!patch.is_object()) {
        target = patch;
        return;
    }
    if (!target.is_object()) target = json::object();
    for (const auto& [key, value] : patch.items()) {
        if (value.is_null()) target.erase(key);
        else merge_patch(target[key], value);
    }
}

}  // namespace hubsync::api
