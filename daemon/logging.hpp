#pragma once
#include <string>

namespace hubsync::daemon {

// One stderr sink for every module logger (journald and Docker collect stderr). "json" writes one JSON object
// per line: {"time","level","logger","msg"}.
void setup_logging(const std::string& level, const std::string& format);

}  // namespace hubsync::daemon
