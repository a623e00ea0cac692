#pragma once

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/e2e/e2e_support.h"
#include "integration/s3/test_servers.h"

// EventBridge on moto, behind the SigV4-verifying proxy: a bus whose rule sends rawfeed's
// completion events to an SQS queue, set up and read with the AWS CLI (an independent client),
// so a test sees what a Transform stage subscribed to the bus would receive.
namespace rawfeed::events_it {

namespace fs = std::filesystem;

inline std::vector<std::string> motoEnvironment(const integration::TestServers& servers) {
  return {"AWS_ACCESS_KEY_ID=" + servers.moto.access_key_id,
          "AWS_SECRET_ACCESS_KEY=" + servers.moto.secret_access_key, "AWS_REGION=" + servers.region,
          "AWS_DEFAULT_REGION=" + servers.region, "AWS_EC2_METADATA_DISABLED=true"};
}

// Runs the AWS CLI against moto's proxy with only the given environment; its stdout (JSON), or
// fails the test with the command and what it printed.
inline std::string motoCli(const integration::TestServers& servers,
                           const std::vector<std::string>& args, const fs::path& dir) {
  std::string command = "env -i";
  for (const auto& variable : motoEnvironment(servers))
    command += " '" + variable + "'";
  command += " PATH=\"$PATH\" HOME=\"$HOME\" timeout 60 aws --output json --endpoint-url '" +
             servers.moto.proxy_url + "'";
  for (const auto& arg : args)
    command += " '" + arg + "'";
  command += " > '" + (dir / "aws.out").string() + "' 2>&1";
  const int status = std::system(command.c_str());
  EXPECT_EQ(WEXITSTATUS(status), 0) << command << "\n" << e2e::readFile(dir / "aws.out");
  return e2e::readFile(dir / "aws.out");
}

struct EventRoute {
  std::string bus;
  std::string queue_url;
};

// A queue NAME-target; with `with_bus`, a bus NAME and a rule sending rawfeed's completion
// events to the queue (createBusRoute adds them later).
inline void createBusRoute(const integration::TestServers& servers, const EventRoute& route,
                           const fs::path& dir) {
  motoCli(servers, {"events", "create-event-bus", "--name", route.bus}, dir);
  motoCli(
      servers,
      {"events", "put-rule", "--name", route.bus + "-completed", "--event-bus-name", route.bus,
       "--event-pattern", R"({"source":["rawfeed"],"detail-type":["Extract Batch Completed"]})"},
      dir);
  const auto attributes =
      nlohmann::json::parse(motoCli(servers,
                                    {"sqs", "get-queue-attributes", "--queue-url", route.queue_url,
                                     "--attribute-names", "QueueArn"},
                                    dir));
  const std::string arn = attributes["Attributes"]["QueueArn"];
  motoCli(servers,
          {"events", "put-targets", "--rule", route.bus + "-completed", "--event-bus-name",
           route.bus, "--targets", "Id=transform,Arn=" + arn},
          dir);
}

inline EventRoute createRoute(const integration::TestServers& servers, const std::string& name,
                              const fs::path& dir, bool with_bus = true) {
  EventRoute route;
  route.bus = name;
  const auto created = nlohmann::json::parse(
      motoCli(servers, {"sqs", "create-queue", "--queue-name", name + "-target"}, dir));
  route.queue_url = created["QueueUrl"];
  if (with_bus)
    createBusRoute(servers, route, dir);
  return route;
}

// Every message the queue holds now (received, then deleted), as parsed bodies.
inline std::vector<nlohmann::json> drainQueue(const integration::TestServers& servers,
                                              const std::string& queue_url, const fs::path& dir) {
  std::vector<nlohmann::json> bodies;
  for (int round = 0; round < 5; ++round) {
    const std::string text =
        motoCli(servers,
                {"sqs", "receive-message", "--queue-url", queue_url, "--max-number-of-messages",
                 "10", "--wait-time-seconds", round == 0 ? "2" : "1"},
                dir);
    if (text.find_first_not_of(" \n") == std::string::npos)
      break;  // no messages: no output
    const auto answer = nlohmann::json::parse(text);
    if (!answer.contains("Messages") || answer["Messages"].empty())
      break;
    for (const auto& message : answer["Messages"]) {
      bodies.push_back(nlohmann::json::parse(message["Body"].get<std::string>()));
      motoCli(servers,
              {"sqs", "delete-message", "--queue-url", queue_url, "--receipt-handle",
               message["ReceiptHandle"].get<std::string>()},
              dir);
    }
  }
  return bodies;
}

}  // namespace rawfeed::events_it
