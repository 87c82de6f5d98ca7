#include "server/server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <charconv>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <shared_mutex>
#include <unordered_map>

#include "keipath/answers.hpp"
#include "keipath/units.hpp"
#include "server/api.hpp"

namespace keipath::server {
namespace {

bool is_list(const Endpoint& endpoint, const std::string& name) {
  return std::any_of(endpoint.params.begin(), endpoint.params.end(),
                     [&](const Param& p) { return p.name == name && p.kind == Kind::list; });
}

// The request's inputs, from the query string or a JSON object body (not both); each name at most once.
// In a body, a flag may be true/false and a list an array of strings.
Result<Params> read_params(const httplib::Request& req, const Endpoint& endpoint) {
  Params out;
  if (req.method != "POST") {
    for (const auto& [key, value] : req.params) {
      if (!out.emplace(key, value).second)
        return fail(fmt::format("{}: given more than once", quote_for_message(key)));
    }
    return out;
  }
  // A POST asks with a JSON object body (httplib would also read a form body into params: not used).
  if (req.target.find('?') != std::string::npos)
    return fail("body: give the inputs in the query string (GET) or in a JSON body (POST), not both");
  const auto body = nlohmann::json::parse(req.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded()) return fail("body: not valid JSON");
  if (!body.is_object()) return fail("body: must be a JSON object of inputs ({\"model\": \"Sakura\", ...})");
  for (const auto& [key, value] : body.items()) {
    if (value.is_string()) {
      out[key] = value.get<std::string>();
    } else if (value.is_boolean()) {
      out[key] = value.get<bool>() ? "true" : "false";
    } else if (value.is_number_integer()) {
      out[key] = value.is_number_unsigned() ? std::to_string(value.get<uint64_t>())
                                            : std::to_string(value.get<int64_t>());
    } else if (value.is_number()) {
      out[key] = fmt::format("{}", value.get<double>());
    } else if (value.is_array() && is_list(endpoint, key) &&
               std::all_of(value.begin(), value.end(),
                           [](const nlohmann::json& v) { return v.is_string(); })) {
      std::vector<std::string> items;
      for (const auto& v : value) items.push_back(v.get<std::string>());
      out[key] = fmt::format("{}", fmt::join(items, ","));
    } else {
      return fail(
          fmt::format("{}: must be {}, not {}", quote_for_message(key),
                      is_list(endpoint, key) ? "a list of strings" : "a string, a number or true/false",
                      value.type_name()));
    }
  }
  return out;
}

// A 4xx body: the error as answers::error_json gives it, plus "field": the parameter its first line names
// (a vehicle field by its parameter name: "vehicle.length_mm: ..." names "length_mm").
nlohmann::json client_error(const std::string& message) {
  nlohmann::json out = answers::error_json(message);
  const auto parameter = [](std::string field) {
    return field.starts_with("vehicle.") ? field.substr(8) : field;
  };
  for (nlohmann::json& p : out["problems"])
    if (p.contains("field")) p["field"] = parameter(p["field"].get<std::string>());
  const std::string first = message.substr(0, message.find('\n'));
  const size_t colon = first.find(':');
  if (colon != std::string::npos && colon > 0 && first.find(' ') > colon)
    out["field"] = parameter(first.substr(0, colon));
  return out;
}

void send(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

// Answers are pure functions of their inputs, the rule base and today's date (the default date, and the
// check that a build month is not in the future): the body of each 200 is kept under a key made of those, so
// that a question asked again (a shared link, the page's map on a date it has shown) costs a look-up. The
// cache is bounded by bytes and emptied when full.
class AnswerCache {
 public:
  explicit AnswerCache(size_t max_bytes) : max_bytes_(max_bytes) {}
  static std::string key(const std::string& path, const Params& params) {
    std::string k = Date::today().str() + ' ' + path;
    for (const auto& [name, value] : params) {  // a std::map: the same inputs in any order, one key
      k += '\n';
      k += name;
      k += '=';
      k += value;
    }
    return k;
  }
  std::shared_ptr<const std::string> find(const std::string& key) const {
    std::shared_lock lock(mutex_);
    const auto it = bodies_.find(key);
    return it == bodies_.end() ? nullptr : it->second;
  }
  void put(const std::string& key, std::shared_ptr<const std::string> body) {
    if (max_bytes_ == 0) return;
    std::unique_lock lock(mutex_);
    const size_t size = key.size() + body->size();
    if (bytes_ + size > max_bytes_) {
      bodies_.clear();
      bytes_ = 0;
    }
    if (bodies_.emplace(key, std::move(body)).second) bytes_ += size;
  }

 private:
  size_t max_bytes_;
  mutable std::shared_mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const std::string>> bodies_;
  size_t bytes_ = 0;
};

}  // namespace

struct Server::Impl {
  const RuleBase& base;
  ServerOptions options;
  httplib::Server http;
  AnswerCache cache;
  int port = 0;
  Impl(const RuleBase& b, ServerOptions o) : base(b), options(std::move(o)), cache(options.cache_bytes) {}
};

Server::Server(const RuleBase& base, ServerOptions options)
    : impl_(std::make_unique<Impl>(base, std::move(options))) {
  httplib::Server& http = impl_->http;
  const RuleBase* b = &base;
  const int threads = std::max(1, impl_->options.threads);
  http.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  http.set_payload_max_length(impl_->options.max_body_bytes);
  http.set_read_timeout(5, 0);
  http.set_write_timeout(5, 0);
  http.set_keep_alive_timeout(5);
  // A kept-alive connection holds a worker while it lasts; a few hundred requests each lets a busy client
  // reuse its connection without starving the others for long.
  http.set_keep_alive_max_count(200);
  // Headers and body go out in separate writes: without TCP_NODELAY the body waits for the client's delayed
  // ACK (40 ms on Linux) whenever the headers' segment is still unacknowledged.
  http.set_tcp_nodelay(true);
  for (const Endpoint& e : endpoints()) {
    const Endpoint* endpoint = &e;
    AnswerCache* cache = &impl_->cache;
    const auto* scenarios = &impl_->options.scenarios;
    auto serve = [b, endpoint, cache, scenarios](const httplib::Request& req, httplib::Response& res) {
      auto params = read_params(req, *endpoint);
      if (!params) return send(res, 400, client_error(params.error().message));
      const std::string key = AnswerCache::key(endpoint->path, *params);
      if (auto body = cache->find(key)) {
        res.status = 200;
        res.set_header("X-Keipath-Cache", "hit");
        res.set_content(*body, "application/json");
        return;
      }
      auto inputs = Inputs::read(*params, *endpoint);
      if (!inputs) return send(res, 400, client_error(inputs.error().message));
      const RuleBase* base = b;
      if (inputs->has("scenario")) {
        const auto it = scenarios->find(inputs->text("scenario"));
        if (it == scenarios->end()) {
          std::vector<std::string_view> names;
          for (const auto& [name, _] : *scenarios) names.push_back(name);
          return send(
              res, 400,
              client_error(fmt::format("scenario: '{}' is not a scenario of this server (one of: {})",
                                       quote_for_message(inputs->text("scenario")),
                                       names.empty() ? "none" : fmt::format("{}", fmt::join(names, ", ")))));
        }
        base = it->second.base;
      }
      auto answer =
          endpoint->compare ? endpoint->compare(*base, *b, *inputs) : endpoint->answer(*base, *inputs);
      if (answer && endpoint->path == "/api/health") {
        // Health also says which scenarios a request may name (the server's options, not the rule base's).
        nlohmann::json list = nlohmann::json::array();
        for (const auto& [name, scenario] : *scenarios)
          list.push_back({{"id", name},
                          {"name", scenario.base->scenario_name()},
                          {"description", scenario.description}});
        (*answer)["scenarios"] = std::move(list);
      }
      if (!answer) return send(res, 400, client_error(answer.error().message));
      auto body = std::make_shared<const std::string>(answer->dump());
      res.status = 200;
      res.set_header("X-Keipath-Cache", "miss");
      res.set_content(*body, "application/json");
      cache->put(key, std::move(body));
    };
    http.Get(endpoint->path, serve);
    if (endpoint->post) http.Post(endpoint->path, serve);
  }
  std::vector<std::string> scenario_names;
  for (const auto& [name, _] : impl_->options.scenarios) scenario_names.push_back(name);
  const nlohmann::json openapi = openapi_document(base, scenario_names);
  http.Get("/api/openapi.json",
           [openapi](const httplib::Request&, httplib::Response& res) { send(res, 200, openapi); });
  if (!impl_->options.web_dir.empty()) {
    // httplib refuses a path with ".." segments (after percent-decoding) before it touches the disk, and
    // serves only regular files under the mount point.
    http.set_mount_point("/", impl_->options.web_dir,
                         {{"X-Content-Type-Options", "nosniff"}, {"Cache-Control", "no-cache"}});
  }
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
    std::string what = "internal error";
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    send(res, 500, answers::error_json(fmt::format("internal error: {}", what)));
  });
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // Unknown paths, bodies over the limit (413), query strings over the limit (414): a JSON body too.
    if (res.body.empty() && !req.path.starts_with("/api/") && res.status == 404) {
      res.set_content("Not found\n", "text/plain");
    } else if (res.body.empty()) {
      const std::string what = req.method.empty()
                                   ? std::string("request")
                                   : fmt::format("{} {}", req.method, quote_for_message(req.path));
      send(res, res.status,
           answers::error_json(fmt::format("{}: {}", what,
                                           res.status == 404   ? "no such endpoint (see /api/openapi.json)"
                                           : res.status == 413 ? "the body is too large"
                                           : res.status == 414 ? "the query string is too long"
                                                               : "refused")));
    }
  });
  if (std::FILE* log = impl_->options.log) {
    http.set_logger([log](const httplib::Request& req, const httplib::Response& res) {
      fmt::print(log, "{} {} {} {} bytes\n", req.method, quote_for_message(req.path), res.status,
                 res.body.size());
      std::fflush(log);
    });
  }
}

Server::~Server() = default;

Result<void> Server::bind() {
  const ServerOptions& o = impl_->options;
  if (o.port == 0) {
    impl_->port = impl_->http.bind_to_any_port(o.host);
    if (impl_->port <= 0) return fail(fmt::format("serve: cannot bind {}:any", o.host));
  } else {
    if (!impl_->http.bind_to_port(o.host, o.port))
      return fail(fmt::format("--port: cannot listen on {}:{} (in use, or not allowed)", o.host, o.port));
    impl_->port = o.port;
  }
  return {};
}

int Server::port() const {
  return impl_->port;
}

void Server::run() {
  impl_->http.listen_after_bind();
}

void Server::stop() {
  impl_->http.stop();
}

}  // namespace keipath::server
