#pragma once
#include "store/paging.hpp"
#include "store/secret_box.hpp"

#include <nlohmann/json.hpp>

#include <pqxx/pqxx>

#include <optional>
#include <string>

namespace hubsync::store {

struct source_fields {
    std::string name;
    std::string type;              // "postgres"
    nlohmann::json config;         // redacted form, returned by the API
    std::string sealed_config;     // the full configuration (with passwords), sealed
};

struct source_record : source_fields {
    std::int64_t id = 0;
    std::string created_at;
    std::string updated_at;
};

namespace sources {
source_record insert(pqxx::connection& c, const source_fields& f);
std::optional<source_record> find(pqxx::connection& c, std::int64_t id);
page<source_record> list(pqxx::connection& c, const page_request& p);
std::optional<source_record> update(pqxx::connection& c, std::int64_t id, const source_fields& f);
bool remove(pqxx::connection& c, std::int64_t id);
// The warehouse URL, password included: only for connecting, never for a response or a log.
std::string url(const source_record& s, const secret_box& secrets);
}  // namespace sources

}  // namespace hubsync::store
