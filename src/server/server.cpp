#include "server/server.hpp"

#include <fmt/format.h>
#include <httplib.h>

#include <algorithm>
#include <map>
#include <set>

#include "keipath/answers.hpp"
#include "keipath/units.hpp"

namespace keipath::server {
namespace {

using Params = std::map<std::string, std::string>;

// The request's inputs, from the query string or a JSON object body (not both); each name at most once.
Result<Params> read_params(const httplib::Request& req) {
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
    } else if (value.is_number_integer()) {
      out[key] = std::to_string(value.get<int64_t>());
    } else if (value.is_number()) {
      out[key] = fmt::format("{}", value.get<double>());
    } else {
      return fail(fmt::format("{}: must be a string or a number, not {}", key, value.type_name()));
    }
  }
  return out;
}

// Every parameter must be one the endpoint reads: a misspelt one would otherwise be silently ignored.
Result<void> only(const Params& params, const std::set<std::string>& allowed) {
  for (const auto& [key, value] : params) {
    if (!allowed.contains(key)) {
      return fail(fmt::format("{}: not a parameter of this endpoint (one of: {})", quote_for_message(key),
                              fmt::join(allowed, ", ")));
    }
  }
  return {};
}

std::set<std::string> vehicle_params() {
  std::set<std::string> out = {"date"};
  for (std::string_view f : vehicle_field_names()) out.emplace(f);
  return out;
}

answers::VehicleRequest vehicle_request(const Params& p) {
  answers::VehicleRequest r;
  for (const auto& [key, value] : p) {
    if (key == "model") {
      r.model = value;
    } else if (key == "chassis") {
      r.chassis = value;
    } else if (key != "date" && std::find(vehicle_field_names().begin(), vehicle_field_names().end(), key) !=
                                    vehicle_field_names().end()) {
      r.fields[key] = value;
    }
  }
  return r;
}

Result<Date> date_param(const Params& p) {
  const auto it = p.find("date");
  if (it == p.end()) return Date::today();
  auto d = Date::parse(it->second);
  if (!d) return fail(fmt::format("date: {}", d.error().message));
  return d;
}

Result<std::optional<int>> whole_param(const Params& p, const std::string& key, int min, int max) {
  const auto it = p.find(key);
  if (it == p.end()) return std::optional<int>{};
  auto v = parse_finite_number(it->second);
  if (!v || *v != static_cast<double>(static_cast<int64_t>(*v)) || *v < min || *v > max) {
    return fail(fmt::format("{}: '{}' is not a whole number from {} to {}", key,
                            quote_for_message(it->second), min, max));
  }
  return std::optional<int>(static_cast<int>(*v));
}

// A question about one vehicle on one date (kei, import): the vehicle's fields and `date`, nothing else.
template <auto Answer>
Result<nlohmann::json> vehicle_on_date(const RuleBase& base, const Params& p) {
  if (auto ok = only(p, vehicle_params()); !ok) return std::unexpected(ok.error());
  auto date = date_param(p);
  if (!date) return std::unexpected(date.error());
  auto a = Answer(base, vehicle_request(p), *date);
  if (!a) return std::unexpected(a.error());
  return answers::to_json(*a, base);
}

Result<nlohmann::json> states(const RuleBase& base, const Params& p) {
  std::set<std::string> allowed = vehicle_params();
  allowed.insert({"state", "entered_as", "registered_on", "governor_mph", "road_speed", "road_class"});
  if (auto ok = only(p, allowed); !ok) return std::unexpected(ok.error());
  answers::StatesRequest r;
  auto date = date_param(p);
  if (!date) return std::unexpected(date.error());
  r.date = *date;
  r.vehicle = vehicle_request(p);
  if (auto it = p.find("state"); it != p.end()) r.state = it->second;
  if (auto it = p.find("entered_as"); it != p.end()) r.entered_as = it->second;
  if (auto it = p.find("registered_on"); it != p.end()) {
    auto d = Date::parse(it->second);
    if (!d) return fail(fmt::format("registered_on: {}", d.error().message));
    r.registered_on = *d;
  }
  auto governor = whole_param(p, "governor_mph", answers::kGovernorMph.min, answers::kGovernorMph.max);
  if (!governor) return std::unexpected(governor.error());
  r.governor_mph = *governor;
  auto speed = whole_param(p, "road_speed", answers::kPostedMph.min, answers::kPostedMph.max);
  if (!speed) return std::unexpected(speed.error());
  if (*speed) {
    Road road{**speed, RoadClass::local};
    if (auto it = p.find("road_class"); it != p.end()) {
      auto c = parse_road_class(it->second);
      if (!c) return fail(fmt::format("road_class: {}", c.error().message));
      road.road_class = *c;
    }
    r.road = road;
  } else if (p.contains("road_class")) {
    return fail("road_class: needs road_speed (the road's posted limit in mph)");
  }
  auto a = answers::answer_states(base, r);
  if (!a) return std::unexpected(a.error());
  return answers::to_json(*a, base);
}

Result<nlohmann::json> catalog(const RuleBase& base, const Params& p) {
  if (auto ok = only(p, {"search"}); !ok) return std::unexpected(ok.error());
  const auto it = p.find("search");
  return answers::catalog_json(base.catalog().search(it == p.end() ? "" : it->second), base);
}

// A 4xx body: the error as answers::error_json gives it, plus "field": the input its first line names.
nlohmann::json client_error(const std::string& message) {
  nlohmann::json out = answers::error_json(message);
  const std::string first = message.substr(0, message.find('\n'));
  const size_t colon = first.find(':');
  if (colon != std::string::npos && colon > 0 && first.find(' ') > colon)
    out["field"] = first.substr(0, colon);
  return out;
}

void send(httplib::Response& res, int status, const nlohmann::json& body) {
  res.status = status;
  res.set_content(body.dump(), "application/json");
}

}  // namespace

struct Server::Impl {
  const RuleBase& base;
  ServerOptions options;
  httplib::Server http;
  int port = 0;
  Impl(const RuleBase& b, ServerOptions o) : base(b), options(std::move(o)) {}
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
  using Handler = Result<nlohmann::json> (*)(const RuleBase&, const Params&);
  auto route = [&http, b](const std::string& path, Handler handler) {
    auto serve = [b, handler](const httplib::Request& req, httplib::Response& res) {
      auto params = read_params(req);
      if (!params) return send(res, 400, client_error(params.error().message));
      auto answer = handler(*b, *params);
      if (!answer) return send(res, 400, client_error(answer.error().message));
      send(res, 200, *answer);
    };
    http.Get(path, serve);
    http.Post(path, serve);
  };
  route("/api/kei", vehicle_on_date<answers::answer_kei>);
  route("/api/import", vehicle_on_date<answers::answer_import>);
  route("/api/states", states);
  route("/api/catalog", catalog);
  http.Get("/api/health", [b](const httplib::Request&, httplib::Response& res) {
    send(res, 200, answers::stamped("health", {{"status", "ok"}}, *b));
  });
  http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr e) {
    std::string what = "internal error";
    try {
      if (e) std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      what = ex.what();
    } catch (...) {
    }
    send(res, 500, {{"error", fmt::format("internal error: {}", what)}});
  });
  http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
    // Unknown paths, bodies over the limit (413), query strings over the limit (414): a JSON body too.
    if (res.body.empty()) {
      send(res, res.status,
           {{"error",
             fmt::format("{}: {}",
                         req.method.empty() ? std::string("request")
                                            : fmt::format("{} {}", req.method, quote_for_message(req.path)),
                         res.status == 404   ? "no such endpoint (see /api/health)"
                         : res.status == 413 ? "the body is too large"
                         : res.status == 414 ? "the query string is too long"
                                             : "refused")}});
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
