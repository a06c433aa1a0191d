#pragma once
// The one place Asio and Beast are included. <utility> must come first: Boost 1.74's awaitable.hpp uses
// std::exchange without including it, which g++ 12 in C++20 mode rejects (chriskohlhoff/asio#944).
#include <utility>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace net = boost::asio;          // from <boost/asio.hpp>
namespace beast = boost::beast;       // from <boost/beast/core.hpp>
namespace http = boost::beast::http;  // from <boost/beast/http.hpp>
using tcp = boost::asio::ip::tcp;     // from <boost/asio/ip/tcp.hpp>
