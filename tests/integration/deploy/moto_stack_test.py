"""The generated stack created in moto_server through CloudFormation, and what it made read back
with boto3: queues, DLQ redrive, queue policy, roles and their policies, functions, the event
source mapping, log groups, alarms, the schedule, the Glue database and tables. Needs
RAWFEED_TEST_MOTO_URL (from scripts/aws-test-servers.sh start); fails loudly without it."""
import ast
import io
import json
import os
import sys
import time
import uuid
import zipfile

import boto3

import stack_fixtures as fx

REGION = "us-east-1"


def client(service, url):
    return boto3.client(service, region_name=REGION, endpoint_url=url,
                        aws_access_key_id="testing", aws_secret_access_key="testing")


def expect(condition, message, problems):
    if not condition:
        problems.append(message)


def wait_for_stack(cfn, name):
    for _ in range(240):
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        status = stack["StackStatus"]
        if status.endswith("_COMPLETE") and "ROLLBACK" not in status:
            return stack
        if "FAILED" in status or "ROLLBACK" in status:
            events = cfn.describe_stack_events(StackName=name)["StackEvents"]
            reasons = [f"{e['LogicalResourceId']}: {e.get('ResourceStatusReason', '')}"
                       for e in events if "FAILED" in e["ResourceStatus"]]
            fx.fail(f"stack {name} ended {status}:\n" + "\n".join(reasons))
        time.sleep(0.5)
    fx.fail(f"stack {name} still not created after 120 s")


def resolve_arn(node, arns):
    """The template's resource reference, with the stack's real ARNs put in."""
    if isinstance(node, str):
        return node
    if "Fn::GetAtt" in node:
        return arns[node["Fn::GetAtt"][0]]
    if "Fn::Sub" in node:
        text = node["Fn::Sub"]
        for key, value in {"${AWS::Partition}": "aws", "${AWS::Region}": REGION,
                           "${AWS::AccountId}": arns["account"]}.items():
            text = text.replace(key, value)
        return text
    raise ValueError(f"unexpected reference {node}")


def main(rawfeed):
    url = os.environ.get("RAWFEED_TEST_MOTO_URL")
    if not url:
        fx.fail("RAWFEED_TEST_MOTO_URL is not set: run `scripts/aws-test-servers.sh start` and "
                "`set -a; . out/aws-test-servers.env; set +a` first")
    run_id = uuid.uuid4().hex[:8]
    bucket, code_bucket = f"rawfeed-lake-{run_id}", f"rawfeed-code-{run_id}"
    prefix = f"rf-{run_id}"
    s3, cfn, sqs, iam, lam, logs, cw, sts, glue = (client(s, url) for s in (
        "s3", "cloudformation", "sqs", "iam", "lambda", "logs", "cloudwatch", "sts", "glue"))
    s3.create_bucket(Bucket=code_bucket)
    package = io.BytesIO()
    with zipfile.ZipFile(package, "w") as z:
        z.writestr("bootstrap", "#!/bin/sh\nexit 0\n")
    s3.put_object(Bucket=code_bucket, Key="rawfeed/rawfeed.zip", Body=package.getvalue())
    # The Transform stage's function, which the completion rule's invoke permission names.
    trust = {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                                                     "Principal": {"Service": "lambda.amazonaws.com"}}]}
    transform_role = iam.create_role(RoleName=f"transform-{run_id}",
                                     AssumeRolePolicyDocument=json.dumps(trust))["Role"]["Arn"]
    transform = lam.create_function(FunctionName=f"transform-{run_id}", Runtime="provided.al2023",
                                    Role=transform_role, Handler="bootstrap",
                                    Code={"ZipFile": package.getvalue()})["FunctionArn"]

    # The completion events go to a bus of the test's: the worker's role, its RAWFEED_EVENTS and
    # the completion rule name it.
    event_bus = f"lake-events-{run_id}"
    client("events", url).create_event_bus(Name=event_bus)
    fx.VARIANTS["moto"] = {"domain_extra": f'events = "eventbridge://{event_bus}"',
                           "aws": "\n".join([
        f'name_prefix = "{prefix}"', "create_bucket = true", "worker_reserved_concurrency = 4",
        "log_retention_days = 14", "batching_window_seconds = 2",
        'alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"',
        f'transform_target_arn = "{transform}"'])}
    with fx.temporary_directory() as directory:
        _, template = fx.render(rawfeed, "moto", directory, bucket=bucket, code_bucket=code_bucket)
    stack_name = f"rawfeed-{run_id}"
    cfn.create_stack(StackName=stack_name, TemplateBody=json.dumps(template),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    stack = wait_for_stack(cfn, stack_name)
    problems = []
    made_glue_database = []
    try:
        created = {r["LogicalResourceId"]: r for r in
                   cfn.list_stack_resources(StackName=stack_name)["StackResourceSummaries"]}
        missing = sorted(f"{i} ({r['Type']})" for i, r in template["Resources"].items()
                         if i not in created)
        if missing:
            print("moto did not create (type unsupported by its CloudFormation): " +
                  ", ".join(missing))
        print(f"moto created {len(created)} of {len(template['Resources'])} resources")
        outputs = {o["OutputKey"]: o["OutputValue"] for o in stack.get("Outputs", [])}
        queue_url = outputs.get("QueueUrl") or created["ChunkQueue"]["PhysicalResourceId"]
        dlq_url = outputs.get("DeadLetterQueueUrl") or \
            created["ChunkDeadLetterQueue"]["PhysicalResourceId"]

        # Queues: visibility = worker timeout × 6, redrive after 5 to the DLQ, SSE, TLS-only.
        queue = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["All"])["Attributes"]
        dlq = sqs.get_queue_attributes(QueueUrl=dlq_url, AttributeNames=["All"])["Attributes"]
        expect(queue["VisibilityTimeout"] == "720", f"VisibilityTimeout {queue['VisibilityTimeout']}",
               problems)
        redrive = json.loads(queue.get("RedrivePolicy", "{}"))
        expect(redrive.get("deadLetterTargetArn") == dlq["QueueArn"],
               f"redrive target {redrive} is not the DLQ {dlq['QueueArn']}", problems)
        expect(int(redrive.get("maxReceiveCount", 0)) == 5, f"maxReceiveCount {redrive}", problems)
        expect(dlq["MessageRetentionPeriod"] == str(14 * 86400),
               f"DLQ retention {dlq['MessageRetentionPeriod']}", problems)
        expect(queue.get("SqsManagedSseEnabled") == "true", f"queue SSE: {queue}", problems)
        expect(queue["QueueArn"].endswith(f":{prefix}-chunks"), queue["QueueArn"], problems)
        if "QueueTlsOnlyPolicy" in created:
            policy = json.loads(queue.get("Policy", "{}"))
            denies = [s for s in policy.get("Statement", []) if s.get("Effect") == "Deny"
                      and s.get("Condition", {}).get("Bool", {}).get("aws:SecureTransport")
                      == "false"]
            expect(denies, f"queue policy without the TLS deny: {policy}", problems)

        # Roles and their inline policies, with the stack's real ARNs.
        account = sts.get_caller_identity()["Account"]
        arns = {"account": account, "ChunkQueue": queue["QueueArn"],
                "ChunkDeadLetterQueue": dlq["QueueArn"]}
        for group in ("OrchestratorLogGroup", "WorkerLogGroup"):
            name = template["Resources"][group]["Properties"]["LogGroupName"]
            found = logs.describe_log_groups(logGroupNamePrefix=name)["logGroups"]
            expect(found and found[0].get("retentionInDays") == 14,
                   f"log group {name}: {found}", problems)
            arns[group] = found[0]["arn"] if found else "?"
            if found and not arns[group].endswith(":*"):
                arns[group] += ":*"
        for role_id, function_id in (("OrchestratorRole", "OrchestratorFunction"),
                                     ("WorkerRole", "WorkerFunction")):
            wanted = template["Resources"][role_id]["Properties"]
            role = iam.get_role(RoleName=wanted["RoleName"])["Role"]
            trust = role["AssumeRolePolicyDocument"]
            if isinstance(trust, str):
                try:
                    trust = json.loads(trust)
                except json.JSONDecodeError:
                    trust = ast.literal_eval(trust)
            expect(trust["Statement"][0]["Principal"]["Service"] == "lambda.amazonaws.com",
                   f"{role_id} trust {trust}", problems)
            names = iam.list_role_policies(RoleName=wanted["RoleName"])["PolicyNames"]
            expect(names == [wanted["Policies"][0]["PolicyName"]], f"{role_id} policies {names}",
                   problems)
            document = iam.get_role_policy(RoleName=wanted["RoleName"],
                                           PolicyName=names[0])["PolicyDocument"]
            if isinstance(document, str):
                # moto keeps a CloudFormation-made inline policy as Python's repr of the dict
                try:
                    document = json.loads(document)
                except json.JSONDecodeError:
                    document = ast.literal_eval(document)
            got = {(s["Sid"], tuple(sorted(s["Action"] if isinstance(s["Action"], list)
                                           else [s["Action"]])), json.dumps(s["Resource"]),
                    json.dumps(s.get("Condition"), sort_keys=True))
                   for s in document["Statement"]}
            want = {(s["Sid"], tuple(sorted(s["Action"])),
                     json.dumps(resolve_arn(s["Resource"], arns)),
                     json.dumps(s.get("Condition"), sort_keys=True))
                    for s in wanted["Policies"][0]["PolicyDocument"]["Statement"]}
            # A log group's GetAtt Arn ends in ":*" on AWS (it covers the streams), not on moto.
            got = {(sid, actions, resource.replace(':*"', '"'), condition)
                   for sid, actions, resource, condition in got}
            want = {(sid, actions, resource.replace(':*"', '"'), condition)
                    for sid, actions, resource, condition in want}
            expect(got == want, f"{role_id} policy read back differs:\n got {sorted(got)}\n"
                   f" want {sorted(want)}", problems)
            for _, actions, _, _ in got:
                expect(all("*" not in a for a in actions), f"{role_id}: wildcard in {actions}",
                       problems)

            function = lam.get_function_configuration(
                FunctionName=template["Resources"][function_id]["Properties"]["FunctionName"])
            expect(function["Role"] == role["Arn"], f"{function_id} role {function['Role']}",
                   problems)
            expect(function["Runtime"] == "provided.al2023" and function["Handler"] == "bootstrap",
                   f"{function_id} runtime {function['Runtime']} {function['Handler']}", problems)
            env = function.get("Environment", {}).get("Variables", {})
            expect(env.get("RAWFEED_QUEUE") == queue_url and env.get("RAWFEED_DOMAIN") ==
                   "customer-data" and env.get("RAWFEED_LAKE") == f"s3://{bucket}/lake",
                   f"{function_id} environment {env}", problems)
            expect(function["MemorySize"] == (512 if role_id == "WorkerRole" else 256),
                   f"{function_id} memory {function['MemorySize']}", problems)
            expect(function["Timeout"] == (120 if role_id == "WorkerRole" else 60),
                   f"{function_id} timeout {function['Timeout']}", problems)

        # The event source mapping feeding the worker.
        worker_name = template["Resources"]["WorkerFunction"]["Properties"]["FunctionName"]
        mappings = lam.list_event_source_mappings(FunctionName=worker_name)["EventSourceMappings"]
        expect(len(mappings) == 1, f"event source mappings {mappings}", problems)
        if mappings:
            m = mappings[0]
            expect(m["EventSourceArn"] == queue["QueueArn"] and m["BatchSize"] == 4,
                   f"mapping {m}", problems)
            expect(m.get("FunctionResponseTypes") == ["ReportBatchItemFailures"],
                   f"mapping response types {m.get('FunctionResponseTypes')}", problems)

        # The bucket the stack created.
        encryption = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
        expect(encryption["Rules"][0]["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"]
               == "AES256", f"bucket encryption {encryption}", problems)
        try:
            block = s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"]
            expect(all(block.values()), f"public access block {block}", problems)
        except s3.exceptions.ClientError as error:
            if "NoSuchPublicAccessBlockConfiguration" not in str(error):
                raise
            print("moto did not apply the bucket's PublicAccessBlockConfiguration (its "
                  "CloudFormation ignores the property); checked by the schema and unit tests")

        # Alarms, with the topic.
        names = [a["AlarmName"] for a in cw.describe_alarms(AlarmNamePrefix=prefix)["MetricAlarms"]]
        for alarm_id, suffix in (("QueueDepthAlarm", "queue-depth"),
                                 ("OldestMessageAgeAlarm", "oldest-message-age"),
                                 ("WorkerErrorsAlarm", "worker-errors"),
                                 ("DeadLetterQueueDepthAlarm", "dlq-depth")):
            if alarm_id in created:  # moto's CloudFormation may not make alarms (listed above)
                expect(f"{prefix}-{suffix}" in names, f"alarm {prefix}-{suffix} missing: {names}",
                       problems)

        # What moto's CloudFormation skipped is made through the services' APIs from the
        # template's own properties (boto3 checks them against AWS's API models), then read back.
        physical = {
            "ChunkQueue": {"QueueName": queue["QueueArn"].rsplit(":", 1)[1],
                           "Arn": queue["QueueArn"], "Ref": queue_url},
            "ChunkDeadLetterQueue": {"QueueName": dlq["QueueArn"].rsplit(":", 1)[1],
                                     "Arn": dlq["QueueArn"], "Ref": dlq_url},
        }
        for function_id in ("OrchestratorFunction", "WorkerFunction"):
            name = template["Resources"][function_id]["Properties"]["FunctionName"]
            physical[function_id] = {"Ref": name, "Arn": lam.get_function_configuration(
                FunctionName=name)["FunctionArn"]}
        for role_id in ("SchedulerRole",):
            name = template["Resources"][role_id]["Properties"]["RoleName"]
            physical[role_id] = {"Ref": name, "Arn": iam.get_role(RoleName=name)["Role"]["Arn"]}
        if "ScheduleDeadLetterQueue" in created:
            url_ = created["ScheduleDeadLetterQueue"]["PhysicalResourceId"]
            arn = sqs.get_queue_attributes(QueueUrl=url_, AttributeNames=["QueueArn"])[
                "Attributes"]["QueueArn"]
            physical["ScheduleDeadLetterQueue"] = {"Ref": url_, "Arn": arn,
                                                   "QueueName": arn.rsplit(":", 1)[1]}

        physical["LakeBucket"] = {"Ref": bucket, "Arn": f"arn:aws:s3:::{bucket}"}
        physical["AWS::AccountId"] = {"Ref": account}
        glue_database = template["Resources"]["GlueDatabase"]["Properties"]["DatabaseInput"]["Name"]
        physical["GlueDatabase"] = {"Ref": glue_database}

        def substituted(text):
            for resource, attributes in physical.items():
                for attribute, value in attributes.items():
                    text = text.replace("${" + resource + "." + attribute + "}", value)
            return resolve_arn({"Fn::Sub": text}, arns)

        def resolved(node):
            if isinstance(node, list):
                return [resolved(item) for item in node]
            if not isinstance(node, dict):
                return node
            if "Ref" in node and len(node) == 1:
                return physical[node["Ref"]]["Ref"]
            if "Fn::GetAtt" in node and len(node) == 1:
                resource, attribute = node["Fn::GetAtt"]
                return physical[resource][attribute]
            if "Fn::Sub" in node:
                return substituted(node["Fn::Sub"])
            return {key: resolved(value) for key, value in node.items()}

        for logical_id, resource in template["Resources"].items():
            if logical_id in created:
                continue
            properties = resolved(resource.get("Properties", {}))
            if resource["Type"] == "AWS::CloudWatch::Alarm":
                cw.put_metric_alarm(**properties)
                got = cw.describe_alarms(AlarmNames=[properties["AlarmName"]])["MetricAlarms"]
                expect(got and got[0]["Threshold"] == properties["Threshold"] and
                       got[0]["ComparisonOperator"] == "GreaterThanOrEqualToThreshold" and
                       got[0].get("AlarmActions") == properties.get("AlarmActions"),
                       f"alarm {logical_id} read back: {got}", problems)
            elif resource["Type"] == "AWS::SQS::QueuePolicy":
                for queue_ref in properties["Queues"]:
                    sqs.set_queue_attributes(QueueUrl=queue_ref, Attributes={
                        "Policy": json.dumps(properties["PolicyDocument"])})
                    policy = json.loads(sqs.get_queue_attributes(
                        QueueUrl=queue_ref, AttributeNames=["Policy"])["Attributes"]["Policy"])
                    statement = policy["Statement"][0]
                    expect(statement["Effect"] == "Deny" and
                           statement["Condition"]["Bool"]["aws:SecureTransport"] == "false",
                           f"queue policy of {queue_ref}: {policy}", problems)
            elif resource["Type"] == "AWS::S3::BucketPolicy":
                s3.put_bucket_policy(Bucket=properties["Bucket"],
                                     Policy=json.dumps(properties["PolicyDocument"]))
                policy = json.loads(s3.get_bucket_policy(Bucket=properties["Bucket"])["Policy"])
                statement = policy["Statement"][0]
                expect(statement["Effect"] == "Deny" and
                       statement["Condition"]["Bool"]["aws:SecureTransport"] == "false" and
                       f"arn:aws:s3:::{bucket}/*" in statement["Resource"],
                       f"bucket policy {policy}", problems)
            elif resource["Type"] == "AWS::Scheduler::Schedule":
                scheduler = client("scheduler", url)
                scheduler.create_schedule(**properties)
                schedule = scheduler.get_schedule(Name=properties["Name"])
                expect(schedule["ScheduleExpression"] == "cron(0 6 ? * MON-FRI *)" and
                       schedule["ScheduleExpressionTimezone"] == "America/New_York" and
                       schedule["Target"]["Arn"] == physical["OrchestratorFunction"]["Arn"] and
                       json.loads(schedule["Target"]["Input"]) ==
                       {"domain": "customer-data", "trigger_type": "schedule",
                        "batch_id": "customer-data-<aws.scheduler.scheduled-time>"},
                       f"schedule {schedule}", problems)
            elif resource["Type"] == "AWS::Glue::Database":
                glue.create_database(**properties)
                made_glue_database.append(properties["DatabaseInput"]["Name"])
            elif resource["Type"] == "AWS::Glue::Table":
                glue.create_table(**properties)  # read back below, with those CloudFormation made
            else:
                print(f"{logical_id} ({resource['Type']}): not checked in moto")
                continue
            print(f"{logical_id} ({resource['Type']}): made through the API and read back")
        check_glue(glue, template, bucket, problems)
        for function_id in ("WorkerFunction",):
            function = lam.get_function_configuration(
                FunctionName=template["Resources"][function_id]["Properties"]["FunctionName"])
            env = function.get("Environment", {}).get("Variables", {})
            expect(env.get("RAWFEED_EVENTS") == f"eventbridge://{event_bus}",
                   f"worker RAWFEED_EVENTS {env.get('RAWFEED_EVENTS')}", problems)
        if "CompletionEventRule" in created:
            rule = client("events", url).describe_rule(
                Name=template["Resources"]["CompletionEventRule"]["Properties"]["Name"],
                EventBusName=event_bus)
            expect(rule.get("EventBusName") == event_bus, f"completion rule {rule}", problems)
            print(f"CompletionEventRule: on {event_bus}, read back")
    finally:
        cfn.delete_stack(StackName=stack_name)
        for name in made_glue_database:  # its tables go with it
            glue.delete_database(Name=name)
    check_sqs_event_sink(rawfeed, url, run_id, code_bucket, problems)
    if problems:
        print("\n".join(problems))
        fx.fail(f"{len(problems)} difference(s) between the stack moto made and the config")
    print("PASS")


def check_glue(glue, template, bucket, problems):
    """The Glue database and tables read back: names, columns, partition keys, the projection and
    the SerDe, as the template has them, over this test's lake."""
    database = template["Resources"]["GlueDatabase"]["Properties"]["DatabaseInput"]["Name"]
    got_database = glue.get_database(Name=database)["Database"]
    expect(got_database["Name"] == database == "rawfeed_prod_customer_data",
           f"Glue database {got_database}", problems)
    tables = {t["Name"]: t for t in glue.get_tables(DatabaseName=database)["TableList"]}
    expect(sorted(tables) == ["corporate_actions", "prices"], f"Glue tables {sorted(tables)}",
           problems)
    for logical_id in ("GlueBarsTable", "GlueCorporateActionsTable"):
        wanted = template["Resources"][logical_id]["Properties"]["TableInput"]
        got = tables.get(wanted["Name"])
        if got is None:
            continue
        storage = got["StorageDescriptor"]
        location = f"s3://{bucket}/lake/customer-data/{wanted['Name']}/"
        expect(storage["Location"] == location, f"{logical_id} location {storage['Location']}",
               problems)
        expect([(c["Name"], c["Type"]) for c in storage["Columns"]] ==
               [(c["Name"], c["Type"]) for c in wanted["StorageDescriptor"]["Columns"]],
               f"{logical_id} columns {storage['Columns']}", problems)
        expect([(c["Name"], c["Type"]) for c in got["PartitionKeys"]] ==
               [("interval", "string"), ("data_source", "string"), ("year", "int"),
                ("month", "int"), ("day", "int")],
               f"{logical_id} partition keys {got['PartitionKeys']}", problems)
        expect(storage["SerdeInfo"]["SerializationLibrary"] ==
               "org.openx.data.jsonserde.JsonSerDe",
               f"{logical_id} SerDe {storage['SerdeInfo']}", problems)
        parameters = got.get("Parameters", {})
        expect(parameters.get("projection.enabled") == "true" and
               parameters.get("storage.location.template") ==
               location + "interval=${interval}/data_source=${data_source}/year=${year}/"
                          "month=${month}/day=${day}/" and
               parameters.get("projection.year.range") == "1800,2200",
               f"{logical_id} projection {parameters}", problems)
        print(f"{logical_id}: Glue table {database}.{wanted['Name']} read back")


def check_sqs_event_sink(rawfeed, url, run_id, code_bucket, problems):
    """A second stack whose completion events go to an SQS queue of the test's: the worker's role
    read back allows GetQueueUrl and SendMessage on exactly that queue's ARN, and no PutEvents."""
    sqs, cfn, iam, lam = (client(s, url) for s in ("sqs", "cloudformation", "iam", "lambda"))
    events_queue = f"completions-{run_id}"
    queue_url = sqs.create_queue(QueueName=events_queue)["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url,
                                         AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    fx.VARIANTS["moto-sqs-events"] = {"domain_extra": f'events = "sqs://{events_queue}"',
                                      "aws": f'name_prefix = "rf-sqs-{run_id}"'}
    with fx.temporary_directory() as directory:
        _, template = fx.render(rawfeed, "moto-sqs-events", directory,
                                bucket=f"rawfeed-lake-{run_id}", code_bucket=code_bucket)
    stack_name = f"rawfeed-sqs-events-{run_id}"
    cfn.create_stack(StackName=stack_name, TemplateBody=json.dumps(template),
                     Capabilities=["CAPABILITY_NAMED_IAM"])
    wait_for_stack(cfn, stack_name)
    try:
        role_name = template["Resources"]["WorkerRole"]["Properties"]["RoleName"]
        policy_name = iam.list_role_policies(RoleName=role_name)["PolicyNames"][0]
        document = iam.get_role_policy(RoleName=role_name, PolicyName=policy_name)["PolicyDocument"]
        if isinstance(document, str):
            try:
                document = json.loads(document)
            except json.JSONDecodeError:
                document = ast.literal_eval(document)
        statements = {s["Sid"]: s for s in document["Statement"]}
        sink = statements.get("CompletionEventQueue")
        expect(sink is not None and sorted(sink["Action"]) ==
               ["sqs:GetQueueUrl", "sqs:SendMessage"] and sink["Resource"] == queue_arn,
               f"worker role's event queue grant {sink} (want {queue_arn})", problems)
        actions = {a for s in document["Statement"] for a in s["Action"]}
        expect("events:PutEvents" not in actions, f"worker role still allows PutEvents: {actions}",
               problems)
        function = lam.get_function_configuration(
            FunctionName=template["Resources"]["WorkerFunction"]["Properties"]["FunctionName"])
        env = function.get("Environment", {}).get("Variables", {})
        expect(env.get("RAWFEED_EVENTS") == f"sqs://{events_queue}",
               f"worker RAWFEED_EVENTS {env.get('RAWFEED_EVENTS')}", problems)
        print(f"SQS event sink stack: the worker may send to exactly {queue_arn}")
    finally:
        cfn.delete_stack(StackName=stack_name)


if __name__ == "__main__":
    main(sys.argv[1])
