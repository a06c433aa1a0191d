#pragma once
#include "store/paging.hpp"

#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include <optional>
#include <string>

namespace hubsync::store {

struct model_fields {
    std::string name;
    std::int64_t source_id = 0;
    std::string sql;
    std::string primary_key;
    nlohmann::json columns = nlohmann::json::array();  // [{"name","type"}] as last described by the warehouse
};

struct model_record : model_fields {
    std::int64_t id = 0;
    std::string created_at;
    std::string updated_at;
};

namespace models {
// Throws core::error{unprocessable} at path "source_id" when the source does not exist.
model_record insert(pqxx::connection& c, const model_fields& f);
std::optional<model_record> find(pqxx::connection& c, std::int64_t id);
page<model_record> list(pqxx::connection& c, const page_request& p);
std::optional<model_record> update(pqxx::connection& c, std::int64_t id, const model_fields& f);
void set_columns(pqxx::connection& c, std::int64_t id, const nlohmann::json& columns);
bool remove(pqxx::connection& c, std::int64_t id);
}  // namespace models

}  // namespace hubsync::store
