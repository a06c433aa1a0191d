#include "core/dsn.hpp"

#include <libpq-fe.h>

#include <memory>
#include <regex>

namespace hubsync::core {

namespace {
constexpr std::string_view mask = "********";

// Any scheme://, not only the two libpq accepts: a mistyped scheme must still be redacted as a URL.
bool
looks_like_url(const std::string& dsn)
{
    return dsn.find("://") != std::string::npos;
}

bool
is_url(const std::string& dsn)
{
    return dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0;
}

std::optional<std::string>
option_value(const std::string& dsn, std::string_view keyword)
{
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> opts(PQconninfoParse(dsn.c_str(), &err),
                                                                      &PQconninfoFree);
    if (err) PQfreemem(err);
    if (!opts) return std::nullopt;
    for (auto* o = opts.get(); o->keyword; ++o)
        if (std::string_view(o->keyword) == keyword && o->val && *o->val) return std::string(o->val);
    return std::nullopt;
}

std::optional<std::string>
parsed_password(const std::string& dsn)
{
    return option_value(dsn, "password");
}

// libpq quotes the offending part of the input, which may hold the password. Keep a quoted "=" and the name of an
// unknown option (a key, not a value); hide every other quoted fragment.
std::string
without_quoted_input(const std::string& message)
{
    static const std::regex quoted("\"([^\"]*)\"");
    static const std::regex word("^[A-Za-z_]+$");
    bool names_option = message.rfind("invalid connection option", 0) == 0 ||
                        message.rfind("invalid URI query parameter", 0) == 0;
    std::string out;
    auto begin = std::sregex_iterator(message.begin(), message.end(), quoted);
    std::size_t last = 0;
    for (auto it = begin; it != std::sregex_iterator(); ++it) {
        const auto& m = *it;
        out += message.substr(last, static_cast<std::size_t>(m.position()) - last);
        std::string inner = m[1].str();
        bool keep = inner == "=" || (names_option && std::regex_match(inner, word));
        out += keep ? m.str() : "\"...\"";
        last = static_cast<std::size_t>(m.position() + m.length());
    }
    return out + message.substr(last);
}

std::string
redact_url(std::string s)
{
    auto scheme_end = s.find("://") + 3;
    // The user info ends at the last '@' before the query: a password may itself hold an unencoded '/'.
    auto query = s.find_first_of("?#", scheme_end);
    auto authority_end = query == std::string::npos ? s.size() : query;
    auto at = s.rfind('@', authority_end - 1);
    if (at != std::string::npos && at >= scheme_end) {
        auto colon = s.find(':', scheme_end);
        if (colon != std::string::npos && colon < at) s.replace(colon + 1, at - colon - 1, mask);
    }
    static const std::regex query_password(R"(([?&]password=)[^&]*)", std::regex::icase);
    return std::regex_replace(s, query_password, "$1" + std::string(mask));
}

std::string
redact_keywords(const std::string& s)
{
    static const std::regex keyword_password(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'|(?:[^\s\\]|\\.)+))", std::regex::icase);
    return std::regex_replace(s, keyword_password, "$1" + std::string(mask));
}
}  // namespace

dsn_check
check_dsn(const std::string& dsn)
{
    dsn_check out;
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> opts(PQconninfoParse(dsn.c_str(), &err),
                                                                      &PQconninfoFree);
    if (!opts) {
        out.error = err ? err : "cannot parse the connection string";
        if (err) PQfreemem(err);
        out.error = without_quoted_input(out.error);
        while (!out.error.empty() && (out.error.back() == '\n' || out.error.back() == ' ')) out.error.pop_back();
        return out;
    }
    out.ok = true;
    out.has_password = parsed_password(dsn).has_value();
    return out;
}

std::string
redact_dsn(const std::string& dsn)
{
    std::string out = looks_like_url(dsn) ? redact_url(dsn) : redact_keywords(dsn);
    // Belt and braces: a password that survived an unusual spelling must never be shown.
    if (auto pw = parsed_password(dsn); pw && out.find(*pw) != std::string::npos) return "(connection string hidden)";
    return out;
}

std::string
hide_dsn(std::string message, const std::string& dsn)
{
    if (dsn.empty()) return message;
    auto shown = redact_dsn(dsn);
    for (auto at = message.find(dsn); at != std::string::npos; at = message.find(dsn, at + shown.size()))
        message.replace(at, dsn.size(), shown);
    return message;
}

std::string
with_connect_timeout(const std::string& dsn, int seconds)
{
    if (option_value(dsn, "connect_timeout")) return dsn;
    std::string v = "connect_timeout=" + std::to_string(seconds);
    if (!is_url(dsn)) return dsn + " " + v;
    if (dsn.find('?') == std::string::npos) return dsn + "?" + v;
    if (dsn.back() == '?' || dsn.back() == '&') return dsn + v;
    return dsn + "&" + v;
}

}  // namespace hubsync::core
