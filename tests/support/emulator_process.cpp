#include "tests/support/emulator_process.hpp"

namespace hubsync::test {

namespace {
std::vector<std::string>
emulator_args(unsigned short port, std::vector<std::string> extra)
{
    // --exit-with-parent: a test binary that crashes leaves no emulator behind.
    std::vector<std::string> args{"--listen", "127.0.0.1:" + std::to_string(port), "--exit-with-parent"};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
}
}  // namespace

std::string
emulator_path()
{
    return HUBSPOT_EMULATOR_PATH;
}

emulator_process::emulator_process(unsigned short port, std::vector<std::string> args)
    : child_process(emulator_path(), emulator_args(port, std::move(args))), port_(port)
{
}

}  // namespace hubsync::test
