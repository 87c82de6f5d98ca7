// The HTTP API as a client meets it: the same JSON as the CLI's --json (one serialiser), and a 4xx JSON error
// naming the field for every kind of bad input; nothing a client sends crashes or hangs the server.
#include "server/server.hpp"

#include <gtest/gtest.h>
#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cli_support.hpp"
#include "test_support.hpp"

namespace keipath {
namespace {

class ServerTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    server::ServerOptions o;
    o.port = 0;
    o.threads = 4;
    o.max_body_bytes = 4096;
    o.log = nullptr;
    server_ = new server::Server(testing::bundled(), o);
    ASSERT_TRUE(server_->bind());
    thread_ = new std::thread([] { server_->run(); });
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
  }
  static httplib::Client client() {
    httplib::Client c("127.0.0.1", server_->port());
    c.set_read_timeout(10, 0);
    return c;
  }
  static nlohmann::json get(const std::string& path, int expect_status) {
    auto res = client().Get(path.c_str());
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expect_status) << path << "\n" << res->body;
    EXPECT_EQ(res->get_header_value("Content-Type"), "application/json") << path;
    return nlohmann::json::parse(res->body);
  }
  static nlohmann::json post(const std::string& path, const std::string& body, int expect_status) {
    auto res = client().Post(path.c_str(), body, "application/json");
    EXPECT_TRUE(res) << path;
    if (!res) return {};
    EXPECT_EQ(res->status, expect_status) << path << "\n" << res->body;
    return nlohmann::json::parse(res->body);
  }
  static server::Server* server_;
  static std::thread* thread_;
};
server::Server* ServerTest::server_ = nullptr;
std::thread* ServerTest::thread_ = nullptr;

TEST_F(ServerTest, HealthSaysOkWithProvenance) {
  const auto j = get("/api/health", 200);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["provenance"]["rule_base_hash"], testing::bundled().content_hash());
}

TEST_F(ServerTest, AnswersAreTheCliJsonExactly) {
  // One serialiser per answer: the API and `keipath ... --json` give the same document.
  for (const auto& [path, args] : std::vector<std::pair<std::string, std::string>>{
           {"/api/kei?model=Sakura&date=2026-11-22", "kei --model Sakura --date 2026-11-22 --json"},
           {"/api/import?model=Sakura&built=2024-04&date=2026-11-22",
            "import --model Sakura --built 2024-04 --date 2026-11-22 --json"},
           {"/api/states?model=Honda%20Acty&chassis=HA6&built=1999-06&date=2026-11-22&state=OH&road_speed=45&"
            "road_class=highway",
            "states --model 'Honda Acty' --chassis HA6 --built 1999-06 --date 2026-11-22 --state OH "
            "--road-speed 45 --road-class highway --json"},
           {"/api/catalog?search=carry", "catalog --search carry --json"}}) {
    const auto api = get(path, 200);
    const testing::CliRun cli = testing::keipath(args);
    ASSERT_EQ(cli.exit_code, 0) << cli.out;
    EXPECT_EQ(api, nlohmann::json::parse(cli.out)) << path;
  }
}

TEST_F(ServerTest, PostTakesTheSameInputsAsAJsonBody) {
  const auto by_get = get("/api/states?model=Honda%20Acty&chassis=HA6&built=1999-06&date=2026-11-22", 200);
  const auto by_post =
      post("/api/states",
           R"({"model": "Honda Acty", "chassis": "HA6", "built": "1999-06", "date": "2026-11-22"})", 200);
  EXPECT_EQ(by_get, by_post);
  EXPECT_EQ(by_post["answers"].size(), 51u);
}

TEST_F(ServerTest, BadInputIsA4xxNamingTheField) {
  struct Bad {
    std::string path;
    std::string field;
  };
  for (const Bad& b : std::vector<Bad>{{"/api/kei?model=Sakura&colour=red", "colour"},
                                       {"/api/kei?model=Hilux", "vehicle.model"},
                                       {"/api/kei?model=Sakura&date=2026-02-30", "date"},
                                       {"/api/kei?body=car&length_mm=nan", "vehicle.length_mm"},
                                       {"/api/kei?body=car&length_mm=", "vehicle.length_mm"},
                                       {"/api/kei?model=Sakura&model=Carry", "model"},
                                       {"/api/states?body=truck&built=1995-01&state=ZZ", "state"},
                                       {"/api/states?body=truck&road_speed=120", "road_speed"},
                                       {"/api/states?body=truck&road_class=local", "road_class"},
                                       {"/api/states?body=truck&entered_as=boat", "entered_as"},
                                       {"/api/catalog?serch=carry", "serch"}}) {
    const auto j = get(b.path, 400);
    EXPECT_EQ(j["field"], b.field) << b.path << "\n" << j.dump();
    EXPECT_FALSE(j["error"].get<std::string>().empty());
  }
  EXPECT_EQ(post("/api/kei", "{bad", 400)["field"], "body");
  EXPECT_EQ(post("/api/kei", "[1, 2]", 400)["field"], "body");
  EXPECT_EQ(post("/api/kei", R"({"model": ["Sakura"]})", 400)["field"], "model");
  EXPECT_EQ(post("/api/kei", R"({"length_mm": 1e300, "body": "car"})", 400)["field"], "vehicle.length_mm");
}

TEST_F(ServerTest, OversizedRequestsAndUnknownPathsGetJsonErrors) {
  post("/api/kei", std::string(10'000, 'x'), 413);
  get("/api/kei?model=" + std::string(9'000, 'a'), 414);
  EXPECT_TRUE(get("/../../etc/passwd", 404)["error"].get<std::string>().find("no such endpoint") !=
              std::string::npos);
  get("/api/nothing", 404);
}

TEST_F(ServerTest, ConcurrentClientsAllGetAnswers) {
  std::vector<std::thread> clients;
  std::atomic<int> ok{0};
  for (int t = 0; t < 8; ++t) {
    clients.emplace_back([&ok] {
      httplib::Client c("127.0.0.1", server_->port());
      for (int i = 0; i < 25; ++i) {
        auto res = c.Get("/api/states?model=Honda%20Acty&chassis=HA6&built=1999-06&state=CO&date=2028-01-01");
        if (res && res->status == 200) ++ok;
      }
    });
  }
  for (auto& t : clients) t.join();
  EXPECT_EQ(ok.load(), 200);
}

}  // namespace
}  // namespace keipath
