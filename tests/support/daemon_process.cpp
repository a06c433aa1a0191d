#include "tests/support/daemon_process.hpp"

#include <cstdlib>

namespace hubsync::test {

namespace {
std::map<std::string, std::string>
with_basics(std::map<std::string, std::string> env)
{
    for (const char* keep : {"PATH", "HOME", "ASAN_OPTIONS", "UBSAN_OPTIONS", "LSAN_OPTIONS"})
        if (const char* v = std::getenv(keep); v && !env.count(keep)) env[keep] = v;
    return env;
}
}  // namespace

std::string
hubsyncd_path()
{
    return HUBSYNCD_PATH;
}

daemon_process::daemon_process(std::map<std::string, std::string> env, std::vector<std::string> args)
    : child_process(hubsyncd_path(), args, with_basics(std::move(env)))
{
}

}  // namespace hubsync::test
