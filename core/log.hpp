#pragma once
#include <spdlog/spdlog.h>

#include <memory>
#include <string>

namespace hubsync::core {

// The named logger of a module ("api", "store", "pg", ...), made from the default logger's sinks and level the
// first time it is asked for. daemon/logging.cpp configures the default logger before anything logs.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

}  // namespace hubsync::core
