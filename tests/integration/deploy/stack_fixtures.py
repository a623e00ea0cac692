"""Configs written here, turned into templates by the real `rawfeed deploy aws`.

Shared by the template tests: each variant exercises a different part of the generator.
"""
import json
import os
import subprocess
import sys
import tempfile

KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

BASE = """environment = "prod"
[domains.customer-data]
symbols = ["AAPL", "MSFT"]
lake = "s3://{bucket}/lake"
schedule = "0 6 * * 1-5"
schedule_timezone = "America/New_York"
worker_timeout_seconds = 120
messages_per_delivery = 4
{domain_extra}
[domains.customer-data.aws]
code_bucket = "{code_bucket}"
code_key = "rawfeed/rawfeed.zip"
{aws}
"""

VARIANTS = {
    "plain": {},
    # A CSV domain with zstd objects: the Glue tables' LazySimpleSerDe and header skip.
    "full": {
        "domain_extra": 'file_format = "csv"\ncompression = "zstd"',
        "aws": "\n".join([
            "create_bucket = true",
            "bucket_versioning = true",
            f'kms_key_arn = "{KEY}"',
            "worker_reserved_concurrency = 8",
            "orchestrator_reserved_concurrency = 1",
            "batching_window_seconds = 5",
            "schedule_flexible_window_minutes = 15",
            'transform_target_arn = "arn:aws:states:us-east-1:123456789012:stateMachine:transform"',
            'completion_rule = "both"',
            'alarm_topic_arn = "arn:aws:sns:us-east-1:123456789012:ops"',
        ]),
    },
    "lambda-target": {
        "aws": 'transform_target_arn = "arn:aws:lambda:us-east-1:123456789012:function:transform"\n'
               'completion_rule = "manifest"',
    },
    "vpc": {
        "aws": "\n".join([
            'vpc_id = "vpc-0123456789abcdef0"',
            'subnet_ids = ["subnet-0123456789abcdef0", "subnet-0123456789abcdef1"]',
            'security_group_ids = ["sg-0123456789abcdef0"]',
            'route_table_ids = ["rtb-0123456789abcdef0"]',
        ]),
    },
    # No corporate actions table in Glue; a bars table whose name Glue lower-cases.
    "no-schedule": {"drop_schedule": True,
                    "domain_extra": 'corporate_actions = false\ntable_name = "Daily-Bars"'},
    # The completion-event sinks (the domain's `events`): the worker's role, environment and the
    # completion rule follow it.
    "events-bus": {
        "domain_extra": 'events = "eventbridge://lake-events"',
        "aws": 'transform_target_arn = "arn:aws:lambda:us-east-1:123456789012:function:transform"',
    },
    "events-bus-arn": {
        "domain_extra":
            'events = "eventbridge://arn:aws:events:eu-west-1:210987654321:event-bus/central"',
    },
    "events-sqs": {"domain_extra": 'events = "sqs://batch-completions"'},
    "events-sqs-url": {
        "domain_extra":
            'events = "https://sqs.eu-west-1.amazonaws.com/210987654321/batch-completions.fifo"',
    },
    "events-webhook-vpc": {
        "domain_extra": 'events = "https://hooks.example.com/rawfeed"\n'
                        'events_token_env = "HOOK_TOKEN"',
        "aws": "\n".join([
            'vpc_id = "vpc-0123456789abcdef0"',
            'subnet_ids = ["subnet-0123456789abcdef0"]',
            'security_group_ids = ["sg-0123456789abcdef0"]',
            'route_table_ids = ["rtb-0123456789abcdef0"]',
        ]),
    },
}


def config_text(variant, bucket="acme-raw", code_bucket="acme-artifacts"):
    spec = VARIANTS[variant]
    text = BASE.format(bucket=bucket, code_bucket=code_bucket,
                       domain_extra=spec.get("domain_extra", ""), aws=spec.get("aws", ""))
    if spec.get("drop_schedule"):
        text = text.replace('schedule = "0 6 * * 1-5"\n', "")
    return text


def render(rawfeed, variant, directory, **names):
    """Writes the variant's config, runs `rawfeed deploy aws`, returns (path, template)."""
    config = os.path.join(directory, f"{variant}.toml")
    out = os.path.join(directory, f"{variant}.json")
    with open(config, "w") as f:
        f.write(config_text(variant, **names))
    run = subprocess.run([rawfeed, "deploy", "aws", "--config", config, "--domain",
                          "customer-data", "--out", out], capture_output=True, text=True)
    if run.returncode != 0:
        sys.exit(f"FAIL: rawfeed deploy aws ({variant}) exited {run.returncode}: {run.stderr}")
    with open(out) as f:
        return out, json.load(f)


def render_all(rawfeed, directory):
    return {variant: render(rawfeed, variant, directory) for variant in VARIANTS}


def fail(message):
    print("FAIL: " + message)
    sys.exit(1)


def temporary_directory():
    return tempfile.TemporaryDirectory(prefix="rawfeed-deploy-")
