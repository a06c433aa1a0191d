#include "core/log.hpp"

#include <mutex>

namespace hubsync::core {

std::shared_ptr<spdlog::logger>
logger(const std::string& name)
{
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (auto l = spdlog::get(name)) return l;
    auto l = spdlog::default_logger()->clone(name);
    spdlog::register_logger(l);
    return l;
}

}  // namespace hubsync::core
