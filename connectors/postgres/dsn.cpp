#include "connectors/postgres/dsn.hpp"

#include <libpq-fe.h>

#include <memory>
#include <regex>

namespace hubsync::connectors::postgres {

namespace {
constexpr std::string_view mask = "********";

bool
is_url(const std::string& dsn)
{
    return dsn.rfind("postgresql://", 0) == 0 || dsn.rfind("postgres://", 0) == 0;
}

std::optional<std::string>
parsed_password(const std::string& dsn)
{
    char* err = nullptr;
    std::unique_ptr<PQconninfoOption, decltype(&PQconninfoFree)> opts(PQconninfoParse(dsn.c_str(), &err),
                                                                      &PQconninfoFree);
    if (err) PQfreemem(err);
    if (!opts) return std::nullopt;
    for (auto* o = opts.get(); o->keyword; ++o)
        if (std::string_view(o->keyword) == "password" && o->val && *o->val) return std::string(o->val);
    return std::nullopt;
}

std::string
redact_url(std::string s)
{
    auto scheme_end = s.find("://") + 3;
    auto authority_end = s.find_first_of("/?", scheme_end);
    if (authority_end == std::string::npos) authority_end = s.size();
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
    static const std::regex keyword_password(R"((password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+))", std::regex::icase);
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
    std::string out = is_url(dsn) ? redact_url(dsn) : redact_keywords(dsn);
    // Belt and braces: a password that survived an unusual spelling must never be shown.
    if (auto pw = parsed_password(dsn); pw && out.find(*pw) != std::string::npos) return "(connection string hidden)";
    return out;
}

std::string
with_connect_timeout(const std::string& dsn, int seconds)
{
    if (dsn.find("connect_timeout") != std::string::npos) return dsn;
    std::string v = "connect_timeout=" + std::to_string(seconds);
    if (is_url(dsn)) return dsn + (dsn.find('?') == std::string::npos ? "?" : "&") + v;
    return dsn + " " + v;
}

}  // namespace hubsync::connectors::postgres
