"""cfn-lint on every template variant: no error (warnings are printed and fail too, so that the
templates stay clean). Fails loudly when cfn-lint is missing."""
import shutil
import subprocess
import sys

import stack_fixtures as fx


def main(rawfeed):
    lint = shutil.which("cfn-lint")
    if lint is None:
        fx.fail("cfn-lint not found: install it (pip install cfn-lint); the template cannot be "
                "checked without it")
    failures = 0
    with fx.temporary_directory() as directory:
        for variant, (path, _) in fx.render_all(rawfeed, directory).items():
            run = subprocess.run([lint, "--format", "parseable", "--regions", "us-east-1",
                                  "--template", path],
                                 capture_output=True, text=True)
            if run.returncode != 0:
                failures += 1
                print(f"cfn-lint {variant}: exit {run.returncode}\n{run.stdout}{run.stderr}")
            else:
                print(f"cfn-lint {variant}: clean")
    if failures:
        fx.fail(f"{failures} template variant(s) have cfn-lint findings")
    print("PASS")


if __name__ == "__main__":
    main(sys.argv[1])
