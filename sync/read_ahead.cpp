#include "sync/read_ahead.hpp"

#include "core/error.hpp"
#include "store/database.hpp"

#include <pqxx/pqxx>

namespace hubsync::sync {

namespace {
constexpr std::size_t model_chunk = 2000;
constexpr int state_page = 5000;
}  // namespace

read_ahead_model::read_ahead_model(connectors::postgres::model_reader& r)
    : pipe_([&r](std::vector<connectors::postgres::model_row>& chunk) {
          r.next(chunk, model_chunk);  // refills the rows in place, reusing their strings
          return !chunk.empty();
      },
            [&r] { r.cancel(); })
{
}

bool
read_ahead_model::next(model_row& out)
{
    if (at_ == chunk_.size()) {
        if (!pipe_.next(chunk_)) return false;  // at_ stays at the end: every later call is false too
        at_ = 0;
    }
    // Swapped: the planner's spent row goes back into the chunk for the reader to reuse.
    auto& r = chunk_[at_++];
    std::swap(out.pk, r.pk);
    std::swap(out.values, r.values);
    return true;
}

read_ahead_state::read_ahead_state(std::string url, std::int64_t sync_id)
    : pipe_([url = std::move(url), sync_id, conn = std::shared_ptr<pqxx::connection>(),
             last = std::optional<std::string>(), exhausted = false](std::vector<store::row_state_entry>& page) mutable {
          if (exhausted) return false;
          if (!conn) {
              try {
                  conn = std::make_shared<pqxx::connection>(url);
              } catch (const std::exception& e) {
                  // libpq may quote the URL back, password included: never let it reach a run's error or a log.
                  throw core::error(core::errc::unavailable, store::describe_connect_failure(e, url));
              }
          }
          page = store::row_state::read_after(*conn, sync_id, last, state_page);
          exhausted = static_cast<int>(page.size()) < state_page;
          if (page.empty()) return false;
          last = page.back().pk;
          return true;
      })
{
}

bool
read_ahead_state::next(store::row_state_entry& out)
{
    if (at_ == page_.size()) {
        if (!pipe_.next(page_)) return false;  // at_ stays at the end: every later call is false too
        at_ = 0;
    }
    out = std::move(page_[at_++]);
    return true;
}

}  // namespace hubsync::sync
