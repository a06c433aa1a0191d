// docs/openapi.yaml and the router must describe the same API: a route added or removed on one side fails here.
#include "api/handlers/handlers.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <set>

using namespace hubsync;

namespace {
// Reads (METHOD, path) pairs from the `paths:` block: paths at two spaces, verbs at four.
std::set<std::pair<std::string, std::string>>
documented_routes(const std::string& file)
{
    std::ifstream in(file);
    REQUIRE(in);
    std::set<std::pair<std::string, std::string>> out;
    std::string line, path;
    bool in_paths = false;
    static const std::set<std::string> verbs{"get", "post", "put", "patch", "delete", "head", "options"};
    while (std::getline(in, line)) {
        if (!line.empty() && line[0] != ' ' && line[0] != '#') {
            in_paths = line.rfind("paths:", 0) == 0;
            continue;
        }
        if (!in_paths) continue;
        if (line.size() > 3 && line.rfind("  /", 0) == 0 && line.back() == ':') {
            path = line.substr(2, line.size() - 3);
        } else if (line.size() > 5 && line.rfind("    ", 0) == 0 && line[4] != ' ' && line.back() == ':') {
            auto verb = line.substr(4, line.size() - 5);
            if (verbs.count(verb)) {
                for (auto& c : verb) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
                out.emplace(verb, path);
            }
        }
    }
    return out;
}
}  // namespace

TEST_CASE("every route is documented in docs/openapi.yaml and every documented route exists", "[api][openapi]")
{
    // Nothing here connects: the database and pools are only needed to build the handlers.
    store::database db("postgresql://unused@127.0.0.1:1/unused", 1);
    net::thread_pool warehouse(1);
    auto secrets = store::secret_box(std::string(32, 'k'));
    core::metrics_registry metrics;
    std::atomic<bool> shutting_down{false};
    net::io_context ioc;
    hubspot::portal_registry portals(ioc, &metrics, {});
    sync::destination_clients destinations(db, secrets, portals, {});
    sync::engine engine({db, warehouse, secrets, destinations, metrics, {}, 4, {}});
    scheduler::run_queue runs(ioc, db, engine, {});
    api::services svc{db, warehouse, secrets, metrics, {}, 100, 1000, shutting_down, portals, {}, destinations, runs};
    api::router router({"token-0123456789abcdef"}, metrics);
    api::add_all_routes(router, svc);

    std::set<std::pair<std::string, std::string>> served;
    for (const auto& r : router.routes()) served.emplace(r.method, r.pattern);
    auto documented = documented_routes(HUBSYNC_SOURCE_DIR "/docs/openapi.yaml");

    std::set<std::pair<std::string, std::string>> undocumented, phantom;
    std::set_difference(served.begin(), served.end(), documented.begin(), documented.end(),
                        std::inserter(undocumented, undocumented.end()));
    std::set_difference(documented.begin(), documented.end(), served.begin(), served.end(),
                        std::inserter(phantom, phantom.end()));
    for (const auto& [m, p] : undocumented) UNSCOPED_INFO("served but not documented: " << m << " " << p);
    for (const auto& [m, p] : phantom) UNSCOPED_INFO("documented but not served: " << m << " " << p);
    CHECK(undocumented.empty());
    CHECK(phantom.empty());
    CHECK(served.size() >= 28);
    warehouse.join();
}
