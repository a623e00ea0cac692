"""cfn-lint on every template variant: no finding at all (errors fail, and so do warnings and
informational findings, so that the templates stay clean). Fails loudly when cfn-lint is
missing."""
import shutil
import subprocess
import sys

import stack_fixtures as fx


def main(rawfeed):
    lint = shutil.which("cfn-lint")
    if lint is None:
        fx.fail("cfn-lint not found: install it (pip install cfn-lint); the template cannot be "
                "checked without it")
    with fx.temporary_directory() as directory:
        templates = fx.render_all(rawfeed, directory)
        paths = [path for path, _ in templates.values()]
        # One run over every variant: cfn-lint's start-up dominates its time.
        run = subprocess.run([lint, "--format", "parseable", "--regions", "us-east-1",
                              "--template", *paths], capture_output=True, text=True)
        version = subprocess.run([lint, "--version"], capture_output=True, text=True).stdout
        print(f"{version.strip()} on {len(paths)} templates: {', '.join(templates)}")
        if run.returncode != 0:
            print(f"exit {run.returncode}\n{run.stdout}{run.stderr}")
            fx.fail("cfn-lint has findings (the lines above name the template, rule and place)")
    print("PASS")


if __name__ == "__main__":
    main(sys.argv[1])
