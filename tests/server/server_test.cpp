// The HTTP API as a client meets it: the same JSON as the CLI's --json (one serialiser), and a 4xx JSON error
// naming the field for every kind of bad input; nothing a client sends crashes or hangs the server.
#include "server/server.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#include "cli/cli_support.hpp"
#include "keipath/answers.hpp"
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
    // A web folder with a page, and a file beside the folder that no request may reach.
    root_ = std::filesystem::temp_directory_path() / fmt::format("keipath_server_test_{}", ::getpid());
    std::filesystem::create_directories(root_ / "web" / "assets");
    std::ofstream(root_ / "web" / "index.html") << "<!doctype html><title>keipath</title>";
    std::ofstream(root_ / "web" / "assets" / "app.js") << "console.log('keipath')";
    std::ofstream(root_ / "secret.txt") << "not for clients";
    o.web_dir = (root_ / "web").string();
    RuleBaseOptions with_class;
    with_class.data_dir = KEIPATH_DATA_DIR;
    with_class.scenario_file = std::string(KEIPATH_DATA_DIR) + "/scenarios/us_small_vehicle_class.toml";
    auto loaded = RuleBase::load(with_class);
    ASSERT_TRUE(loaded) << loaded.error().message;
    small_class_ = loaded->release();
    o.scenarios["us_small_vehicle_class"] = {small_class_, "a US small-vehicle class from 2027-07-01"};
    server_ = new server::Server(testing::bundled(), o);
    ASSERT_TRUE(server_->bind());
    thread_ = new std::thread([] { server_->run(); });
  }
  static void TearDownTestSuite() {
    server_->stop();
    thread_->join();
    delete thread_;
    delete server_;
    delete small_class_;
    std::filesystem::remove_all(root_);
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
  static std::filesystem::path root_;
  static const RuleBase* small_class_;
};
const RuleBase* ServerTest::small_class_ = nullptr;
server::Server* ServerTest::server_ = nullptr;
std::thread* ServerTest::thread_ = nullptr;
std::filesystem::path ServerTest::root_;

TEST_F(ServerTest, HealthSaysOkWithProvenance) {
  const auto j = get("/api/health", 200);
  EXPECT_EQ(j["status"], "ok");
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["provenance"]["rule_base_hash"], testing::bundled().content_hash());
  ASSERT_EQ(j["scenarios"].size(), 1u);
  EXPECT_EQ(j["scenarios"][0]["id"], "us_small_vehicle_class");
  EXPECT_EQ(j["scenarios"][0]["name"], "us-small-vehicle-class");
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
           {"/api/catalog?search=carry", "catalog --search carry --json"},
           {"/api/states/changes?state=CO", "states --changes --state CO --json"},
           {"/api/cost?model=Carry&chassis=DA16T&built=2014-03&date=2026-11-22&price_jpy=500000&years=5&"
            "km_per_l=18&cycle=wltc&port=USTIW&set=freight%3D1800",
            "cost --model Carry --chassis DA16T --built 2014-03 --date 2026-11-22 --price-jpy 500000 --years "
            "5 "
            "--km-per-l 18 --cycle wltc --port USTIW --set freight=1800 --json"},
           {"/api/safety?model=Carry&chassis=DA16T&date=2026-11-22&draws=20&samples=5000&seed=7",
            "safety --model Carry --chassis DA16T --date 2026-11-22 --draws 20 --samples 5000 --seed 7 "
            "--threads 1 --json"},
           {"/api/check?model=Carry&chassis=DA16T&built=2014-03&state=OH&date=2026-11-22&price_jpy=400000",
            "check --model Carry --chassis DA16T --built 2014-03 --state OH --date 2026-11-22 --price-jpy "
            "400000 --json"}}) {
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
  for (const Bad& b :
       std::vector<Bad>{{"/api/kei?model=Sakura&colour=red", "colour"},
                        {"/api/kei?model=Hilux", "model"},
                        {"/api/kei?model=Sakura&date=2026-02-30", "date"},
                        {"/api/kei?body=car&length_mm=nan", "length_mm"},
                        {"/api/kei?body=car&length_mm=", "length_mm"},
                        {"/api/kei?model=Carry", "chassis"},
                        {"/api/kei?model=Sakura&model=Carry", "model"},
                        {"/api/states?body=truck&built=1995-01&state=ZZ", "state"},
                        {"/api/states?body=truck&road_speed=120", "road_speed"},
                        {"/api/states?body=truck&road_class=local", "road_class"},
                        {"/api/states?body=truck&entered_as=boat", "entered_as"},
                        {"/api/catalog?serch=carry", "serch"},
                        {"/api/states/changes?state=XX", "state"},
                        {"/api/cost?model=Sakura&built=2024-01", "price_jpy"},
                        {"/api/cost?model=Sakura&built=2024-01&price_jpy=-1", "price_jpy"},
                        {"/api/cost?model=Sakura&built=2024-01&price_jpy=900000&freight=air", "freight"},
                        {"/api/cost?model=Sakura&built=2024-01&price_jpy=900000&port=XXXXX", "port"},
                        {"/api/cost?model=Sakura&built=2024-01&price_jpy=900000&years=5&"
                         "km_per_l=20",
                         "km_per_l"},
                        {"/api/cost?model=Sakura&built=2024-01&price_jpy=900000&set=freight", "set"},
                        {"/api/cost?model=Sakura&built=2024-01&price_jpy=900000&"
                         "price_includes_tax=yes",
                         "price_includes_tax"},
                        {"/api/safety?model=Sakura&draws=0", "draws"},
                        {"/api/safety?model=Sakura&samples=10000000", "samples"},
                        {"/api/safety?model=Sakura&seed=-1", "seed"},
                        {"/api/safety?model=Sakura&partner=tank", "partner"},
                        {"/api/safety?body=car&length_mm=3395", "curb_mass_kg"},
                        {"/api/check?model=Sakura", "state"},
                        {"/api/check?model=Sakura&state=ZZ", "state"},
                        {"/api/check?model=Sakura&state=OH&years=0", "years"},
                        {"/api/check?model=Sakura&state=OH&registered_on=2026-13-01", "registered_on"}}) {
    const auto j = get(b.path, 400);
    EXPECT_EQ(j["field"], b.field) << b.path << "\n" << j.dump();
    EXPECT_FALSE(j["error"].get<std::string>().empty());
  }
  EXPECT_EQ(post("/api/kei", "{bad", 400)["field"], "body");
  EXPECT_EQ(post("/api/kei", "[1, 2]", 400)["field"], "body");
  EXPECT_EQ(post("/api/kei", R"({"model": ["Sakura"]})", 400)["field"], "model");
  EXPECT_EQ(post("/api/kei", R"({"length_mm": 1e300, "body": "car"})", 400)["field"], "length_mm");
  EXPECT_EQ(post("/api/cost", R"({"model": "Sakura", "built": "2024-01", "price_jpy": 900000, "freight": 5})",
                 400)["field"],
            "freight");
  EXPECT_NE(post("/api/health", "{}", 404)["error"].get<std::string>().find("no such endpoint"),
            std::string::npos);
}

TEST_F(ServerTest, OversizedRequestsAndUnknownPathsGetJsonErrors) {
  post("/api/kei", std::string(10'000, 'x'), 413);
  get("/api/kei?model=" + std::string(9'000, 'a'), 414);
  get("/api/nothing", 404);
}

TEST_F(ServerTest, PostTakesFlagsAndListsAsJson) {
  const auto by_get =
      get("/api/cost?model=Sakura&built=2024-01&date=2026-11-22&price_jpy=900000&price_includes_tax=true&"
          "years=3&compare=full_size_pickup,cheapest_new",
          200);
  const auto by_post =
      post("/api/cost",
           R"({"model": "Sakura", "built": "2024-01", "date": "2026-11-22", "price_jpy": 900000,
                                "price_includes_tax": true, "years": 3,
                                "compare": ["full_size_pickup", "cheapest_new"]})",
           200);
  EXPECT_EQ(by_get, by_post);
  EXPECT_EQ(by_post["ownership"]["vehicles"].size(), 3u);
}

TEST_F(ServerTest, CheckAnswersTheBuyersQuestionInPlainLines) {
  // A 1995 Subaru Sambar in Colorado: old enough to enter for road use; on 2027-12-31 Colorado still treats
  // a kei truck as off-road only, from 2028-01-01 its kei law (HB25-1281) lets it on roads posted 55 mph or
  // less.
  const auto before =
      get("/api/"
          "check?model=Sambar%20Truck&chassis=KS4&built=1995-04&top_speed_kmh=100&state=CO&date=2027-12-31&"
          "price_jpy=500000",
          200);
  const auto after =
      get("/api/"
          "check?model=Sambar%20Truck&chassis=KS4&built=1995-04&top_speed_kmh=100&state=CO&date=2028-01-01&"
          "price_jpy=500000",
          200);
  EXPECT_EQ(before["state_answer"]["status"], "off_road_only");
  EXPECT_EQ(after["state_answer"]["status"], "restricted");
  EXPECT_EQ(after["state_answer"]["limits"]["max_posted_mph"], 55);
  EXPECT_EQ(after["import"]["earliest_road_entry"]["date"], "2020-04-01");
  EXPECT_EQ(after["kei"]["on_date"]["verdict"], "kei");
  EXPECT_GT(after["cost"]["total_usd_cents"].get<int64_t>(), 0);
  const auto& lines = after["summary"];
  ASSERT_GE(lines.size(), 7u);
  ASSERT_LE(lines.size(), 11u);
  EXPECT_NE(lines[3].get<std::string>().find("roads ≤55 mph"), std::string::npos) << lines.dump(1);
  // A truck too young for the age exemption: the state's answer on the day entry opens, and the cost then.
  const auto young = get(
      "/api/check?model=Carry&chassis=DA16T&built=2014-03&state=CO&date=2026-11-22&price_jpy=400000", 200);
  EXPECT_EQ(young["import"]["earliest_road_entry"]["date"], "2039-03-01");
  EXPECT_EQ(young["state_at_entry"]["date"], "2039-03-01");
  EXPECT_EQ(young["cost"]["entry"], "2039-03-01");
  // No build month: no cost, and the note says what would settle it.
  const auto unbuilt = get("/api/check?model=Carry&chassis=DA16T&state=OH&date=2026-11-22", 200);
  EXPECT_TRUE(unbuilt["cost"].is_null());
  EXPECT_NE(unbuilt["cost_note"].get<std::string>().find("built"), std::string::npos);
}

TEST_F(ServerTest, AScenarioIsARequestParameter) {
  // The Sakura (2024) may not enter for road use until 2049; under the small-vehicle-class scenario it may
  // from 2027-07-01, as the CLI's --scenario says.
  const auto base = get("/api/import?model=Sakura&built=2024-04&gross_mass_kg=1300&date=2027-08-01", 200);
  const auto reform = get(
      "/api/"
      "import?model=Sakura&built=2024-04&gross_mass_kg=1300&date=2027-08-01&scenario=us_small_vehicle_class",
      200);
  EXPECT_EQ(base["earliest_road_entry"]["date"], "2049-04-01");
  EXPECT_EQ(reform["earliest_road_entry"]["date"], "2027-07-01");
  EXPECT_EQ(reform["provenance"]["scenario"], "us-small-vehicle-class");
  const testing::CliRun cli = testing::keipath(
      "import --model Sakura --built 2024-04 --gross-mass-kg 1300 --date 2027-08-01 --scenario "
      "scenarios/us_small_vehicle_class.toml --json");
  ASSERT_EQ(cli.exit_code, 0) << cli.out;
  EXPECT_EQ(reform, nlohmann::json::parse(cli.out));
  EXPECT_EQ(get("/api/kei?model=Sakura&scenario=../../etc/passwd", 400)["field"], "scenario");
  // The check asks the state about the vehicle as the class lets it in.
  const auto check =
      get("/api/"
          "check?model=Sakura&built=2024-04&gross_mass_kg=1300&state=CO&date=2027-08-01&scenario=us_small_"
          "vehicle_class",
          200);
  EXPECT_EQ(check["import"]["earliest_road_entry"]["pathway"], "small_vehicle_class");
  EXPECT_EQ(check["state_answer"]["entry"], "small_class");
  const auto doc = get("/api/openapi.json", 200);
  bool listed = false;
  for (const auto& p : doc["paths"]["/api/import"]["get"]["parameters"])
    if (p["name"] == "scenario")
      listed = p["schema"]["enum"] == nlohmann::json::array({"us_small_vehicle_class"});
  EXPECT_TRUE(listed);
}

TEST_F(ServerTest, OpenApiDescribesEveryEndpointAndItsParameters) {
  const auto doc = get("/api/openapi.json", 200);
  EXPECT_EQ(doc["openapi"], "3.1.0");
  for (const char* path : {"/api/health", "/api/catalog", "/api/kei", "/api/import", "/api/states",
                           "/api/states/changes", "/api/cost", "/api/safety", "/api/check"}) {
    ASSERT_TRUE(doc["paths"].contains(path)) << path;
    const auto& getter = doc["paths"][path]["get"];
    EXPECT_TRUE(getter["responses"].contains("200")) << path;
    // Every parameter the document lists is one the endpoint takes: asking with it is never "not a
    // parameter".
    for (const auto& p : getter["parameters"]) {
      const std::string name = p["name"];
      auto res = client().Get(fmt::format("{}?{}=1", path, name).c_str());
      ASSERT_TRUE(res);
      EXPECT_EQ(res->body.find("not a parameter"), std::string::npos) << path << " " << name;
    }
  }
  // The ranges are the answer layer's.
  const auto& cost_params = doc["paths"]["/api/cost"]["get"]["parameters"];
  const auto price = std::find_if(cost_params.begin(), cost_params.end(),
                                  [](const nlohmann::json& p) { return p["name"] == "price_jpy"; });
  ASSERT_NE(price, cost_params.end());
  EXPECT_EQ((*price)["required"], true);
  EXPECT_EQ((*price)["schema"]["maximum"], answers::kPriceJpy.max);
}

TEST_F(ServerTest, StaticFilesAreServedWithoutPathTraversal) {
  auto page = client().Get("/");
  ASSERT_TRUE(page);
  EXPECT_EQ(page->status, 200);
  EXPECT_NE(page->body.find("<title>keipath</title>"), std::string::npos);
  auto shared = client().Get("/?model=Carry&chassis=DA16T&state=OH");  // a shared link opens the page
  ASSERT_TRUE(shared);
  EXPECT_EQ(shared->status, 200);
  auto js = client().Get("/assets/app.js");
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(js->get_header_value("X-Content-Type-Options"), "nosniff");
  for (const char* path : {"/../secret.txt", "/%2e%2e/secret.txt", "/assets/../../secret.txt",
                           "/assets/%2e%2e/%2e%2e/secret.txt", "/..%2fsecret.txt", "/....//secret.txt",
                           "/assets/..%5c..%5csecret.txt", "/%00/secret.txt"}) {
    auto res = client().Get(path);
    ASSERT_TRUE(res) << path;
    EXPECT_NE(res->status, 200) << path;
    EXPECT_EQ(res->body.find("not for clients"), std::string::npos) << path;
  }
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
