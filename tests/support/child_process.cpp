#include "tests/support/child_process.hpp"

#include "tests/support/http_client.hpp"

#include <fcntl.h>
#include <cstdlib>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace hubsync::test {

child_process::child_process(const std::string& binary, const std::vector<std::string>& args,
                             const std::optional<std::map<std::string, std::string>>& env)
{
    static std::atomic<int> counter{0};
    name_ = binary.substr(binary.rfind('/') + 1);
    log_path_ = "/tmp/" + name_ + "-test-" + std::to_string(::getpid()) + "-" + std::to_string(++counter) + ".log";
    std::vector<std::string> argv_strings{binary};
    argv_strings.insert(argv_strings.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (auto& s : argv_strings) argv.push_back(s.data());
    argv.push_back(nullptr);
    std::vector<std::string> env_strings;
    std::vector<char*> envp;
    if (env) {
        for (const auto& [k, v] : *env) env_strings.push_back(k + "=" + v);
        for (auto& s : env_strings) envp.push_back(s.data());
        envp.push_back(nullptr);
    }

    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, 2, log_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, 1, log_path_.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), env ? envp.data() : environ);
    posix_spawn_file_actions_destroy(&actions);
    if (rc != 0) throw std::runtime_error("cannot start " + binary);
}

child_process::~child_process()
{
    if (running()) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, &status_, 0);
    }
    // HUBSYNC_KEEP_TEST_LOGS=1 keeps the child's log (e.g. a sanitizer report of a daemon that died).
    if (!std::getenv("HUBSYNC_KEEP_TEST_LOGS")) std::remove(log_path_.c_str());
}

bool
child_process::running()
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
child_process::wait_exit(int timeout_ms)
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
child_process::stop(int sig, int timeout_ms)
{
    if (running()) ::kill(pid_, sig);
    return wait_exit(timeout_ms);
}

void
child_process::wait_http_ready(unsigned short port, const std::string& path)
{
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
    while (std::chrono::steady_clock::now() < deadline) {
        if (!running()) throw std::runtime_error(name_ + " exited during start-up; its log:\n" + log());
        try {
            if (http_request(port, "GET", path).status == 200) return;
        } catch (const std::exception&) {
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    throw std::runtime_error(name_ + " did not become ready in 15 s; its log:\n" + log());
}

std::string
child_process::log() const
{
    std::ifstream in(log_path_);
    std::stringstream ss;
    ss << in.rdbuf();
    return ss.str();
}

}  // namespace hubsync::test
