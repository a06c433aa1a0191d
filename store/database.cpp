#include "store/database.hpp"

#include "core/dsn.hpp"

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
    } catch (const std::exception& e) {
        // broken_connection, or a plain error for a malformed URL; libpq may quote the whole URL back.
        throw core::error(core::errc::unavailable,
                          "cannot connect to the state database: " + describe_connect_failure(e, url_));
    }
}

void
database::release(std::unique_ptr<pqxx::connection> conn)
{
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(conn));
}

std::string
describe_connect_failure(const std::exception& e, const std::string& url)
{
    std::string m = e.what();
    while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
    return core::hide_dsn(m, url);
}

}  // namespace hubsync::store
