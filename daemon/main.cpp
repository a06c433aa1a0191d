#include "daemon/app.hpp"
#include "daemon/config.hpp"
#include "daemon/logging.hpp"

#include <spdlog/spdlog.h>

#include <iostream>

int
main(int argc, char** argv)
{
    using namespace hubsync::daemon;
    command_line cmd;
    config cfg;
    try {
        cfg = load_config(argc, argv, process_environment(), cmd);
    } catch (const config_error& e) {
        std::cerr << "hubsyncd: " << e.what() << '\n';
        return 2;
    }
    if (cmd.help) {
        std::cout << cmd.help_text;
        return 0;
    }
    if (cmd.version) {
        std::cout << "hubsyncd " << HUBSYNC_VERSION << '\n';
        return 0;
    }
    setup_logging(cfg.log_level, cfg.log_format);
    int rc = 1;
    try {
        rc = run_daemon(cfg);
    } catch (const std::exception& e) {
        spdlog::critical("hubsyncd.failed reason=\"{}\"", e.what());
    }
    spdlog::shutdown();
    return rc;
}
