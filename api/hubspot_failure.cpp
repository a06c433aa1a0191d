#include "api/hubspot_failure.hpp"

#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"
#include "hubspot/oauth.hpp"

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
    } catch (const hubspot::reauthorization_required& err) {
        return unprocessable(std::string(err.what()) + " (" + doing + ")", path);
    } catch (const hubspot::api_error& err) {
        const auto& info = err.info();
        if (err.status() == 401)
            return unprocessable("HubSpot rejected the destination's credentials while " + doing + ": " + info.message,
                                 path);
        if (err.missing_scopes()) {
            std::string scopes;
            for (const auto& s : info.required_scopes) scopes += (scopes.empty() ? "" : ", ") + s;
            return unprocessable("the destination's token lacks " + (scopes.empty() ? "a scope" : "the scope " + scopes) +
                                     " needed for " + doing + ": " + info.message,
                                 path);
        }
        if (err.status() == 429 || err.status() >= 500)
            return core::error(core::errc::unavailable, "HubSpot could not answer while " + doing + " (" +
                                                            std::to_string(err.status()) + "): " + info.message);
        return unprocessable("HubSpot refused " + doing + " (" + std::to_string(err.status()) + "): " + info.message,
                             path);
    } catch (const hubspot::daily_limit_reached& err) {
        return core::error(core::errc::unavailable, std::string(err.what()) + " (" + doing + ")");
    } catch (const hubspot::transport_error& err) {
        return core::error(core::errc::unavailable, "cannot reach HubSpot while " + doing + ": " + err.what());
    } catch (const std::exception& err) {
        return core::error(core::errc::unavailable, "HubSpot failed while " + doing + ": " + err.what());
    }
}

}  // namespace hubsync::api
