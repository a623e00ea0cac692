#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace rawfeed::deploy::cfn {

// CloudFormation's intrinsic functions as template values, for the generator and the role
// policies alike.
inline nlohmann::ordered_json ref(const std::string& name) {
  return {{"Ref", name}};
}
inline nlohmann::ordered_json getAtt(const std::string& resource, const std::string& attribute) {
  return {{"Fn::GetAtt", nlohmann::ordered_json::array({resource, attribute})}};
}
inline nlohmann::ordered_json sub(const std::string& text) {
  return {{"Fn::Sub", text}};
}

}  // namespace rawfeed::deploy::cfn
