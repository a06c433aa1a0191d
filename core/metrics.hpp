#pragma once
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

namespace hubsync::core {

// A small Prometheus registry: counters, gauges and histograms keyed by name and label set, rendered in the text
// exposition format (version 0.0.4). Thread-safe; meant for per-request and per-batch rates, not per-row ones.
class metrics_registry {
public:
    using labels = std::vector<std::pair<std::string, std::string>>;

    void describe_counter(const std::string& name, const std::string& help);
    void describe_gauge(const std::string& name, const std::string& help);
    // `buckets` are upper bounds in ascending order; +Inf is implied.
    void describe_histogram(const std::string& name, const std::string& help, std::vector<double> buckets);

    void add(const std::string& name, const labels& l, double v = 1.0);
    void set(const std::string& name, const labels& l, double v);
    void observe(const std::string& name, const labels& l, double v);

    std::string render() const;

private:
    struct histogram_cell {
        std::vector<std::uint64_t> counts;  // per bucket, not cumulative
        std::uint64_t count = 0;
        double sum = 0;
    };
    struct family {
        std::string help;
        std::string type;  // counter | gauge | histogram
        std::vector<double> buckets;
        std::map<labels, double> values;
        std::map<labels, histogram_cell> histograms;
    };

    mutable std::mutex mutex_;
    std::map<std::string, family> families_;
};

// Escapes a label value as the exposition format requires (backslash, quote, newline).
std::string escape_label_value(const std::string& v);

}  // namespace hubsync::core
