#pragma once
#include "tests/support/child_process.hpp"

#include <map>
#include <string>
#include <vector>

namespace hubsync::test {

// A real hubsyncd with its own environment (merged over PATH/HOME and the sanitizer options).
class daemon_process : public child_process {
public:
    explicit daemon_process(std::map<std::string, std::string> env, std::vector<std::string> args = {});

    // Polls GET /healthz until it answers 200.
    void wait_ready(unsigned short port) { wait_http_ready(port, "/healthz"); }
};

// The path of the hubsyncd binary under test.
std::string hubsyncd_path();

}  // namespace hubsync::test
