#pragma once
#include <sys/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hubsync::test {

// A real program started by a test (hubsyncd, hubspot-emulator). Its stdout and stderr go to a file the test can
// read; it is killed when the object goes.
class child_process {
public:
    // `env`: the child's whole environment; nullopt passes the test's own through (ASAN_OPTIONS and friends).
    child_process(const std::string& binary, const std::vector<std::string>& args,
                  const std::optional<std::map<std::string, std::string>>& env = std::nullopt);
    ~child_process();  // SIGKILL if still running
    child_process(const child_process&) = delete;
    child_process& operator=(const child_process&) = delete;

    // Polls GET `path` on 127.0.0.1:`port` until it answers 200; throws with the log when the process exits or
    // 15 s pass.
    void wait_http_ready(unsigned short port, const std::string& path);
    // Sends `sig` and waits up to `timeout_ms` for the exit; returns the exit code (128+signal when killed), or -1.
    int stop(int sig, int timeout_ms = 15000);
    // Waits for the process to exit on its own; returns its exit code, or -1 on timeout.
    int wait_exit(int timeout_ms);
    bool running();
    std::string log() const;

private:
    std::string name_;
    pid_t pid_ = -1;
    int status_ = -1;
    std::string log_path_;
};

}  // namespace hubsync::test
