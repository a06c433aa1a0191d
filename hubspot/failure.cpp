#include "hubspot/failure.hpp"

#include "hubspot/api_error.hpp"
#include "hubspot/client.hpp"
#include "hubspot/oauth.hpp"

namespace hubsync::hubspot {

failure
describe_failure(std::exception_ptr e, const std::string& doing)
{
    using k = failure::kind;
    try {
        std::rethrow_exception(e);
    } catch (const reauthorization_required& err) {
        return {k::reauthorization_required, std::string(err.what()) + " (" + doing + ")"};
    } catch (const api_error& err) {
        const auto& info = err.info();
        if (err.status() == 401)
            return {k::rejected_credentials,
                    "HubSpot rejected the destination's credentials while " + doing + ": " + info.message};
        if (err.missing_scopes()) {
            std::string scopes;
            for (const auto& s : info.required_scopes) scopes += (scopes.empty() ? "" : ", ") + s;
            return {k::missing_scope, "the destination's token lacks " +
                                          (scopes.empty() ? std::string("a scope") : "the scope " + scopes) +
                                          " needed for " + doing +
                                          ": grant it to the private app (or re-authorize); HubSpot said: " +
                                          info.message};
        }
        if (err.status() == 429 || err.status() >= 500)
            return {k::unavailable, "HubSpot could not answer while " + doing + " (" + std::to_string(err.status()) +
                                        "): " + info.message};
        return {k::refused, "HubSpot refused " + doing + " (" + std::to_string(err.status()) + "): " + info.message};
    } catch (const daily_limit_reached& err) {
        return {k::unavailable, std::string(err.what()) + " (" + doing + ")"};
    } catch (const transport_error& err) {
        return {k::unavailable, "cannot reach HubSpot while " + doing + ": " + err.what()};
    } catch (const std::exception& err) {
        return {k::not_hubspot, err.what()};
    } catch (...) {
        return {k::not_hubspot, "unknown failure"};
    }
}

}  // namespace hubsync::hubspot
