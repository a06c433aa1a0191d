// Injected faults: statuses, connection resets, latency (hubspot-api.md §8.20).
#include "tests/support/emulator_fixture.hpp"

#include <catch2/catch.hpp>

#include <future>
#include <thread>

using namespace hubsync::test;
using nlohmann::json;

namespace {
std::string
raw_get(unsigned short port, const std::string& path, const std::string& body = {}, const std::string& method = "GET")
{
    std::string req = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " +
                      std::string(emulator_token) + "\r\nContent-Type: application/json\r\nContent-Length: " +
                      std::to_string(body.size()) + "\r\n\r\n" + body;
    return raw_exchange(port, req, 5000);
}
}  // namespace

TEST_CASE("status faults answer the next N requests, then normal service resumes", "[emulator][faults]")
{
    emulator_fixture emu;
    emu.config({{"faults", {{{"status", 503}, {"count", 2}}}}});
    for (int i = 0; i < 2; ++i) {
        auto r = emu.hs("GET", "/crm/v3/objects/contacts");
        REQUIRE(r.status == 503);
        CHECK(r.json()["status"] == "error");
        CHECK(r.json()["correlationId"] == r.header("x-hubspot-correlation-id"));
    }
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);

    for (int status : {500, 502, 504, 423}) {
        emu.config({{"faults", {{{"status", status}}}}});
        auto r = emu.hs("GET", "/crm/v3/objects/contacts");
        CHECK(r.status == status);
        CHECK(r.header("retry-after").empty());
    }
    emu.config({{"faults", {{{"status", 477}}, {{"status", 477}, {"retry_after", 30}}}}});
    auto m1 = emu.hs("GET", "/crm/v3/objects/contacts");
    CHECK(m1.status == 477);
    CHECK(m1.header("retry-after") == "1");
    auto m2 = emu.hs("GET", "/crm/v3/objects/contacts");
    CHECK(m2.status == 477);
    CHECK(m2.header("retry-after") == "30");
    // Faulted requests did not reach the handler: nothing was charged to the rate limit.
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").header("x-hubspot-ratelimit-remaining") == "188");
}

TEST_CASE("a fault can be limited to a path prefix, and admin paths are never faulted", "[emulator][faults]")
{
    emulator_fixture emu;
    emu.config({{"faults", {{{"status", 502}, {"count", 1}, {"path_prefix", "/crm/v3/objects/contacts/batch"}}}}});
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
    CHECK(emu.admin("GET", "/config")["faults"][0]["count"] == 1);
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/create", json{{"inputs", json::array()}});
    CHECK(r.status == 502);
    CHECK(emu.admin("GET", "/config")["faults"].empty());
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/batch/create", json{{"inputs", json::array()}}).status == 201);
}

TEST_CASE("a reset before the response drops the connection without an answer", "[emulator][faults]")
{
    emulator_fixture emu;
    emu.config({{"faults", {{{"status", "reset"}}}}});
    const std::string body = json{{"properties", {{"email", "lost@x.com"}}}}.dump();
    CHECK(raw_get(emu.port(), "/crm/v3/objects/contacts", body, "POST").empty());
    // Default: the request was not processed.
    CHECK(emu.state("contacts")["total"] == 0);
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);

    // process_request: the write happens, the answer is lost (the case a client must not blindly retry).
    emu.config({{"faults", {{{"status", "reset"}, {"process_request", true}}}}});
    CHECK_THROWS(emu.hs("POST", "/crm/v3/objects/contacts", json{{"properties", {{"email", "lost@x.com"}}}}));
    CHECK(emu.state("contacts")["total"] == 1);
    auto counters = emu.requests();
    CHECK(counters["by_status"]["reset"] == 2);
}

TEST_CASE("a reset mid-body sends part of the real answer, then drops the connection", "[emulator][faults]")
{
    emulator_fixture emu;
    emu.config({{"faults", {{{"status", "reset_mid_body"}}}}});
    const std::string body = json{{"properties", {{"email", "half@x.com"}, {"firstname", "Half"}}}}.dump();
    auto raw = raw_get(emu.port(), "/crm/v3/objects/contacts", body, "POST");
    REQUIRE(raw.rfind("HTTP/1.1 201", 0) == 0);
    auto split = raw.find("\r\n\r\n");
    REQUIRE(split != std::string::npos);
    auto cl = raw.find("Content-Length: ");
    REQUIRE(cl != std::string::npos);
    auto declared = std::stoul(raw.substr(cl + 16));
    auto received = raw.size() - split - 4;
    CHECK(received > 0);
    CHECK(received < declared);
    CHECK(emu.state("contacts")["total"] == 1);  // the create happened
    CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
}

TEST_CASE("latency faults delay one answer without blocking others", "[emulator][faults]")
{
    emulator_fixture emu;
    emu.config({{"faults",
                 {{{"status", "latency"}, {"latency_ms", 1500}, {"path_prefix", "/crm/v3/objects/deals"}},
                  {{"status", "latency"}, {"latency_ms", 300}, {"path_prefix", "/crm/v3/objects/tickets"}}}}});
    auto started = std::chrono::steady_clock::now();
    auto slow = std::async(std::launch::async, [&] { return emu.hs("GET", "/crm/v3/objects/deals"); });
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    // Several quick requests complete while the slow one waits (2 io threads, so a sleeping thread would show).
    for (int i = 0; i < 5; ++i) CHECK(emu.hs("GET", "/crm/v3/objects/contacts").status == 200);
    auto quick_done = std::chrono::steady_clock::now() - started;
    CHECK(quick_done < std::chrono::milliseconds(1200));
    auto r = slow.get();
    CHECK(r.status == 200);
    CHECK(std::chrono::steady_clock::now() - started >= std::chrono::milliseconds(1500));

    auto t0 = std::chrono::steady_clock::now();
    CHECK(emu.hs("GET", "/crm/v3/objects/tickets").status == 200);
    CHECK(std::chrono::steady_clock::now() - t0 >= std::chrono::milliseconds(300));
    auto t1 = std::chrono::steady_clock::now();
    CHECK(emu.hs("GET", "/crm/v3/objects/tickets").status == 200);
    CHECK(std::chrono::steady_clock::now() - t1 < std::chrono::milliseconds(300));
}

TEST_CASE("bad fault configurations are refused", "[emulator][faults]")
{
    emulator_fixture emu;
    for (const auto& bad : {json{{"status", 200}}, json{{"status", "explode"}}, json{{"status", "latency"}},
                            json{{"status", 503}, {"count", 0}}, json{{"status", 503}, {"colour", "red"}}}) {
        auto r = http_request(emu.port(), "POST", "/__emulator/config", json{{"faults", {bad}}}.dump());
        INFO(bad.dump());
        CHECK(r.status == 400);
        CHECK(r.json().contains("error"));
    }
    CHECK(emu.admin("GET", "/config")["faults"].empty());
}

TEST_CASE("a 5xx after processing: the write is committed, the client is told it failed", "[emulator][faults]")
{
    emulator_fixture emu;
    emu.config({{"faults", {{{"status", 502}, {"process_request", true}, {"path_prefix", "/crm/v3/objects/contacts/batch"}}}}});
    json inputs = json::array({{{"properties", {{"email", "kept@x.com"}}}, {"objectWriteTraceId", "0"}}});
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/create", json{{"inputs", inputs}});
    CHECK(r.status == 502);
    CHECK(emu.state("contacts")["total"] == 1);  // HubSpot applied it anyway
    auto counters = emu.requests();
    CHECK(counters["by_status"]["502"] == 1);
    CHECK(counters["by_status"].count("201") == 0);
    // Without process_request nothing happens.
    emu.config({{"faults", {{{"status", 502}}}}});
    inputs[0]["properties"]["email"] = "dropped@x.com";
    CHECK(emu.hs("POST", "/crm/v3/objects/contacts/batch/create", json{{"inputs", inputs}}).status == 502);
    CHECK(emu.state("contacts")["total"] == 1);
}

TEST_CASE("a partial answer: every write happens, the 207 confirms half and names no input in its error",
          "[emulator][faults]")
{
    emulator_fixture emu;
    emu.config({{"faults", {{{"status", "partial_answer"}, {"path_prefix", "/crm/v3/objects/contacts/batch"}}}}});
    json inputs = json::array();
    for (int i = 0; i < 4; ++i)
        inputs.push_back({{"properties", {{"email", "p" + std::to_string(i) + "@x.com"}}},
                          {"objectWriteTraceId", std::to_string(i)}});
    auto r = emu.hs("POST", "/crm/v3/objects/contacts/batch/create", json{{"inputs", inputs}});
    REQUIRE(r.status == 207);
    auto j = r.json();
    CHECK(j["results"].size() == 2);
    REQUIRE(j["errors"].size() == 1);
    CHECK_FALSE(j["errors"][0].contains("context"));
    CHECK(emu.state("contacts")["total"] == 4);
    CHECK(emu.requests()["by_status"]["partial_answer"] == 1);
}
