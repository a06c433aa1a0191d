#pragma once
#include "tests/support/child_process.hpp"

#include <string>
#include <vector>

namespace hubsync::test {

// A real hubspot-emulator listening on 127.0.0.1:<port>, inheriting the test's environment.
class emulator_process : public child_process {
public:
    // Starts HUBSPOT_EMULATOR_PATH with `--listen 127.0.0.1:<port> --exit-with-parent` and `args`.
    emulator_process(unsigned short port, std::vector<std::string> args = {});

    // Polls GET /__emulator/health until it answers 200.
    void wait_ready() { wait_http_ready(port_, "/__emulator/health"); }
    unsigned short port() const noexcept { return port_; }

private:
    unsigned short port_;
};

// The path of the hubspot-emulator binary under test.
std::string emulator_path();

}  // namespace hubsync::test
