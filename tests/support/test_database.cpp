#include "tests/support/test_database.hpp"

#include <pqxx/pqxx>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <stdexcept>

namespace hubsync::test {

std::string
required_env(const char* name)
{
    const char* v = std::getenv(name);
    if (!v || !*v)
        throw std::runtime_error(std::string(name) +
                                 " is not set: run the tests through `make test`, which starts the test cluster");
    return v;
}

std::string
with_database(const std::string& url, const std::string& database)
{
    auto slash = url.find('/', url.find("://") + 3);
    auto query = url.find('?');
    std::string base = url.substr(0, slash);
    return base + "/" + database + (query == std::string::npos ? "" : url.substr(query));
}

test_database::test_database()
{
    static std::atomic<int> counter{0};
    auto stamp = std::chrono::steady_clock::now().time_since_epoch().count() % 1000000;
    name_ = "hubsync_it_" + std::to_string(::getpid()) + "_" + std::to_string(stamp) + "_" + std::to_string(++counter);
    auto admin = required_env("HUBSYNC_PG_ADMIN_URL");
    pqxx::connection c(admin);
    pqxx::nontransaction(c).exec("CREATE DATABASE " + name_);
    url_ = with_database(admin, name_);
}

test_database::~test_database()
{
    try {
        pqxx::connection c(required_env("HUBSYNC_PG_ADMIN_URL"));
        pqxx::nontransaction(c).exec("DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
    } catch (...) {
        // A leftover test database is harmless; the next `make test` cluster keeps working.
    }
}

}  // namespace hubsync::test
