#include "store/database.hpp"

namespace hubsync::store {

database::database(std::string url, std::size_t threads) : url_(std::move(url)), pool_(threads)
{
}

database::~database()
{
    stop();
}

void
database::stop()
{
    pool_.join();
}

void
database::check()
{
    run_here([](pqxx::connection& c) { pqxx::nontransaction(c).exec("SELECT 1"); });
}

std::unique_ptr<pqxx::connection>
database::acquire()
{
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto conn = std::move(idle_.back());
            idle_.pop_back();
            return conn;
        }
    }
    try {
        return std::make_unique<pqxx::connection>(url_);
    } catch (const pqxx::broken_connection& e) {
        throw core::error(core::errc::unavailable, "cannot connect to the state database: " + describe_connect_failure(e));
    } catch (const std::exception& e) {
        // libpq rejects a malformed URL with a plain error, not broken_connection.
        throw core::error(core::errc::unavailable, "cannot connect to the state database: " + describe_connect_failure(e));
    }
}

void
database::release(std::unique_ptr<pqxx::connection> conn)
{
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
}

std::string
describe_connect_failure(const std::exception& e)
{
    std::string m = e.what();
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return m;
}

}  // namespace hubsync::store
