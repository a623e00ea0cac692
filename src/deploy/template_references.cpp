#include "deploy/template_references.h"

#include <array>
#include <set>

#include <nlohmann/json.hpp>

namespace rawfeed::deploy {

namespace {

using json = nlohmann::ordered_json;  // as the generator's, whose output it checks

constexpr std::array kPseudoParameters = {"AWS::AccountId", "AWS::NotificationARNs", "AWS::NoValue",
                                          "AWS::Partition", "AWS::Region",           "AWS::StackId",
                                          "AWS::StackName", "AWS::URLSuffix"};

class ReferenceWalker {
 public:
  ReferenceWalker(std::set<std::string> parameters, std::set<std::string> resources)
      : parameters_(std::move(parameters)), resources_(std::move(resources)) {}

  void walk(const json& node, const std::string& where) {
    if (node.is_array()) {
      for (std::size_t i = 0; i < node.size(); ++i) {
        walk(node[i], where + "[" + std::to_string(i) + "]");
      }
      return;
    }
    if (!node.is_object())
      return;
    for (const auto& [key, value] : node.items()) {
      const std::string at = where + "." + key;
      if (key == "Ref") {
        if (!value.is_string() || !named(value.get<std::string>(), {})) {
          problems_.push_back(at + ": " + value.dump() + " names nothing");
        }
      } else if (key == "Fn::GetAtt") {
        checkGetAtt(value, at);
      } else if (key == "Fn::Sub") {
        checkSub(value, at);
      } else {
        walk(value, at);
      }
    }
  }

  void checkDependsOn(const json& depends, const std::string& where) {
    const json list = depends.is_array() ? depends : json::array({depends});
    for (const auto& name : list) {
      if (!name.is_string() || !resources_.count(name.get<std::string>())) {
        problems_.push_back(where + ": DependsOn " + name.dump() + " is not a resource");
      }
    }
  }

  std::vector<std::string> problems() && { return std::move(problems_); }

 private:
  bool named(const std::string& name, const std::set<std::string>& variables) const {
    for (const char* pseudo : kPseudoParameters) {
      if (name == pseudo)
        return true;
    }
    return parameters_.count(name) || resources_.count(name) || variables.count(name);
  }

  void checkGetAtt(const json& value, const std::string& at) {
    std::string resource;
    if (value.is_array() && value.size() == 2 && value[0].is_string()) {
      resource = value[0].get<std::string>();
      walk(value[1], at);
    } else if (value.is_string()) {
      resource = value.get<std::string>().substr(0, value.get<std::string>().find('.'));
    }
    if (!resources_.count(resource)) {
      problems_.push_back(at + ": " + value.dump() + " is not an attribute of a resource");
    }
  }

  void checkSub(const json& value, const std::string& at) {
    std::string text;
    std::set<std::string> variables;
    if (value.is_string()) {
      text = value.get<std::string>();
    } else if (value.is_array() && value.size() == 2 && value[0].is_string() &&
               value[1].is_object()) {
      text = value[0].get<std::string>();
      for (const auto& [name, variable] : value[1].items()) {
        variables.insert(name);
        walk(variable, at + "." + name);
      }
    } else {
      problems_.push_back(at + ": Fn::Sub takes a string or [string, {variables}]");
      return;
    }
    for (std::size_t open = text.find("${"); open != std::string::npos;
         open = text.find("${", open + 2)) {
      const auto close = text.find('}', open);
      if (close == std::string::npos) {
        problems_.push_back(at + ": an unclosed ${ in " + text);
        return;
      }
      const std::string name = text.substr(open + 2, close - open - 2);
      if (!name.empty() && name[0] == '!')
        continue;  // ${!Literal}
      const auto dot = name.find('.');
      const bool ok = dot == std::string::npos ? named(name, variables)
                                               : resources_.count(name.substr(0, dot)) != 0;
      if (!ok)
        problems_.push_back(at + ": ${" + name + "} names nothing");
    }
  }

  std::set<std::string> parameters_;
  std::set<std::string> resources_;
  std::vector<std::string> problems_;
};

std::set<std::string> keysOf(const json& document, const char* section) {
  std::set<std::string> keys;
  if (auto it = document.find(section); it != document.end() && it->is_object()) {
    for (const auto& [key, value] : it->items())
      keys.insert(key);
  }
  return keys;
}

}  // namespace

std::vector<std::string> unresolvedReferences(std::string_view template_json) {
  const json document = json::parse(template_json, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object() || !document.contains("Resources")) {
    return {"the text is not a JSON CloudFormation template with Resources"};
  }
  ReferenceWalker walker(keysOf(document, "Parameters"), keysOf(document, "Resources"));
  for (const auto& [name, resource] : document["Resources"].items()) {
    const std::string at = std::string("Resources.") + name;
    if (auto it = resource.find("DependsOn"); it != resource.end()) {
      walker.checkDependsOn(*it, at);
    }
    if (auto it = resource.find("Properties"); it != resource.end()) {
      walker.walk(*it, at + ".Properties");
    }
  }
  if (auto it = document.find("Outputs"); it != document.end())
    walker.walk(*it, "Outputs");
  return std::move(walker).problems();
}

}  // namespace rawfeed::deploy
