#pragma once
// A hubspot::client aimed at the shared test emulator, on its own io_context, with short retry delays.
#include "hubspot/client.hpp"
#include "tests/support/emulator_fixture.hpp"
#include "tests/support/run_sync.hpp"

#include <memory>
#include <string>

namespace hubsync::test {

struct client_harness {
    net::io_context ioc;
    std::unique_ptr<hubspot::client> client;

    client_harness(const emulator_fixture& emu, const std::string& token = emulator_token,
                   hubspot::client_settings s = {})
    {
        s.base_url = "http://127.0.0.1:" + std::to_string(emu.port());
        s.retry.base_delay = std::chrono::milliseconds(10);
        s.retry.max_delay = std::chrono::milliseconds(200);
        s.retry.locked_delay = std::chrono::milliseconds(50);
        client = std::make_unique<hubspot::client>(ioc, s, std::make_shared<hubspot::static_token>(token), nullptr,
                                                   "test");
    }

    // Drives `op` to completion on this harness's io_context.
    template <class T>
    T run(net::awaitable<T> op)
    {
        return run_on(ioc, std::move(op));
    }

    void run(net::awaitable<void> op)
    {
        auto wrapped = as_bool(std::move(op));
        run_on(ioc, std::move(wrapped));
    }

private:
    // run_on needs a value to hand back.
    static net::awaitable<bool> as_bool(net::awaitable<void> op)
    {
        co_await std::move(op);
        co_return true;
    }
};

// How often the emulator saw `route` ("PUT /crm/v3/lists/{listId}/memberships/add-and-remove").
inline int
requests_to(const emulator_fixture& emu, const std::string& route)
{
    return emu.requests()["by_route"].value(route, 0);
}

}  // namespace hubsync::test
