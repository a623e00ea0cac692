#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace rawfeed::deploy {

// Every reference of a CloudFormation template that names nothing: a Ref, Fn::GetAtt, ${...} of
// Fn::Sub or DependsOn whose target is neither a parameter, a resource, a Sub variable nor a
// pseudo parameter (AWS::Region, ...). One line per problem, naming where it is; empty when all
// resolve. A text that is not a JSON template gives one line saying so.
std::vector<std::string> unresolvedReferences(std::string_view template_json);

}  // namespace rawfeed::deploy
