#include "core/metrics.hpp"

#include <charconv>
#include <sstream>

namespace hubsync::core {

namespace {
std::string
format_number(double v)
{
    // Shortest text that reads back as the same double: "0.0025", not "0.0025000000000000001".
    char buf[64];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, end) : std::string("NaN");
}

std::string
render_labels(const metrics_registry::labels& l, const std::string& extra_name = {}, const std::string& extra = {})
{
    if (l.empty() && extra_name.empty()) return {};
    std::string out = "{";
    bool first = true;
    for (const auto& [k, v] : l) {
        if (!first) out += ',';
        first = false;
        out += k + "=\"" + escape_label_value(v) + "\"";
    }
    if (!extra_name.empty()) {
        if (!first) out += ',';
        out += extra_name + "=\"" + extra + "\"";
    }
    return out + "}";
}
// HELP text escapes only backslash and newline (exposition format 0.0.4).
std::string
escape_help(const std::string& v)
{
    std::string out;
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}
}  // namespace

std::string
escape_label_value(const std::string& v)
{
    std::string out;
    out.reserve(v.size());
    for (char c : v) {
        if (c == '\\') out += "\\\\";
        else if (c == '"') out += "\\\"";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

void
metrics_registry::describe_counter(const std::string& name, const std::string& help)
{
    std::lock_guard lock(mutex_);
    auto& f = families_[name];
    f.help = help;
    f.type = "counter";
}

void
metrics_registry::describe_gauge(const std::string& name, const std::string& help)
{
    std::lock_guard lock(mutex_);
    auto& f = families_[name];
    f.help = help;
    f.type = "gauge";
}

void
metrics_registry::describe_histogram(const std::string& name, const std::string& help, std::vector<double> buckets)
{
    std::lock_guard lock(mutex_);
    auto& f = families_[name];
    f.help = help;
    f.type = "histogram";
    f.buckets = std::move(buckets);
}

void
metrics_registry::add(const std::string& name, const labels& l, double v)
{
    std::lock_guard lock(mutex_);
    auto& f = families_[name];
    if (f.type.empty()) f.type = "counter";
    f.values[l] += v;
}

void
metrics_registry::set(const std::string& name, const labels& l, double v)
{
    std::lock_guard lock(mutex_);
    auto& f = families_[name];
    if (f.type.empty()) f.type = "gauge";
    f.values[l] = v;
}

void
metrics_registry::observe(const std::string& name, const labels& l, double v)
{
    std::lock_guard lock(mutex_);
    auto& f = families_[name];
    if (f.type.empty()) {
        f.type = "histogram";
        f.buckets = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
    }
    auto& cell = f.histograms[l];
    if (cell.counts.empty()) cell.counts.assign(f.buckets.size(), 0);
    for (std::size_t i = 0; i < f.buckets.size(); ++i) {
        if (v <= f.buckets[i]) {
            ++cell.counts[i];
            break;
        }
    }
    ++cell.count;
    cell.sum += v;
}

std::string
metrics_registry::render() const
{
    std::lock_guard lock(mutex_);
    std::ostringstream out;
    for (const auto& [name, f] : families_) {
        if (!f.help.empty()) out << "# HELP " << name << ' ' << escape_help(f.help) << '\n';
        out << "# TYPE " << name << ' ' << f.type << '\n';
        if (f.type == "histogram") {
            for (const auto& [l, cell] : f.histograms) {
                std::uint64_t cumulative = 0;
                for (std::size_t i = 0; i < f.buckets.size(); ++i) {
                    cumulative += cell.counts[i];
                    out << name << "_bucket" << render_labels(l, "le", format_number(f.buckets[i])) << ' '
                        << cumulative << '\n';
                }
                out << name << "_bucket" << render_labels(l, "le", "+Inf") << ' ' << cell.count << '\n';
                out << name << "_sum" << render_labels(l) << ' ' << format_number(cell.sum) << '\n';
                out << name << "_count" << render_labels(l) << ' ' << cell.count << '\n';
            }
        } else {
            for (const auto& [l, v] : f.values) out << name << render_labels(l) << ' ' << format_number(v) << '\n';
        }
    }
    return out.str();
}

}  // namespace hubsync::core
