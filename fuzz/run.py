"""Run the property tests of tests/test_properties.py for a given time, in rounds.

    python fuzz/run.py --minutes 30              # everything, rounds of 300 examples per test
    python fuzz/run.py --minutes 10 -k mutated   # only the mutated example plans
    python fuzz/run.py --minutes 60 --examples 1000

Each round is one pytest run with the `fuzz` Hypothesis profile (random
examples, a new seed every run) and BEREDSKAP_FUZZ_EXAMPLES examples per
test (the test that renders whole plans in every format takes a twentieth of
that; the public version's leak property, whose plans carry exemption and
privacy markings in valid and invalid forms, a tenth: `-k any_form`). No new
round starts after the time is up, so a run ends at most one round late.

A failing example is shrunk by Hypothesis, stored in fuzz/.hypothesis (and
replayed first by every later run, including plain `pytest` with
HYPOTHESIS_PROFILE=fuzz), and the round's output is saved in
fuzz/findings/. The run then stops, so the failure can be looked at.

Exit status: 0 nothing found, 1 a failure was found, 2 pytest could not run.
"""
from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FINDINGS = ROOT / "fuzz" / "findings"
COUNTS = re.compile(r"(\d+) passing, (\d+) failing, and (\d+) invalid")


def one_round(examples: int, select: str | None) -> tuple[int, str]:
    # no --hypothesis-seed: with a fixed seed Hypothesis keeps no failing examples
    command = [sys.executable, "-m", "pytest", "tests/test_properties.py", "-q",
               "-p", "no:cacheprovider", "--hypothesis-show-statistics"]
    if select:
        command += ["-k", select]
    env = {**os.environ, "HYPOTHESIS_PROFILE": "fuzz", "BEREDSKAP_FUZZ_EXAMPLES": str(examples)}
    proc = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0,
                        help="how long to keep starting rounds (default 10)")
    parser.add_argument("--examples", type=int, default=300,
                        help="examples per test in one round (default 300)")
    parser.add_argument("-k", dest="select", default=None,
                        help="only the tests matching this pytest -k expression")
    args = parser.parse_args(argv)

    deadline = time.monotonic() + args.minutes * 60
    started = time.monotonic()
    rounds = passing = failing = invalid = 0
    while time.monotonic() < deadline:
        rounds += 1
        round_start = time.monotonic()
        code, output = one_round(args.examples, args.select)
        counts = [tuple(map(int, m)) for m in COUNTS.findall(output)]
        passing += sum(c[0] for c in counts)
        failing += sum(c[1] for c in counts)
        invalid += sum(c[2] for c in counts)
        summary = output.strip().splitlines()[-1] if output.strip() else "(no output)"
        print(f"round {rounds}: {time.monotonic() - round_start:.0f} s, "
              f"{sum(c[0] for c in counts)} examples passed: {summary}", flush=True)
        if code not in (0, 1) or (code == 1 and "failed" not in summary):
            print(output, file=sys.stderr)
            return 2
        if code == 1:
            FINDINGS.mkdir(parents=True, exist_ok=True)
            log = FINDINGS / f"{datetime.now():%Y%m%d-%H%M%S}.log"
            log.write_text(output, encoding="utf-8")
            print(f"FOUND a failure in round {rounds}; output saved in "
                  f"{log.relative_to(ROOT)}", flush=True)
            break
    minutes = (time.monotonic() - started) / 60
    print(f"{rounds} round(s) in {minutes:.1f} min: {passing} passing, {failing} failing, "
          f"{invalid} invalid examples")
    return 1 if failing or (rounds and code == 1) else 0


if __name__ == "__main__":
    sys.exit(main())
