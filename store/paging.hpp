#pragma once
#include <cstdint>
#include <optional>
#include <vector>

namespace hubsync::store {

// Keyset pagination by id: stable under concurrent inserts, cheap at any depth.
struct page_request {
    int limit = 50;                       // 1..200, checked by the API
    std::optional<std::int64_t> after;    // the last id of the previous page
};

template <class T>
struct page {
    std::vector<T> items;
    std::optional<std::int64_t> next_after;  // set when more rows follow
};

}  // namespace hubsync::store
