#pragma once
// A batch answer's results[] read straight from the text, for the one hot path of a sync: parsing a 50 KB answer
// of 100 records into a JSON tree cost about 1 ms of hubsyncd's CPU per batch, more than everything else it does
// for those rows (bench/RESULTS.md "Object sync"). Only what the writer needs is taken: id, new, and the asked-for
// properties.
#include "hubspot/objects_api.hpp"

#include <string_view>
#include <vector>

namespace hubsync::hubspot {

// Fills `out` with the records of results[], keeping only `keep` of their properties, and returns true; returns
// false, leaving `out` in any state, whenever the answer is not the plain shape it expects: malformed JSON (invalid
// UTF-8 in a skipped string is not looked for), an escaped string where a kept value or key is read, a non-string
// id, a repeated member it reads, or an errors[] member (per-input errors are for parse_batch's full parser). The
// caller then parses it the general way, so false is never an error.
bool scan_batch_results(std::string_view body, const std::vector<std::string>& keep, std::vector<record>& out);

}  // namespace hubsync::hubspot
