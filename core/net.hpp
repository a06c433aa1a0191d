#pragma once
// The one place Asio and Beast are included. <utility> must come first: Boost 1.74's awaitable.hpp uses
// std::exchange without including it, which g++ 12 in C++20 mode rejects (chriskohlhoff/asio#944).
#include <utility>

#include <cstddef>

#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace net = boost::asio;          // from <boost/asio.hpp>
namespace beast = boost::beast;       // from <boost/beast/core.hpp>
namespace http = boost::beast::http;  // from <boost/beast/http.hpp>
using tcp = boost::asio::ip::tcp;     // from <boost/asio/ip/tcp.hpp>

namespace hubsync::core {
// What an HTTP connection's read buffer reserves. Beast reads only as much as a flat_buffer's free capacity (at
// least 512 bytes), and a buffer left to grow by itself stays small because the parser empties it into the body:
// a 20 kB batch body took about 50 recv calls.
inline constexpr std::size_t http_read_buffer_bytes = 64 * 1024;
}  // namespace hubsync::core
