"""Every resource's Properties validate against its CloudFormation provider schema
(../shared/aws/cfn-schemas), and every Ref/GetAtt/Sub resolves.

Intrinsic functions are resolved to values of the shape AWS would give (an SQS Ref is a queue
URL, a role's Arn an IAM ARN, ...) so that the schemas' types and patterns apply to them too.

A resource type without a schema in ../shared/aws/cfn-schemas (AWS::Glue::Database and
AWS::Glue::Table, today) is validated against cfn-lint's bundled copy of the same provider schemas
(us-east-1), and the output says so, naming the types. A type found in neither is listed on a
"NOT CHECKED" line, never skipped in silence; it does not fail the test (cfn-lint, which knows every
type, still checks it in deploy_template_cfn_lint)."""
import json
import os
import re
import sys

import jsonschema

try:  # AWS's patterns use \p{...} classes, which Python's re does not know
    import regex as pattern_engine
except ImportError:  # pragma: no cover
    pattern_engine = None

import stack_fixtures as fx

ACCOUNT = "123456789012"
REGION = "us-east-1"
PSEUDO = {"AWS::AccountId": ACCOUNT, "AWS::Region": REGION, "AWS::Partition": "aws",
          "AWS::StackName": "rawfeed-stack", "AWS::URLSuffix": "amazonaws.com",
          "AWS::StackId": f"arn:aws:cloudformation:{REGION}:{ACCOUNT}:stack/rawfeed-stack/1"}
TOP_LEVEL_KEYWORDS = ("oneOf", "anyOf", "allOf", "dependencies", "dependentRequired", "not")


class Unresolved(Exception):
    pass


class Resolver:
    def __init__(self, template):
        self.parameters = template.get("Parameters", {})
        self.resources = template["Resources"]

    def name_of(self, logical_id):
        properties = self.resources[logical_id].get("Properties", {})
        for key in ("QueueName", "FunctionName", "RoleName", "LogGroupName", "BucketName", "Name"):
            if isinstance(properties.get(key), str):
                return properties[key]
        for key in ("DatabaseInput", "TableInput"):  # Glue: Ref is the database's or table's name
            if isinstance(properties.get(key, {}).get("Name"), str):
                return properties[key]["Name"]
        return logical_id.lower()

    def ref(self, name):
        if name in PSEUDO:
            return PSEUDO[name]
        if name in self.parameters:
            return "placeholder-" + name.lower()
        if name not in self.resources:
            raise Unresolved(f"Ref {name}")
        kind = self.resources[name]["Type"]
        if kind == "AWS::SQS::Queue":
            return f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/{self.name_of(name)}"
        return self.name_of(name)

    def get_att(self, name, attribute):
        if name not in self.resources:
            raise Unresolved(f"GetAtt {name}.{attribute}")
        kind = self.resources[name]["Type"]
        resource_name = self.name_of(name)
        if attribute == "QueueName":
            return resource_name
        arns = {
            "AWS::SQS::Queue": f"arn:aws:sqs:{REGION}:{ACCOUNT}:{resource_name}",
            "AWS::Lambda::Function": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{resource_name}",
            "AWS::IAM::Role": f"arn:aws:iam::{ACCOUNT}:role/{resource_name}",
            "AWS::Logs::LogGroup": f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{resource_name}:*",
            "AWS::S3::Bucket": f"arn:aws:s3:::{resource_name}",
            "AWS::Events::Rule": f"arn:aws:events:{REGION}:{ACCOUNT}:rule/{resource_name}",
        }
        if attribute == "Arn" and kind in arns:
            return arns[kind]
        raise Unresolved(f"GetAtt {name}.{attribute} of a {kind}")

    def sub(self, text, variables):
        def one(match):
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(self.resolve(variables[name]))
            if "." in name:
                return str(self.get_att(*name.split(".", 1)))
            return str(self.ref(name))
        return re.sub(r"\$\{([^}]*)\}", one, text)

    def resolve(self, node):
        if isinstance(node, list):
            return [self.resolve(item) for item in node]
        if not isinstance(node, dict):
            return node
        if len(node) == 1:
            (key, value), = node.items()
            if key == "Ref":
                return self.ref(value)
            if key == "Fn::GetAtt":
                return self.get_att(*(value if isinstance(value, list) else value.split(".", 1)))
            if key == "Fn::Sub":
                if isinstance(value, str):
                    return self.sub(value, {})
                return self.sub(value[0], value[1])
            if key.startswith("Fn::"):
                raise Unresolved(f"{key} is not handled by this check")
        return {key: self.resolve(value) for key, value in node.items()}


def pattern_keyword(validator, pattern, instance, schema):
    if not validator.is_type(instance, "string"):
        return
    engine = pattern_engine if pattern_engine is not None else re
    try:
        matched = engine.search(pattern, instance)
    except Exception:  # a pattern neither engine understands is not held against the template
        print(f"note: pattern {pattern!r} not checked")
        return
    if not matched:
        yield jsonschema.ValidationError(f"{instance!r} does not match {pattern!r}")


Validator = jsonschema.validators.extend(jsonschema.Draft7Validator,
                                         {"pattern": pattern_keyword})


def bundled_schema_path(kind):
    """cfn-lint's copy of the provider schema of `kind` (us-east-1), or None. cfn-lint 1.x keeps
    them as data/schemas/resources/<digest>.json, the digest listed per type in
    data/schemas/providers/us_east_1.py; any other layout gives None (the type is then reported
    as not checked)."""
    try:
        import cfnlint
        from cfnlint.data.schemas.providers import us_east_1
    except ImportError:
        return None
    digest = getattr(us_east_1, "types", {}).get(kind)
    if not digest:
        return None
    path = os.path.join(os.path.dirname(cfnlint.__file__), "data", "schemas", "resources",
                        digest + ".json")
    return path if os.path.exists(path) else None


def cfn_lint_version():
    try:
        from cfnlint.version import __version__
        return __version__
    except ImportError:  # pragma: no cover
        return "?"


def schema_for(schemas_dir, kind):
    """(schema, origin): origin "shared" or "cfn-lint"; (None, None) when neither has it."""
    path = os.path.join(schemas_dir, kind.lower().replace("::", "-") + ".json")
    origin = "shared"
    if not os.path.exists(path):
        path, origin = bundled_schema_path(kind), "cfn-lint"
        if path is None:
            return None, None
    with open(path) as f:
        provider = json.load(f)
    schema = {"type": "object", "properties": provider.get("properties", {}),
              "definitions": provider.get("definitions", {}),
              "required": provider.get("required", []),
              "additionalProperties": provider.get("additionalProperties", True)}
    for keyword in TOP_LEVEL_KEYWORDS:
        if keyword in provider:
            schema[keyword] = provider[keyword]
    return schema, origin


def check(variant, template, schemas_dir, origins):
    """Validates every resource; `origins` collects {type: "shared" | "cfn-lint" | None}."""
    problems = []
    resolver = Resolver(template)
    checked = 0
    for logical_id, resource in template["Resources"].items():
        kind = resource["Type"]
        schema, origin = schema_for(schemas_dir, kind)
        origins[kind] = origin
        if schema is None:
            continue
        try:
            properties = resolver.resolve(resource.get("Properties", {}))
        except Unresolved as error:
            problems.append(f"{logical_id}: unresolved reference: {error}")
            continue
        validator = Validator(schema)
        for error in sorted(validator.iter_errors(properties), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in error.path)
            problems.append(f"{logical_id} ({kind}) {where}: {error.message[:300]}")
        checked += 1
    try:
        resolver.resolve(template.get("Outputs", {}))
    except Unresolved as error:
        problems.append(f"Outputs: unresolved reference: {error}")
    print(f"{variant}: {checked} resources validated, {len(problems)} problem(s)")
    return problems


def main(rawfeed, schemas_dir):
    if not os.path.isdir(schemas_dir):
        fx.fail(f"no schemas at {schemas_dir}")
    problems = []
    origins = {}
    with fx.temporary_directory() as directory:
        for variant, (_, template) in fx.render_all(rawfeed, directory).items():
            problems += [f"{variant}: {p}" for p in check(variant, template, schemas_dir, origins)]
    shared = sorted(k for k, o in origins.items() if o == "shared")
    bundled = sorted(k for k, o in origins.items() if o == "cfn-lint")
    unchecked = sorted(k for k, o in origins.items() if o is None)
    print(f"resource types validated against {schemas_dir}: " + ", ".join(shared))
    if bundled:
        print(f"resource types with no schema there, validated against cfn-lint "
              f"{cfn_lint_version()}'s bundled provider schemas instead: " + ", ".join(bundled))
    if unchecked:
        print("NOT CHECKED (no provider schema in the shared folder nor in cfn-lint's): " +
              ", ".join(unchecked))
    if problems:
        print("\n".join(problems))
        fx.fail(f"{len(problems)} schema or reference problem(s)")
    print("PASS")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
