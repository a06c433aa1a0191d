#pragma once
#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace hubsync::test {

// A real hubsyncd child process with its own environment; stderr goes to a file the test can read.
class daemon_process {
public:
    // Starts HUBSYNCD_PATH with `env` (merged over a minimal PATH/HOME) and `args`.
    daemon_process(std::map<std::string, std::string> env, std::vector<std::string> args = {});
    ~daemon_process();  // SIGKILL if still running
    daemon_process(const daemon_process&) = delete;
    daemon_process& operator=(const daemon_process&) = delete;

    // Polls GET /healthz until it answers 200; throws with the log when the process exits or 15 s pass.
    void wait_ready(unsigned short port);
    // Sends `sig` and waits up to `timeout_ms` for the exit; returns the exit code, or -1 on timeout.
    int stop(int sig, int timeout_ms = 15000);
    // Waits for the process to exit on its own; returns its exit code, or -1 on timeout.
    int wait_exit(int timeout_ms);
    bool running();
    std::string log() const;

private:
    pid_t pid_ = -1;
    int status_ = -1;
    std::string log_path_;
};

// The path of the hubsyncd binary under test.
std::string hubsyncd_path();

}  // namespace hubsync::test
