#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

namespace hubsync::test {

// A real hubspot-emulator child process listening on 127.0.0.1:<port>; its stderr goes to a file the test can read.
class emulator_process {
public:
    // Starts HUBSPOT_EMULATOR_PATH with `--listen 127.0.0.1:<port> --exit-with-parent` and `args`. Construct it on
    // a thread that outlives it (the emulator stops when the starting thread ends).
    emulator_process(unsigned short port, std::vector<std::string> args = {});
    ~emulator_process();  // SIGKILL if still running
    emulator_process(const emulator_process&) = delete;
    emulator_process& operator=(const emulator_process&) = delete;

    // Polls GET /__emulator/health until it answers 200; throws with the log when the process exits or 15 s pass.
    void wait_ready();
    // Sends `sig` and waits up to `timeout_ms` for the exit; returns the exit code (128+signal when killed), or -1.
    int stop(int sig, int timeout_ms = 15000);
    bool running();
    std::string log() const;
    unsigned short port() const noexcept { return port_; }

private:
    int wait_exit(int timeout_ms);

    unsigned short port_;
    pid_t pid_ = -1;
    int status_ = -1;
    std::string log_path_;
};

// The path of the hubspot-emulator binary under test.
std::string emulator_path();

}  // namespace hubsync::test
