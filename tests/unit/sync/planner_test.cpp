// The planner's merge-join over in-memory streams: pure logic.
#include "sync/planner.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace hubsync;
using namespace hubsync::sync;

namespace {
struct vector_model : model_stream {
    std::vector<model_row> rows;
    std::size_t at = 0;
    bool next(model_row& out) override
    {
        if (at == rows.size()) return false;
        out = rows[at++];
        return true;
    }
};

struct vector_state : state_stream {
    std::vector<store::row_state_entry> entries;
    std::size_t at = 0;
    bool next(store::row_state_entry& out) override
    {
        if (at == entries.size()) return false;
        out = entries[at++];
        return true;
    }
};

struct recording_sink : plan_sink {
    std::vector<planned_row> rows;
    std::vector<row_problem> problems;
    void row(planned_row&& r) override { rows.push_back(std::move(r)); }
    void problem(row_problem&& p) override { problems.push_back(std::move(p)); }

    std::map<std::string, change> kinds() const
    {
        std::map<std::string, change> out;
        for (const auto& r : rows) out[r.pk] = r.kind;
        return out;
    }
};

model_row
row(std::optional<std::string> pk, std::string value)
{
    return {std::move(pk), {std::move(value)}};
}

store::row_state_entry
synced(std::string pk, const std::string& value, std::uint64_t seed = 7)
{
    store::row_state_entry e;
    e.pk = std::move(pk);
    e.hash = row_hash(seed, {value});
    e.hubspot_id = "id-" + e.pk;
    return e;
}
}  // namespace

TEST_CASE("planner: added, changed, unchanged and removed rows", "[planner]")
{
    vector_model m;
    m.rows = {row("a", "1"), row("b", "2-new"), row("c", "3"), row("e", "5")};
    vector_state s;
    s.entries = {synced("b", "2"), synced("c", "3"), synced("d", "4")};
    recording_sink sink;
    auto counts = plan(m, s, {7, false}, sink);
    CHECK(counts.added == 2);
    CHECK(counts.changed == 1);
    CHECK(counts.unchanged == 1);
    CHECK(counts.removed == 1);
    CHECK(sink.kinds() == std::map<std::string, change>{
                              {"a", change::added}, {"b", change::changed}, {"d", change::removed}, {"e", change::added}});
    for (const auto& r : sink.rows)
        if (r.pk == "b") CHECK(r.hubspot_id == "id-b");
}

TEST_CASE("planner: a different configuration seed changes every row", "[planner]")
{
    vector_model m;
    m.rows = {row("a", "1"), row("b", "2")};
    vector_state s;
    s.entries = {synced("a", "1"), synced("b", "2")};
    recording_sink sink;
    auto counts = plan(m, s, {8, false}, sink);
    CHECK(counts.changed == 2);
    CHECK(counts.unchanged == 0);
}

TEST_CASE("planner: full resync sends unchanged rows, failed rows are sent again", "[planner]")
{
    vector_state s;
    s.entries = {synced("a", "1"), synced("b", "2")};
    s.entries[1].status = "failed";
    vector_model m;
    m.rows = {row("a", "1"), row("b", "2")};
    recording_sink sink;
    auto counts = plan(m, s, {7, false}, sink);
    CHECK(counts.unchanged == 1);
    CHECK(sink.kinds() == std::map<std::string, change>{{"b", change::changed}});

    vector_model m2;
    m2.rows = m.rows;
    s.at = 0;
    recording_sink all;
    CHECK(plan(m2, s, {7, true}, all).changed == 2);
}

TEST_CASE("planner: a row never acknowledged is added again, a pending create is flagged", "[planner]")
{
    vector_state s;
    store::row_state_entry failed;
    failed.pk = "a";
    failed.status = "failed";
    store::row_state_entry pending;
    pending.pk = "b";
    pending.status = "pending";
    s.entries = {failed, pending};
    vector_model m;
    m.rows = {row("a", "1"), row("b", "2")};
    recording_sink sink;
    auto counts = plan(m, s, {7, false}, sink);
    CHECK(counts.added == 2);
    REQUIRE(sink.rows.size() == 2);
    CHECK_FALSE(sink.rows[0].pending);
    CHECK(sink.rows[1].pending);
}

TEST_CASE("planner: NULL and duplicated keys are problems, and a duplicated key's state is left alone", "[planner]")
{
    vector_model m;
    m.rows = {row("a", "1"), row("b", "x"), row("b", "y"), row("b", "z"), row("c", "3"), row(std::nullopt, "n")};
    vector_state s;
    s.entries = {synced("a", "1"), synced("b", "x"), synced("bb", "gone")};
    recording_sink sink;
    auto counts = plan(m, s, {7, false}, sink);
    CHECK(counts.invalid == 4);
    CHECK(counts.unchanged == 1);
    CHECK(counts.added == 1);
    CHECK(counts.removed == 1);
    CHECK(sink.kinds() == std::map<std::string, change>{{"bb", change::removed}, {"c", change::added}});
    REQUIRE(sink.problems.size() == 2);
    CHECK(sink.problems[0].pk == "b");
    CHECK(sink.problems[0].message.find("3 rows") != std::string::npos);
    CHECK_FALSE(sink.problems[1].pk);
}

TEST_CASE("planner: keys compare as bytes, like COLLATE \"C\"", "[planner]")
{
    // "Z" (0x5A) < "a" (0x61) < "é" (0xC3 0xA9): UTF-8 bytes above 0x7F sort last.
    vector_model m;
    m.rows = {row("Z", "1"), row("a", "2"), row("\xC3\xA9", "3")};
    vector_state s;
    s.entries = {synced("Z", "1"), synced("a", "2"), synced("\xC3\xA9", "3")};
    recording_sink sink;
    auto counts = plan(m, s, {7, false}, sink);
    CHECK(counts.unchanged == 3);
    CHECK(sink.rows.empty());
}

TEST_CASE("planner: an empty model removes everything, an empty state adds everything", "[planner]")
{
    vector_model empty;
    vector_state s;
    s.entries = {synced("a", "1"), synced("b", "2")};
    recording_sink sink;
    CHECK(plan(empty, s, {7, false}, sink).removed == 2);

    vector_model m;
    m.rows = {row("a", "1"), row("b", "2")};
    vector_state none;
    recording_sink sink2;
    CHECK(plan(m, none, {7, false}, sink2).added == 2);
}

TEST_CASE("planner: hashes tell NULL from empty and respect value boundaries", "[planner]")
{
    CHECK(row_hash(1, {std::nullopt}) != row_hash(1, {std::string()}));
    CHECK(row_hash(1, {std::string("ab"), std::string("c")}) != row_hash(1, {std::string("a"), std::string("bc")}));
    CHECK(row_hash(1, {std::string("x")}) == row_hash(1, {std::string("x")}));
    CHECK(row_hash(1, {std::string("x")}) != row_hash(2, {std::string("x")}));
}
