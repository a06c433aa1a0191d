#include "core/metrics.hpp"

#include <catch2/catch.hpp>

#include <string>

namespace {

using hubsync::core::escape_label_value;
using hubsync::core::metrics_registry;

bool
has_line(const std::string& text, const std::string& line)
{
    return ("\n" + text).find("\n" + line + "\n") != std::string::npos;
}

}  // namespace

TEST_CASE("a counter renders HELP, TYPE and one sample per label set", "[core][metrics]")
{
    metrics_registry m;
    m.describe_counter("jobs_total", "Jobs by result");
    m.add("jobs_total", {{"result", "ok"}});
    m.add("jobs_total", {{"result", "ok"}}, 2);
    m.add("jobs_total", {{"result", "failed"}});

    // Label sets render in a stable (sorted) order, so scrapes are diffable.
    CHECK(m.render() == "# HELP jobs_total Jobs by result\n"
                        "# TYPE jobs_total counter\n"
                        "jobs_total{result=\"failed\"} 1\n"
                        "jobs_total{result=\"ok\"} 3\n");
}

TEST_CASE("a metric without labels renders no braces, and one without HELP has only TYPE", "[core][metrics]")
{
    metrics_registry m;
    m.add("plain_total", {});
    m.set("temperature", {}, 21.5);
    const auto text = m.render();
    CHECK(text == "# TYPE plain_total counter\n"
                  "plain_total 1\n"
                  "# TYPE temperature gauge\n"
                  "temperature 21.5\n");
    CHECK(text.find("# HELP") == std::string::npos);
}

TEST_CASE("a gauge keeps the last value set", "[core][metrics]")
{
    metrics_registry m;
    m.describe_gauge("queue_depth", "Queued runs");
    m.set("queue_depth", {{"portal", "1"}}, 7);
    m.set("queue_depth", {{"portal", "1"}}, 3);
    const auto text = m.render();
    CHECK(has_line(text, "# TYPE queue_depth gauge"));
    CHECK(has_line(text, "queue_depth{portal=\"1\"} 3"));
    CHECK_FALSE(has_line(text, "queue_depth{portal=\"1\"} 7"));
}

TEST_CASE("families render sorted by name, and multiple labels keep their order", "[core][metrics]")
{
    metrics_registry m;
    m.add("b_total", {{"route", "GET /x"}, {"status", "200"}});
    m.add("a_total", {});
    const auto text = m.render();
    CHECK(text.find("# TYPE a_total") < text.find("# TYPE b_total"));
    CHECK(has_line(text, "b_total{route=\"GET /x\",status=\"200\"} 1"));
}

TEST_CASE("label values are escaped as the exposition format requires", "[core][metrics]")
{
    CHECK(escape_label_value("plain") == "plain");
    CHECK(escape_label_value("a\"b") == "a\\\"b");
    CHECK(escape_label_value("a\\b") == "a\\\\b");
    CHECK(escape_label_value("a\nb") == "a\\nb");
    CHECK(escape_label_value("\\\"\n") == "\\\\\\\"\\n");

    metrics_registry m;
    m.add("odd_total", {{"name", "say \"hi\"\\\nbye"}});
    CHECK(has_line(m.render(), "odd_total{name=\"say \\\"hi\\\"\\\\\\nbye\"} 1"));
}

TEST_CASE("numbers render in their shortest exact form", "[core][metrics]")
{
    metrics_registry m;
    m.set("g", {{"k", "a"}}, 0.0025);
    m.set("g", {{"k", "b"}}, 0.1);
    m.set("g", {{"k", "c"}}, 42);
    m.set("g", {{"k", "d"}}, -1.5);
    m.set("g", {{"k", "e"}}, 0);
    const auto text = m.render();
    CHECK(has_line(text, "g{k=\"a\"} 0.0025"));
    CHECK(has_line(text, "g{k=\"b\"} 0.1"));
    CHECK(has_line(text, "g{k=\"c\"} 42"));
    CHECK(has_line(text, "g{k=\"d\"} -1.5"));
    CHECK(has_line(text, "g{k=\"e\"} 0"));
}

TEST_CASE("a histogram renders cumulative buckets, +Inf, _sum and _count", "[core][metrics]")
{
    metrics_registry m;
    m.describe_histogram("latency_seconds", "Request latency", {0.0025, 0.5, 2});
    m.observe("latency_seconds", {{"route", "r"}}, 0.25);
    m.observe("latency_seconds", {{"route", "r"}}, 0.5);  // on a bound: counts in that bucket (le = less or equal)
    m.observe("latency_seconds", {{"route", "r"}}, 2);
    m.observe("latency_seconds", {{"route", "r"}}, 8);  // above every bound: only +Inf
    m.observe("latency_seconds", {{"route", "r"}}, 0.0009765625);

    CHECK(m.render() == "# HELP latency_seconds Request latency\n"
                        "# TYPE latency_seconds histogram\n"
                        "latency_seconds_bucket{route=\"r\",le=\"0.0025\"} 1\n"
                        "latency_seconds_bucket{route=\"r\",le=\"0.5\"} 3\n"
                        "latency_seconds_bucket{route=\"r\",le=\"2\"} 4\n"
                        "latency_seconds_bucket{route=\"r\",le=\"+Inf\"} 5\n"
                        "latency_seconds_sum{route=\"r\"} 10.7509765625\n"
                        "latency_seconds_count{route=\"r\"} 5\n");
}

TEST_CASE("histogram label sets are kept apart, and an unlabelled one has only le", "[core][metrics]")
{
    metrics_registry m;
    m.describe_histogram("h", "x", {1});
    m.observe("h", {}, 0.5);
    m.observe("h", {{"a", "1"}}, 3);
    const auto text = m.render();
    CHECK(has_line(text, "h_bucket{le=\"1\"} 1"));
    CHECK(has_line(text, "h_bucket{le=\"+Inf\"} 1"));
    CHECK(has_line(text, "h_sum 0.5"));
    CHECK(has_line(text, "h_count 1"));
    CHECK(has_line(text, "h_bucket{a=\"1\",le=\"1\"} 0"));
    CHECK(has_line(text, "h_bucket{a=\"1\",le=\"+Inf\"} 1"));
    CHECK(has_line(text, "h_sum{a=\"1\"} 3"));
    CHECK(has_line(text, "h_count{a=\"1\"} 1"));
}

TEST_CASE("observe without describe uses the default latency buckets", "[core][metrics]")
{
    metrics_registry m;
    m.observe("auto_seconds", {}, 0.003);
    const auto text = m.render();
    CHECK(has_line(text, "# TYPE auto_seconds histogram"));
    CHECK(has_line(text, "auto_seconds_bucket{le=\"0.005\"} 1"));
    CHECK(has_line(text, "auto_seconds_bucket{le=\"0.0025\"} 0") == false);
    CHECK(has_line(text, "auto_seconds_bucket{le=\"10\"} 1"));
    CHECK(has_line(text, "auto_seconds_bucket{le=\"+Inf\"} 1"));
    CHECK(has_line(text, "auto_seconds_count 1"));
}

TEST_CASE("a described family with no samples still renders its HELP and TYPE", "[core][metrics]")
{
    metrics_registry m;
    m.describe_histogram("empty_seconds", "Nothing yet", {1});
    CHECK(m.render() == "# HELP empty_seconds Nothing yet\n# TYPE empty_seconds histogram\n");
}
