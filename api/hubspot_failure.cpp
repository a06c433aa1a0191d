#include "api/hubspot_failure.hpp"

#include "hubspot/failure.hpp"

namespace hubsync::api {

namespace {
core::error
unprocessable(const std::string& message, const std::string& path)
{
    if (path.empty()) return core::error(core::errc::unprocessable, message);
    return core::error(core::errc::unprocessable, message, {{path, message}});
}
}  // namespace

core::error
hubspot_failure(std::exception_ptr e, const std::string& doing, const std::string& path)
{
    try {
        std::rethrow_exception(e);
    } catch (const core::error& err) {
        return err;
    } catch (...) {
    }
    auto f = hubspot::describe_failure(e, doing);
    using k = hubspot::failure::kind;
    switch (f.what) {
    case k::unavailable: return core::error(core::errc::unavailable, f.message);
    case k::not_hubspot:
        return core::error(core::errc::unavailable, "HubSpot failed while " + doing + ": " + f.message);
    default: return unprocessable(f.message, path);
    }
}

}  // namespace hubsync::api
