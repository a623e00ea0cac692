"""`rawfeed deploy aws` as a user runs it: a good config writes the template (the same bytes
twice); a bad one exits 2 naming every problem and writes nothing, leaving an existing file
alone; a config with several domains needs --domain; the events sink's note and contradictions."""
import os
import subprocess
import sys

import stack_fixtures as fx


def run(rawfeed, *args):
    return subprocess.run([rawfeed, "deploy", "aws", *args], capture_output=True, text=True)


def main(rawfeed):
    problems = []
    with fx.temporary_directory() as directory:
        first, _ = fx.render(rawfeed, "full", directory)
        with open(first, "rb") as f:
            first_bytes = f.read()
        second, _ = fx.render(rawfeed, "full", directory)
        with open(second, "rb") as f:
            if f.read() != first_bytes:
                problems.append("the same config gave different bytes")

        config = os.path.join(directory, "bad.toml")
        with open(config, "w") as f:
            f.write(fx.config_text("plain").replace("s3://acme-raw/lake", "/srv/lake")
                    + "maximum_concurrency = 1\n")
        out = os.path.join(directory, "existing.json")
        with open(out, "w") as f:
            f.write("previous\n")
        bad = run(rawfeed, "--config", config, "--domain", "customer-data", "--out", out)
        if bad.returncode != 2:
            problems.append(f"bad config: exit {bad.returncode}, wanted 2")
        for expected in ("domains.customer-data.aws.maximum_concurrency: must be between 2 and "
                         "1000",):
            if expected not in bad.stderr:
                problems.append(f"bad config: stderr lacks {expected!r}: {bad.stderr}")
        with open(out) as f:
            if f.read() != "previous\n":
                problems.append("bad config: the existing --out file was changed")
        if any(name.endswith(".partial") for name in os.listdir(directory)):
            problems.append("a .partial file was left behind")

        # The lake not on S3 is a deploy-time error, also named.
        config = os.path.join(directory, "local.toml")
        with open(config, "w") as f:
            f.write(fx.config_text("plain").replace("s3://acme-raw/lake", "/srv/lake"))
        local = run(rawfeed, "--config", config, "--out", os.path.join(directory, "local.json"))
        if local.returncode != 2 or "needs the lake on S3" not in local.stderr:
            problems.append(f"local lake: exit {local.returncode}: {local.stderr}")
        if os.path.exists(os.path.join(directory, "local.json")):
            problems.append("local lake: a template was written")

        config = os.path.join(directory, "two.toml")
        with open(config, "w") as f:
            f.write(fx.config_text("plain") + '\n[domains.other]\nsymbols = ["X"]\n')
        two = run(rawfeed, "--config", config, "--out", "-")
        if two.returncode != 2 or "--domain" not in two.stderr:
            problems.append(f"two domains without --domain: exit {two.returncode}: {two.stderr}")
        one = run(rawfeed, "--config", config, "--domain", "customer-data", "--out", "-")
        if one.returncode != 0 or '"AWSTemplateFormatVersion"' not in one.stdout:
            problems.append(f"--out -: exit {one.returncode}: {one.stderr}")
        # The events sink: jsonl is written as the default bus with a note on stderr; a bus
        # contradicting aws.event_bus is refused naming both keys.
        config = os.path.join(directory, "jsonl.toml")
        with open(config, "w") as f:
            f.write(fx.config_text("plain"))
        jsonl = run(rawfeed, "--config", config, "--out", "-")
        if (jsonl.returncode != 0 or '"RAWFEED_EVENTS": "eventbridge://default"' not in jsonl.stdout
                or 'note: domains.customer-data.events: "jsonl" is a local log' not in jsonl.stderr):
            problems.append(f"jsonl events: exit {jsonl.returncode}: {jsonl.stderr}")
        config = os.path.join(directory, "contradiction.toml")
        with open(config, "w") as f:
            f.write(fx.config_text("events-bus") + 'event_bus = "other"\n')
        contradiction = run(rawfeed, "--config", config, "--out", "-")
        if (contradiction.returncode != 2 or "aws.event_bus: 'other' contradicts events = "
                "'eventbridge://lake-events'" not in contradiction.stderr):
            problems.append(f"events contradiction: exit {contradiction.returncode}: "
                            f"{contradiction.stderr}")
    if problems:
        print("\n".join(problems))
        fx.fail(f"{len(problems)} problem(s)")
    print("PASS")


if __name__ == "__main__":
    main(sys.argv[1])
