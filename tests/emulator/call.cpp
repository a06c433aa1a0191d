#include "tests/emulator/call.hpp"

#include "tests/emulator/json_text.hpp"

#include <algorithm>

namespace hubsync::emulator {

call::call(const api::request& r, portal_state& s, std::string correlation_id, const nlohmann::json* body,
           std::exception_ptr body_error)
    : req(r), st(s), cid(std::move(correlation_id)), now(sys_clock::now()), now_steady(steady_clock::now()),
      body_(body), body_error_(std::move(body_error))
{
}

const nlohmann::json&
call::json_body() const
{
    try {
        if (body_error_) std::rethrow_exception(body_error_);
        if (body_) return *body_;
        own_body_ = parse_json(req.body);
        body_ = &own_body_;
        return *body_;
    } catch (const nlohmann::json::parse_error& e) {
        throw invalid_json(cid, req.body, e);
    }
}

void
call::require(const std::vector<std::string>& alternatives) const
{
    if (!who) return;
    for (const auto& s : alternatives)
        if (who->scopes.count(s)) return;
    throw missing_scopes(cid, alternatives);
}

object_type&
call::object_type_param(bool singular) const
{
    const auto& name = param("objectType");
    auto* t = st.find_type(name, singular);
    if (!t) throw unknown_object_type(cid, name);
    return *t;
}

const std::string&
call::param(const std::string& name) const
{
    static const std::string empty;
    auto it = req.params.find(name);
    return it == req.params.end() ? empty : it->second;
}

std::string
call::query(const std::string& name, const std::string& fallback) const
{
    auto it = req.query.find(name);
    return it == req.query.end() ? fallback : it->second;
}

std::vector<std::string>
split_list(const std::string& s)
{
    std::vector<std::string> out;
    std::size_t i = 0;
    while (i <= s.size()) {
        auto j = s.find(',', i);
        if (j == std::string::npos) j = s.size();
        auto part = s.substr(i, j - i);
        part.erase(part.begin(), std::find_if(part.begin(), part.end(), [](char c) { return c != ' '; }));
        while (!part.empty() && part.back() == ' ') part.pop_back();
        if (!part.empty()) out.push_back(part);
        i = j + 1;
    }
    return out;
}

}  // namespace hubsync::emulator
