#pragma once
#include "daemon/config.hpp"

namespace hubsync::daemon {

// Wires the daemon together and runs it until SIGINT/SIGTERM. Returns the process exit code: 0 after a clean
// shutdown, 1 when start-up fails (state database unreachable, port in use, ...), with the reason logged.
int run_daemon(const config& cfg);

}  // namespace hubsync::daemon
