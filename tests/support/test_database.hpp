#pragma once
#include <string>

namespace hubsync::test {

// A fresh, empty database in the test cluster (HUBSYNC_PG_ADMIN_URL, written by scripts/pg.sh), dropped at the
// end. Throws with a clear message when the cluster is not configured: the tests need it and must not pass
// without it.
class test_database {
public:
    test_database();
    ~test_database();
    test_database(const test_database&) = delete;
    test_database& operator=(const test_database&) = delete;

    const std::string& url() const { return url_; }
    const std::string& name() const { return name_; }

private:
    std::string name_;
    std::string url_;
};

// Required environment for integration tests; throws naming the variable when it is missing.
std::string required_env(const char* name);

// Replaces the database name of a postgresql:// URL.
std::string with_database(const std::string& url, const std::string& database);

}  // namespace hubsync::test
