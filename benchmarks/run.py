#!/usr/bin/env python3
"""The national-scale benchmark of `beredskap`.

    .venv/bin/python benchmarks/run.py [--municipalities 455] [--small 45] [--repeat 5]
                                       [--json out.json] [--quick] [--only a,c,e]

Generates (or reuses) corpora with benchmarks/generate.py in a cache folder
(benchmarks/.cache/ unless --cache is given), then measures, in one run and
interleaved (a, c, d, …, a, c, d, …), every process start to finish, and then
the peer (b) on its own (it takes minutes per repetition):

  (a) floor: PyYAML's CSafeLoader loading every corpus file in one Python process
  (b) peer: check-jsonschema with the project's schemas over the same files
      (one process per file kind, times summed; installed in its own venv)
  (c) `beredskap validate CORPUS` at the large and at the small size
  (d) `beredskap validate ONE_PLAN` against `python -c "import yaml"`
  (e) `beredskap --help` against `python -c "import yaml"`
  (f) `beredskap due CORPUS --fail-on none --format json`
  (g) `beredskap render plans/fjellvik --to docx,html,pdf` against pandoc and
      Typst run directly on the same Markdown
  (h) `beredskap report CORPUS --format html`: the auditor's overview, against
      `beredskap validate CORPUS --no-cache` (neither keeps results between runs)

and prints best and median times, peak memory (max RSS) and the ratios with
their targets. Run it with the project's Python (the one `beredskap` is
installed in); see benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SCHEMAS = REPO / "schemas"
TODAY = "2026-11-23"  # the reference date the corpus is generated for
CHECK_JSONSCHEMA = "check-jsonschema==0.39.0"
MEASUREMENTS = "abcdefgh"
SHOWN = ("a", "b", "c", "c_small", "d", "y", "e", "f", "g", "g_raw", "h_base", "h")  # jobs, in table order
ARG_LIMIT = 1_500_000  # bytes of file names per check-jsonschema process

FLOOR_SCRIPT = """\
import sys, yaml
loader = yaml.CSafeLoader
for path in open(sys.argv[1], encoding="utf-8").read().splitlines():
    with open(path, "rb") as handle:
        try:
            yaml.load(handle, Loader=loader)
        except yaml.YAMLError:
            pass
"""

RAW_RENDER_SCRIPT = """\
import sys, pypandoc, typst
from pathlib import Path
source, out, reference = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
docx_args = ["--reference-doc", reference] if reference else []
pypandoc.convert_file(str(source), "docx", format="markdown", outputfile=str(out / "raw.docx"),
                      extra_args=docx_args)
pypandoc.convert_file(str(source), "html", format="markdown", outputfile=str(out / "raw.html"),
                      extra_args=["--standalone", "--metadata", "title=Beredskapsplan"])
pypandoc.convert_file(str(source), "typst", format="markdown", outputfile=str(out / "raw.typ"),
                      extra_args=["--standalone"])
typst.compile(str(out / "raw.typ"), output=str(out / "raw.pdf"), ignore_system_fonts=True)
"""


# ---------------------------------------------------------------------------
# running one process and measuring it
# ---------------------------------------------------------------------------

@dataclass
class Command:
    argv: list[str]
    cwd: Path
    ok: tuple[int, ...] = (0,)


@dataclass
class Job:
    key: str  # e.g. "c", "c_small", "y"
    label: str
    commands: list[Command] | Callable[[], list[Command]]
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, workers included
    rss_kb: list[int] = field(default_factory=list)
    codes: list[list[int]] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    def resolve(self) -> list[Command]:
        return self.commands() if callable(self.commands) else self.commands

    @property
    def best(self) -> float | None:
        return min(self.times) if self.times else None

    @property
    def median(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def max_rss(self) -> int | None:
        return max(self.rss_kb) if self.rss_kb else None


def _gnu_time() -> str | None:
    """GNU time, to read a child's peak memory without the runner's own counted in."""
    exe = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if not exe:
        return None
    probe = subprocess.run([exe, "-f", "%M", "true"], capture_output=True, text=True)
    return exe if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()


def measure(cmd: Command) -> tuple[float, float, int, int, str]:
    """(seconds, CPU seconds, max RSS in KB, exit code, tail of stderr) of one process.

    Peak memory comes from GNU time when it is installed: on Linux a child's
    ru_maxrss starts from its parent's size at fork, so measured directly from
    this (large) runner process it would be the runner's size, not the tool's.
    Without GNU time, os.wait4's figure is used and only an upper bound. For a
    command that starts worker processes it is the largest single process, not
    the sum. CPU seconds include every process of the command."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss_file:
        argv = ([GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd.argv] if GNU_TIME else cmd.argv)
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cmd.cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
        rss = usage.ru_maxrss
        if GNU_TIME:
            lines = rss_file.read().split()
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else rss
    return elapsed, usage.ru_utime + usage.ru_stime, rss, code, tail


def run_job(job: Job) -> None:
    total, cpu, peak, codes = 0.0, 0.0, 0, []
    for cmd in job.resolve():
        seconds, cpu_seconds, rss, code, tail = measure(cmd)
        total += seconds
        cpu += cpu_seconds
        peak = max(peak, rss)
        codes.append(code)
        if code not in cmd.ok:
            job.failures.append(f"exit {code}: {' '.join(cmd.argv[:4])} …\n{tail.strip()}")
    job.times.append(total)
    job.cpu.append(cpu)
    job.rss_kb.append(peak)
    job.codes.append(codes)


# ---------------------------------------------------------------------------
# corpora and tools
# ---------------------------------------------------------------------------

def generator_hash() -> str:
    digest = hashlib.sha256()
    for name in ("generate.py", "corpus_text.py"):
        digest.update((HERE / name).read_bytes())
    return digest.hexdigest()[:10]


def corpus(cache: Path, municipalities: int, seed: int, error_share: float) -> Path:
    """A generated corpus, reused when one with the same key is in the cache."""
    key = f"corpus-n{municipalities}-s{seed}-e{error_share:g}-g{generator_hash()}"
    out = cache / key
    if (out / "corpus.json").is_file():
        return out
    sys.path.insert(0, str(HERE))
    import generate
    tmp = cache / (key + ".tmp")
    say(f"generating {municipalities} municipalities into {out} …")
    generate.generate(tmp, municipalities, seed, error_share)
    if out.exists():
        shutil.rmtree(out)
    tmp.rename(out)
    return out


def corpus_info(root: Path) -> dict:
    data = json.loads((root / "corpus.json").read_text(encoding="utf-8"))
    return {"path": str(root), "municipalities": data["municipalities"], "norway": data["norway"],
            "denmark": data["denmark"], "yaml_files": data["totals"]["yaml_files"],
            "bytes": data["totals"]["bytes"], "files": data["files"], "plans": data["plans"]}


def warm(root: Path, info: dict) -> None:
    """Read every file once, so no measurement pays for a cold disk cache."""
    for f in info["files"]:
        (root / f["path"]).read_bytes()


def check_jsonschema(cache: Path, python: str) -> tuple[Path, str]:
    """check-jsonschema in its own venv under the cache (never a project dependency)."""
    venv = cache / "check-jsonschema-venv"
    exe = venv / "bin" / "check-jsonschema"
    if not exe.exists():
        say(f"installing {CHECK_JSONSCHEMA} into {venv} …")
        subprocess.run([python, "-m", "venv", str(venv)], check=True)
        subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet",
                        CHECK_JSONSCHEMA], check=True)
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True).stdout.strip()
    return exe, version


def chunks(paths: list[str]) -> list[list[str]]:
    """Split a file list so no command line gets too long (one chunk in practice)."""
    out, current, size = [], [], 0
    for p in paths:
        if current and size + len(p) + 1 > ARG_LIMIT:
            out.append(current)
            current, size = [], 0
        current.append(p)
        size += len(p) + 1
    if current:
        out.append(current)
    return out


def median_plan(info: dict) -> str:
    """The plan folder whose files add up to the median size (the pre-commit case)."""
    sizes: dict[str, int] = {}
    for f in info["files"]:
        for plan in info["plans"]:
            if f["path"].startswith(plan + "/"):
                sizes[plan] = sizes.get(plan, 0) + f["bytes"]
                break
    ordered = sorted(info["plans"], key=lambda p: (sizes.get(p, 0), p))
    return ordered[len(ordered) // 2]


def source_fingerprint(python: str) -> str:
    """A digest of the installed beredskapsplan package and the schemas, to notice
    when the code under test changes while the benchmark runs."""
    found = subprocess.run([python, "-c", "import beredskapsplan; print(beredskapsplan.__file__)"],
                           capture_output=True, text=True).stdout.strip()
    digest = hashlib.sha256()
    for folder in ([Path(found).parent] if found else []) + [SCHEMAS]:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def default_beredskap() -> str:
    sibling = Path(sys.executable).parent / "beredskap"
    return str(sibling) if sibling.exists() else (shutil.which("beredskap") or "beredskap")


def version_of(python: str, module: str) -> str:
    code = (f"import importlib.metadata as m\ntry: print(m.version({module!r}))\n"
            "except Exception: print('?')")
    return subprocess.run([python, "-c", code], capture_output=True, text=True).stdout.strip()


# ---------------------------------------------------------------------------
# the benchmark
# ---------------------------------------------------------------------------

def fmt_time(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds * 1000:.0f} ms" if seconds < 1 else f"{seconds:.2f} s"


def fmt_rss(kb: int | None) -> str:
    return "–" if kb is None else f"{kb / 1024:.0f} MB"


def ratio_rows(jobs: dict[str, Job], large: dict, small: dict) -> list[dict]:
    rows = []

    def add(name, num, den, op, target, text, note=""):
        if num not in jobs or den not in jobs or not jobs[num].times or not jobs[den].times:
            return
        best = jobs[num].best / jobs[den].best
        med = jobs[num].median / jobs[den].median
        met = best <= target if op == "<=" else best >= target
        rows.append({"name": name, "value": round(best, 3), "median_value": round(med, 3),
                     "target": f"{'≤' if op == '<=' else '≥'} {text}", "target_value": target,
                     "op": op, "met": met, "note": note})

    add("(c)/(a) validate corpus vs PyYAML floor", "c", "a", "<=", 1.0, "1.0×")
    add("(b)/(c) check-jsonschema vs validate", "b", "c", ">=", 5.0, "5×")
    add("(d)/import yaml: validate one plan", "d", "y", "<=", 6.0, "6×")
    add("(e)/import yaml: beredskap --help", "e", "y", "<=", 2.5, "2.5×")
    add("(f)/(c) due corpus vs validate corpus", "f", "c", "<=", 1.0, "1.0× (f ≤ c)")
    add("(g)/raw: render vs pandoc+typst directly", "g", "g_raw", "<=", 1.3, "1.3×")
    add("(h)/validate --no-cache: report overview vs validate", "h", "h_base", "<=", 1.5,
        "1.5×")
    n_large, n_small = large["municipalities"], small["municipalities"]
    linear = n_large / n_small
    add(f"time(c, {n_large})/time(c, {n_small}) (scaling)", "c", "c_small", "<=", linear,
        f"{linear:.1f}× (linear)")
    if "c" in jobs and "c_small" in jobs and jobs["c"].rss_kb and jobs["c_small"].rss_kb:
        value = jobs["c"].max_rss / jobs["c_small"].max_rss
        rows.append({"name": f"RSS(c, {n_large})/RSS(c, {n_small}) (memory)", "value": round(value, 3),
                     "median_value": round(statistics.median(jobs["c"].rss_kb)
                                           / statistics.median(jobs["c_small"].rss_kb), 3),
                     "target": "≤ 1.5×", "target_value": 1.5, "op": "<=", "met": value <= 1.5,
                     "note": "max RSS"})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, help="large corpus size (455; 8 with --quick)")
    parser.add_argument("--small", type=int, help="small corpus size (45; 4 with --quick)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of every measurement (5)")
    parser.add_argument("--peer-repeat", type=int, default=3,
                        help="repetitions of (b), run after the others (3; at most --repeat)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--error-share", type=float, default=0.0,
                        help="share of plans with injected errors in the corpora (0)")
    parser.add_argument("--json", type=Path, help="write the results here (default: CACHE/results.json)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny corpora (8 and 4 municipalities), one repetition: a first look")
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help="comma list of the measurements to run, e.g. a,c,e (default: all)")
    parser.add_argument("--cache", type=Path, default=HERE / ".cache",
                        help="folder for corpora, the check-jsonschema venv and results")
    parser.add_argument("--beredskap", default=default_beredskap(), help="the beredskap command")
    parser.add_argument("--python", default=sys.executable,
                        help="Python with PyYAML for the floor and `import yaml` (default: this one)")
    parser.add_argument("--plan", type=Path, default=REPO / "plans" / "fjellvik",
                        help="the plan to render for (g)")
    parser.add_argument("--profile", action="store_true",
                        help="also profile one `validate` of the small corpus and print the top entries")
    args = parser.parse_args(argv)
    if args.municipalities is None:
        args.municipalities = 8 if args.quick else 455
    if args.small is None:
        args.small = 4 if args.quick else 45
    if args.quick:
        args.repeat = 1
    args.peer_repeat = max(1, min(args.peer_repeat, args.repeat))
    only = {x.strip() for x in args.only.replace(",", " ").split() if x.strip()}
    unknown = only - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurement(s) {', '.join(sorted(unknown))}; choose from a-h")
    if args.repeat < 1 or args.small < 1 or args.municipalities < 1:
        parser.error("--repeat, --small and --municipalities must be at least 1")
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    beredskap, python = args.beredskap, args.python

    large_root = corpus(cache, args.municipalities, args.seed, args.error_share)
    small_root = corpus(cache, args.small, args.seed, args.error_share)
    large, small = corpus_info(large_root), corpus_info(small_root)
    file_list = cache / f"{large_root.name}.files"
    file_list.write_text("\n".join(f["path"] for f in large["files"]) + "\n", encoding="utf-8")
    validate_ok = (0, 1) if args.error_share > 0 else (0,)

    jobs: dict[str, Job] = {}
    notes: dict[str, str] = {}
    versions = {"beredskap": version_of(python, "beredskap"), "pyyaml": version_of(python, "pyyaml"),
                "python": platform.python_version()}
    if "a" in only:
        jobs["a"] = Job("a", f"(a) PyYAML CSafeLoader, {large['yaml_files']:,} files",
                        [Command([python, "-c", FLOOR_SCRIPT, str(file_list)], large_root)])
    if "b" in only:
        exe, version = check_jsonschema(cache, python)
        versions["check-jsonschema"] = version
        commands = []
        by_kind: dict[str, list[str]] = {}
        for f in large["files"]:
            by_kind.setdefault(f["kind"], []).append(f["path"])
        for kind in sorted(by_kind):
            schema = SCHEMAS / f"{kind}.schema.json"
            for part in chunks(by_kind[kind]):
                commands.append(Command([str(exe), "--schemafile", str(schema), "--base-uri",
                                         schema.as_uri(), *part], large_root, ok=validate_ok))
        jobs["b"] = Job("b", f"(b) check-jsonschema, {len(commands)} processes", commands)
        if len(commands) > len(by_kind):
            notes["b"] = f"{len(commands)} processes for {len(by_kind)} kinds (command-line length)"
    if "c" in only:
        jobs["c"] = Job("c", f"(c) validate corpus, {large['municipalities']} plans",
                        [Command([beredskap, "validate", str(large_root), "--today", TODAY],
                                 large_root, ok=validate_ok)])
        jobs["c_small"] = Job("c_small", f"(c) validate corpus, {small['municipalities']} plans",
                              [Command([beredskap, "validate", str(small_root), "--today", TODAY],
                                       small_root, ok=validate_ok)])
    if "d" in only or "e" in only:
        jobs["y"] = Job("y", 'python -c "import yaml"', [Command([python, "-c", "import yaml"], REPO)])
    if "d" in only:
        one = median_plan(large)
        jobs["d"] = Job("d", f"(d) validate one plan ({one.rsplit('/', 1)[-1]})",
                        [Command([beredskap, "validate", one, "--today", TODAY], large_root,
                                 ok=validate_ok)])
    if "e" in only:
        jobs["e"] = Job("e", "(e) beredskap --help", [Command([beredskap, "--help"], REPO)])
    if "f" in only:
        jobs["f"] = Job("f", f"(f) due corpus, {large['municipalities']} plans",
                        [Command([beredskap, "due", str(large_root), "--fail-on", "none",
                                  "--format", "json", "--today", TODAY], large_root)])
    if "h" in only:
        report_out = cache / "report-overview.html"
        jobs["h"] = Job("h", f"(h) report corpus (HTML overview), {large['municipalities']} plans",
                        [Command([beredskap, "report", str(large_root), "--format", "html",
                                  "--out", str(report_out), "--today", TODAY], large_root,
                                 ok=validate_ok)])
        # the same plans checked from scratch: `report` keeps no results between runs,
        # so it is compared with a `validate` that does not either
        jobs["h_base"] = Job("h_base", f"(h) validate corpus without its result cache, "
                             f"{large['municipalities']} plans",
                             [Command([beredskap, "validate", str(large_root), "--no-cache",
                                       "--today", TODAY], large_root, ok=validate_ok)])
    if "g" in only:
        probe = subprocess.run([beredskap, "render", "--help"], capture_output=True, text=True)
        if probe.returncode != 0:
            first = (probe.stderr or probe.stdout).strip().splitlines()
            notes["g"] = ("skipped: `beredskap render` is not available in this version ("
                          + (first[-1] if first else f"exit {probe.returncode}") + ")")
        else:
            work = cache / "render"
            if work.exists():
                shutil.rmtree(work)
            (work / "md").mkdir(parents=True)
            prep = subprocess.run([beredskap, "render", str(args.plan), "--to", "md", "--out",
                                   str(work / "md")], capture_output=True, text=True)
            markdown = sorted((work / "md").glob("*.md"))
            if prep.returncode != 0 or not markdown:
                notes["g"] = ("skipped: `beredskap render --to md` failed: "
                              + (prep.stderr or prep.stdout).strip()[-300:])
            else:
                reference = next(iter(sorted((REPO / "templates").glob("reference.docx"))), None)

                def fresh(name: str) -> Path:
                    target = work / name
                    if target.exists():
                        shutil.rmtree(target)
                    target.mkdir()
                    return target

                jobs["g"] = Job("g", f"(g) render {args.plan.name} to docx, html, pdf",
                                lambda: [Command([beredskap, "render", str(args.plan), "--to",
                                                  "docx,html,pdf", "--out", str(fresh("out"))], REPO)])
                jobs["g_raw"] = Job("g_raw", "(g) pandoc + typst directly on its Markdown",
                                    lambda: [Command([python, "-c", RAW_RENDER_SCRIPT, str(markdown[0]),
                                                      str(fresh("raw")), str(reference or "")], REPO)])
                versions["pypandoc"] = version_of(python, "pypandoc-binary")
                versions["typst"] = version_of(python, "typst")

    warm(large_root, large)
    warm(small_root, small)
    order = [k for k in SHOWN if k in jobs and k != "b"]
    fingerprints = [source_fingerprint(python)]
    # (b) takes minutes per repetition: it goes last, on its own, so the short
    # measurements stay close together in time and it needs fewer repetitions
    rounds = [(rep, order) for rep in range(args.repeat)]
    if "b" in jobs:
        rounds += [(rep, ["b"]) for rep in range(args.peer_repeat)]
    for rep, keys in rounds:
        total = args.peer_repeat if keys == ["b"] else args.repeat
        for key in keys:
            job = jobs[key]
            run_job(job)
            say(f"[{rep + 1}/{total}] {job.label}: {fmt_time(job.times[-1])} "
                f"(CPU {fmt_time(job.cpu[-1])}), max RSS {fmt_rss(job.rss_kb[-1])}")
        fingerprints.append(source_fingerprint(python))
    if len(set(fingerprints)) > 1:
        changed = next(i for i, f in enumerate(fingerprints) if f != fingerprints[0])
        notes["source"] = (f"the beredskap source changed during the run (first seen after repetition "
                           f"{changed}): the repetitions measured different code; run again")

    rows = ratio_rows(jobs, large, small)
    failures = {k: j.failures for k, j in jobs.items() if j.failures}
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "processor": platform.machine(),
                    "rss_from": "GNU time (%M)" if GNU_TIME else "os.wait4 ru_maxrss (upper bound)"},
        "versions": versions,
        "source_fingerprints": fingerprints,
        "settings": {"municipalities": args.municipalities, "small": args.small, "repeat": args.repeat,
                     "peer_repeat": args.peer_repeat,
                     "seed": args.seed, "error_share": args.error_share, "quick": args.quick,
                     "only": sorted(only), "today": TODAY},
        "corpora": {name: {k: v for k, v in info.items() if k not in ("files", "plans")}
                    for name, info in (("large", large), ("small", small))},
        "measurements": {k: {"label": j.label, "times": [round(t, 4) for t in j.times],
                             "best": round(j.best, 4), "median": round(j.median, 4),
                             "cpu": [round(t, 4) for t in j.cpu],
                             "max_rss_kb": j.rss_kb, "exit_codes": j.codes,
                             "commands": [" ".join(c.argv[:3]) + (" …" if len(c.argv) > 3 else "")
                                          for c in j.resolve()][:10]}
                         for k, j in jobs.items()},
        "ratios": rows,
        "notes": notes,
        "failures": failures,
    }
    out = args.json or cache / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")

    print(f"\nberedskap {versions['beredskap']} · Python {versions['python']} · {os.cpu_count()} CPUs · "
          f"{result['date'][:10]} · best/median of {args.repeat}"
          + (f" ((b): {args.peer_repeat})" if "b" in jobs else ""))
    print(f"large corpus: {large['municipalities']} municipalities ({large['norway']} NO, {large['denmark']} DK), "
          f"{large['yaml_files']:,} files, {large['bytes'] / 1e6:.1f} MB; small: {small['municipalities']} "
          f"municipalities, {small['yaml_files']:,} files, {small['bytes'] / 1e6:.1f} MB\n")
    width = max([len(j.label) for j in jobs.values()] + [20])
    print(f"{'measurement':<{width}}  {'best':>9}  {'median':>9}  {'CPU (med.)':>10}  {'max RSS':>8}")
    for key in [k for k in SHOWN if k in jobs]:
        j = jobs[key]
        print(f"{j.label:<{width}}  {fmt_time(j.best):>9}  {fmt_time(j.median):>9}  "
              f"{fmt_time(statistics.median(j.cpu)):>10}  {fmt_rss(j.max_rss):>8}")
    if rows:
        width = max(len(r["name"]) for r in rows)
        print(f"\n{'ratio (best; median)':<{width}}  {'value':>7}  {'median':>7}  {'target':<20}  result")
        for r in rows:
            print(f"{r['name']:<{width}}  {r['value']:>6.2f}×  {r['median_value']:>6.2f}×  "
                  f"{r['target']:<20}  {'met' if r['met'] else 'NOT MET'}")
    for key, note in notes.items():
        print(f"\nnote ({key}): {note}")
    for key, messages in failures.items():
        print(f"\nFAILED ({key}), {len(messages)} time(s):\n{messages[0]}")
    print(f"\nresults written to {out}")

    if args.profile:
        profile(python, small_root)
    return 1 if failures else 0


def profile(python: str, root: Path) -> None:
    """cProfile of one `beredskap validate` of the (small) corpus: top cumulative entries."""
    stats = root.parent / "validate.prof"
    env = dict(os.environ, BEREDSKAP_WORKERS="1")  # in one process, so the profile sees the work
    subprocess.run([python, "-m", "cProfile", "-o", str(stats), "-m", "beredskapsplan", "validate",
                    str(root), "--today", TODAY], cwd=root, stdout=subprocess.DEVNULL, env=env)
    code = ("import pstats, sys\n"
            "pstats.Stats(sys.argv[1]).sort_stats('cumulative').print_stats(25)")
    print(f"\nprofile of `beredskap validate` over {root.name}, in one process "
          "(BEREDSKAP_WORKERS=1), top 25 by cumulative time:")
    subprocess.run([python, "-c", code, str(stats)])


if __name__ == "__main__":
    sys.exit(main())
