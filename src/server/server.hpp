// The HTTP JSON API over the answer layer (keipath/answers.hpp): the same questions and the same JSON as the
// CLI's --json, for programs and (later) the web page.
//
// GET /api/health, /api/catalog?search=, /api/kei, /api/import, /api/states; a vehicle is given as model
// (and chassis) or by its fields (length_mm=3395 ...), the date as date=YYYY-MM-DD (default today). A POST
// with a JSON object body asks the same as the query string. Every input is checked: an unknown parameter, a
// malformed value or an unknown vehicle is a 400 whose JSON body names the field; a body or query over the
// limits is 413/414; nothing a client sends crashes or hangs the server (bounded thread pool, read and write
// timeouts). One log line per request on the log stream.
#pragma once

#include <atomic>
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "keipath/rule_base.hpp"

namespace keipath::server {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0: any free port (see Server::port)
  int threads = 8;
  size_t max_body_bytes = 64 * 1024;
  std::FILE* log = stderr;  // nullptr: no request log
  // The web page's static files (index.html at /), served read-only; a path that climbs out of the folder
  // ("..", encoded or not) is refused. Empty: the API only.
  std::string web_dir;
  // Rule bases a request may name with `scenario=NAME` (the server's own base answers without it), each with
  // its scenario's description; /api/health lists them.
  struct Scenario {
    const RuleBase* base = nullptr;
    std::string description;
  };
  std::map<std::string, Scenario> scenarios;
  // Bytes of answers kept for questions asked again (0: no cache).
  size_t cache_bytes = 64 * 1024 * 1024;
};

class Server {
 public:
  Server(const RuleBase& base, ServerOptions options);
  ~Server();
  // Binds the socket; an error names the host and port.
  Result<void> bind();
  // The bound port (after bind).
  int port() const;
  // Serves until stop(); returns when every request in flight has finished.
  void run();
  // Safe from another thread or a signal-handling thread.
  void stop();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keipath::server
