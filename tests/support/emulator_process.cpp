#include "tests/support/emulator_process.hpp"

#include "tests/support/http_client.hpp"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace hubsync::test {

using test::http_request;

std::string
emulator_path()
{
    return HUBSPOT_EMULATOR_PATH;
}

emulator_process::emulator_process(unsigned short port, std::vector<std::string> args) : port_(port)
{
    static int counter = 0;
    log_path_ = "/tmp/hubspot-emulator-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".log";
    std::string path = emulator_path();
    // --exit-with-parent: a test binary that crashes leaves no emulator behind.
    std::vector<std::string> argv_strings{path, "--listen", "127.0.0.1:" + std::to_string(port), "--exit-with-parent"};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    // The environment passes through: ASAN_OPTIONS and friends reach the child.
    int rc = posix_spawn(&pid_, path.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + path);
}

emulator_process::~emulator_process()
{
    if (running()) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
    std::remove(log_path_.c_str());
}

bool
emulator_process::running()
{
    if (status_ != -1) return false;
    int st = 0;
    pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
        status_ = st;
        return false;
    }
    return true;
}

int
emulator_process::wait_exit(int timeout_ms)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (running()) {
        if (std::chrono::steady_clock::now() > deadline) return -1;
        std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (WIFEXITED(status_)) return WEXITSTATUS(status_);
    return 128 + WTERMSIG(status_);
}

int
emulator_process::stop(int sig, int timeout_ms)
{
    if (running()) ::kill(pid_, sig);
    return wait_exit(timeout_ms);
}

void
emulator_process::wait_ready()
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) throw std::runtime_error("hubspot-emulator exited during start-up; its log:\n" + log());
        try {
            if (http_request(port_, "GET", "/__emulator/health").status == 200) return;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error("hubspot-emulator did not become ready in 15 s; its log:\n" + log());
}

std::string
emulator_process::log() const
{
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace hubsync::test
