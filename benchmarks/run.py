#!/usr/bin/env python3
"""The national-scale benchmark of `beredskap`.

    .venv/bin/python benchmarks/run.py [--municipalities 455] [--small 45] [--huge 4550]
                                       [--repeat 5] [--json out.json] [--quick] [--only a,c,e]

Generates (or reuses) corpora with benchmarks/generate.py in a cache folder
(benchmarks/.cache/ unless --cache is given), then measures, in one run and
interleaved (a, c, d, …, a, c, d, …), every process start to finish; then the
huge corpus (j, k) with fewer repetitions; then the peer (b) on its own (it
takes minutes per repetition):

  (a) floor: PyYAML's CSafeLoader loading every corpus file in one Python process
  (b) peer: check-jsonschema with the project's schemas over the same files
      (one process per file kind, times summed; installed in its own venv)
  (c) `beredskap validate CORPUS`, cold (empty result cache), at the large and the small size
  (d) `beredskap validate ONE_PLAN`, warm (result cache filled), against `python -c "import yaml"`
  (e) `beredskap --help` against `python -c "import yaml"`
  (f) `beredskap due CORPUS --fail-on none --format json`
  (g) `beredskap render plans/fjellvik --to docx,html,pdf` against pandoc and
      Typst run directly on the same Markdown
  (h) `beredskap report CORPUS --format html`: the auditor's overview, against
      `beredskap validate CORPUS --no-cache` (neither keeps results between runs)
  (i) `beredskap validate CORPUS`, warm: the unchanged corpus again, against (c)
  (j) `beredskap due` on the huge corpus: its memory against (f)
  (k) `beredskap report --format html` on the huge corpus: its memory against (h)
  (l) `beredskap validate ONE_PLAN --no-cache`, cold, against `python -c "import yaml"`

Every `beredskap` measurement has its own result cache folder
(BEREDSKAP_CACHE_DIR), emptied before each repetition of a cold measurement
and filled by one untimed run before a warm one. It prints best and median
times, CPU time, peak memory (the largest process from GNU time, and the sum
over the whole process tree sampled from /proc) and the ratios with their
targets. Run it with the project's Python (the one `beredskap` is installed
in); see benchmarks/README.md.
"""
from __future__ import annotations

import argparse
import atexit
import hashlib
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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
MEASUREMENTS = "abcdefghijkl"
# jobs, in table order
SHOWN = ("a", "b", "c", "c_small", "i", "d", "l", "y", "e", "f", "g", "g_raw", "h_base", "h", "j", "k")
HUGE = ("j", "k")  # on the huge corpus: after the interleaved rounds, before (b)
# a measurement that is judged against another brings it along under --only
BASES = {"i": "c", "j": "f", "k": "h"}
SAMPLE_SECONDS = 0.02  # how often the process tree's memory is sampled
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
    # "cold": its result cache folder is emptied before every repetition; "warm": it is
    # filled by one untimed run before the first; None: not a beredskap command
    cache: str | None = None
    cache_dir: Path | None = None  # its own BEREDSKAP_CACHE_DIR
    times: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)  # user + system seconds, workers included
    rss_kb: list[int] = field(default_factory=list)  # largest single process (GNU time)
    tree_kb: list[int] = field(default_factory=list)  # peak of the sum over the process tree
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

    @property
    def max_tree(self) -> int | None:
        return max(self.tree_kb) if self.tree_kb else None

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k != "BEREDSKAP_NO_CACHE"}
        if self.cache_dir is not None:
            env["BEREDSKAP_CACHE_DIR"] = str(self.cache_dir)
        return env


def _gnu_time() -> str | None:
    """GNU time, to read a child's peak memory without the runner's own counted in."""
    exe = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)
    if not exe:
        return None
    probe = subprocess.run([exe, "-f", "%M", "true"], capture_output=True, text=True)
    return exe if probe.returncode == 0 and probe.stderr.strip().isdigit() else None


GNU_TIME = _gnu_time()


HAVE_PROC = Path("/proc/self/statm").exists()
PAGE_KB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4
TREE_METHOD = (f"sum of RSS (/proc/PID/statm) over the command's process tree"
               f"{' (without GNU time itself)' if GNU_TIME else ''}, sampled every "
               f"{SAMPLE_SECONDS * 1000:.0f} ms in a thread; peak of the sums")


def _parent_pid(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/stat", "rb") as handle:
            text = handle.read()
    except OSError:
        return -1
    # the command name is in parentheses and may itself hold spaces or ')'
    fields = text[text.rindex(b")") + 2:].split()
    return int(fields[1]) if len(fields) > 1 else -1


def _rss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * PAGE_KB
    except (OSError, IndexError, ValueError):
        return 0


class TreeSampler(threading.Thread):
    """The peak of the summed RSS of a process and all its descendants, read from /proc.

    GNU time and wait4 give only the largest single process, but validate, due and
    report run worker processes. Pages shared between a parent and its forked workers
    count once per process, as `ps` would show them: an upper bound of what the tree
    holds. Processes that live shorter than one interval may be missed."""

    def __init__(self, root: int, skip_root: bool):
        super().__init__(daemon=True)
        self.root, self.skip_root = root, skip_root
        self.peak_kb = 0
        self._done = threading.Event()
        self._parents: dict[int, int] = {}  # every pid seen, so each stat file is read once

    def run(self) -> None:
        while True:
            self.sample()
            if self._done.wait(SAMPLE_SECONDS):
                return

    def stop(self) -> int:
        self._done.set()
        self.join()
        return self.peak_kb

    def sample(self) -> None:
        try:
            alive = {int(name) for name in os.listdir("/proc") if name.isdigit()}
        except OSError:
            return
        for pid in [p for p in self._parents if p not in alive]:
            del self._parents[pid]
        for pid in alive - self._parents.keys():
            self._parents[pid] = _parent_pid(pid)
        children: dict[int, list[int]] = {}
        for pid, parent in self._parents.items():
            children.setdefault(parent, []).append(pid)
        total, stack = 0, [self.root]
        while stack:
            pid = stack.pop()
            stack.extend(children.get(pid, ()))
            if pid != self.root or not self.skip_root:
                total += _rss_kb(pid)
        self.peak_kb = max(self.peak_kb, total)


def measure(cmd: Command, env: dict[str, str] | None = None) -> tuple[float, float, int, int, int, str]:
    """(seconds, CPU seconds, max RSS in KB, tree RSS in KB, exit code, tail of stderr)
    of one process.

    Peak memory comes from GNU time when it is installed: on Linux a child's
    ru_maxrss starts from its parent's size at fork, so measured directly from
    this (large) runner process it would be the runner's size, not the tool's.
    Without GNU time, os.wait4's figure is used and only an upper bound. For a
    command that starts worker processes it is the largest single process, not
    the sum; the sum over the process tree comes from TreeSampler (0 where /proc
    is missing). CPU seconds include every process of the command."""
    with tempfile.TemporaryFile() as err, tempfile.NamedTemporaryFile("r") as rss_file:
        argv = ([GNU_TIME, "-f", "%M", "-o", rss_file.name, *cmd.argv] if GNU_TIME else cmd.argv)
        start = time.perf_counter()
        proc = subprocess.Popen(argv, cwd=cmd.cwd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err, env=env)
        sampler = TreeSampler(proc.pid, skip_root=bool(GNU_TIME)) if HAVE_PROC else None
        if sampler:
            sampler.start()
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        tree = sampler.stop() if sampler else 0
        code = os.waitstatus_to_exitcode(status)
        proc.returncode = code
        err.seek(0)
        tail = err.read()[-2000:].decode("utf-8", "replace")
        rss = usage.ru_maxrss
        if GNU_TIME:
            lines = rss_file.read().split()
            rss = int(lines[-1]) if lines and lines[-1].isdigit() else rss
    return elapsed, usage.ru_utime + usage.ru_stime, rss, tree, code, tail


def empty(folder: Path) -> None:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)


def run_job(job: Job) -> None:
    if job.cache == "cold" and job.cache_dir is not None:
        empty(job.cache_dir)  # untimed: nothing from an earlier repetition is reused
    total, cpu, peak, tree, codes = 0.0, 0.0, 0, 0, []
    env = job.env()
    for cmd in job.resolve():
        seconds, cpu_seconds, rss, tree_kb, code, tail = measure(cmd, env)
        total += seconds
        cpu += cpu_seconds
        peak = max(peak, rss)
        tree = max(tree, tree_kb)
        codes.append(code)
        if code not in cmd.ok:
            job.failures.append(f"exit {code}: {' '.join(cmd.argv[:4])} …\n{tail.strip()}")
    job.times.append(total)
    job.cpu.append(cpu)
    job.rss_kb.append(peak)
    job.tree_kb.append(tree)
    job.codes.append(codes)


def fill(job: Job) -> None:
    """One untimed run of a warm measurement, so its result cache holds the corpus."""
    empty(job.cache_dir)
    for cmd in job.resolve():
        proc = subprocess.run(cmd.argv, cwd=cmd.cwd, stdin=subprocess.DEVNULL,
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=job.env())
        if proc.returncode not in cmd.ok:
            job.failures.append(f"exit {proc.returncode} while filling the cache: "
                                f"{' '.join(cmd.argv[:4])} …\n"
                                + proc.stderr[-2000:].decode("utf-8", "replace").strip())


def cache_files(folder: Path | None) -> int | None:
    """Stored results (one per plan and command) in a cache folder; the tool's own remembered
    digest (`tool/`) is not a result."""
    if folder is None:
        return None
    return sum(1 for p in folder.rglob("*") if p.is_file() and p.relative_to(folder).parts[0] != "tool")


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


def package_dir(python: str) -> Path | None:
    found = subprocess.run([python, "-c", "import beredskapsplan; print(beredskapsplan.__file__)"],
                           capture_output=True, text=True, cwd=HERE).stdout.strip()
    return Path(found).parent if found else None


def compile_package(python: str) -> str:
    """Bytecode for the package under test, written once before the rounds, untimed.

    An installed tool has its .pyc files; an editable install run where
    PYTHONDONTWRITEBYTECODE=1 is set would compile every module from source at
    every start, which on 2 December added about 70 ms to (d) and 15 ms to (e).
    Without this the first repetition would pay for writing them."""
    folder = package_dir(python)
    if folder is None:
        return "not compiled: beredskapsplan not found"
    proc = subprocess.run([python, "-m", "compileall", "-q", str(folder)], capture_output=True,
                          text=True)
    if proc.returncode != 0:
        return f"compiling {folder} failed: " + (proc.stderr or proc.stdout).strip()[-300:]
    return f"compiled before the run ({folder})"


def source_fingerprint(python: str) -> str:
    """A digest of the installed beredskapsplan package and the schemas, to notice
    when the code under test changes while the benchmark runs."""
    found = package_dir(python)
    digest = hashlib.sha256()
    for folder in ([found] if found else []) + [SCHEMAS]:
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


def ratio_rows(jobs: dict[str, Job], large: dict, small: dict, huge: dict | None) -> list[dict]:
    """Every ratio with its target. Times and CPU: best over best (the "value") and
    median over median. Memory: the highest peak over the highest, and median over median."""
    rows = []

    def add(name, num, den, op, target, text, metric="time", note=""):
        if num not in jobs or den not in jobs:
            return
        a, b = (getattr(jobs[k], {"time": "times", "cpu": "cpu", "rss": "rss_kb",
                                   "tree": "tree_kb"}[metric]) for k in (num, den))
        if not a or not b or (metric in ("rss", "tree") and not (min(a) and min(b))):
            return
        pick = max if metric in ("rss", "tree") else min
        value = pick(a) / pick(b)
        med = statistics.median(a) / statistics.median(b)
        met = value <= target if op == "<=" else value >= target
        rows.append({"name": name, "value": round(value, 3), "median_value": round(med, 3),
                     "target": f"{'≤' if op == '<=' else '≥'} {text}", "target_value": target,
                     "op": op, "met": met, "metric": metric, "of": [num, den], "note": note})

    add("(c)/(a) validate corpus vs PyYAML floor", "c", "a", "<=", 1.0, "1.0×")
    add("(c)/(a) CPU: validate corpus vs PyYAML floor", "c", "a", "<=", 1.0, "1.0×", metric="cpu",
        note="user + system time of all processes")
    add("(i)/(c) warm validate vs cold validate", "i", "c", "<=", 0.1, "0.1×")
    add("(b)/(c) check-jsonschema vs validate", "b", "c", ">=", 5.0, "5×")
    add("(d)/import yaml: validate one plan, warm", "d", "y", "<=", 4.0, "4×")
    add("(l)/import yaml: validate one plan, cold", "l", "y", "<=", 6.0, "6×")
    add("(e)/import yaml: beredskap --help", "e", "y", "<=", 2.5, "2.5×")
    add("(f)/(c) due corpus vs validate corpus", "f", "c", "<=", 1.0, "1.0× (f ≤ c)")
    add("(g)/raw: render vs pandoc+typst directly", "g", "g_raw", "<=", 1.3, "1.3×")
    add("(h)/validate --no-cache: report overview vs validate", "h", "h_base", "<=", 1.5,
        "1.5×")
    n_large, n_small = large["municipalities"], small["municipalities"]
    linear = n_large / n_small
    add(f"time(c, {n_large})/time(c, {n_small}) (scaling)", "c", "c_small", "<=", linear,
        f"{linear:.1f}× (linear)")
    add(f"RSS(c, {n_large})/RSS(c, {n_small}) (memory, process tree)", "c", "c_small", "<=", 1.5,
        "1.5×", metric="tree", note="sum over the process tree")
    add(f"RSS(c, {n_large})/RSS(c, {n_small}) (memory, largest process)", "c", "c_small", "<=",
        1.5, "1.5×", metric="rss", note="max RSS from GNU time")
    if huge is not None:
        n_huge = huge["municipalities"]
        add(f"RSS(j, {n_huge})/RSS(f, {n_large}) (due memory, process tree)", "j", "f", "<=", 1.5,
            "1.5×", metric="tree", note="sum over the process tree")
        add(f"RSS(k, {n_huge})/RSS(h, {n_large}) (report memory, process tree)", "k", "h", "<=",
            1.5, "1.5×", metric="tree", note="sum over the process tree")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--municipalities", type=int, help="large corpus size (455; 8 with --quick)")
    parser.add_argument("--small", type=int, help="small corpus size (45; 4 with --quick)")
    parser.add_argument("--huge", type=int,
                        help="huge corpus size for (j) and (k) (4550; 80 with --quick)")
    parser.add_argument("--repeat", type=int, default=5, help="repetitions of every measurement (5)")
    parser.add_argument("--peer-repeat", type=int, default=3,
                        help="repetitions of (b), run after the others (3; at most --repeat)")
    parser.add_argument("--huge-repeat", type=int, default=2,
                        help="repetitions of (j) and (k), run after the interleaved ones and "
                             "before (b) (2; at most --repeat)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--error-share", type=float, default=0.0,
                        help="share of plans with injected errors in the corpora (0)")
    parser.add_argument("--json", type=Path, help="write the results here (default: CACHE/results.json)")
    parser.add_argument("--quick", action="store_true",
                        help="tiny corpora (8, 4 and 80 municipalities), one repetition: a first look")
    parser.add_argument("--only", default=",".join(MEASUREMENTS),
                        help="comma list of the measurements to run, e.g. a,c,e (default: all, "
                             "a-l); i, j and k bring c, f and h along, which they are judged against")
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
    if args.huge is None:
        args.huge = 80 if args.quick else 4550
    if args.quick:
        args.repeat = 1
    args.peer_repeat = max(1, min(args.peer_repeat, args.repeat))
    args.huge_repeat = max(1, min(args.huge_repeat, args.repeat))
    only = {x.strip() for x in args.only.replace(",", " ").split() if x.strip()}
    unknown = only - set(MEASUREMENTS)
    if unknown:
        parser.error(f"unknown measurement(s) {', '.join(sorted(unknown))}; choose from a-l")
    only |= {BASES[k] for k in only if k in BASES}
    if args.repeat < 1 or args.small < 1 or args.municipalities < 1 or args.huge < 1:
        parser.error("--repeat, --small, --municipalities and --huge must be at least 1")
    cache = args.cache.resolve()
    cache.mkdir(parents=True, exist_ok=True)
    beredskap, python = args.beredskap, args.python

    large_root = corpus(cache, args.municipalities, args.seed, args.error_share)
    small_root = corpus(cache, args.small, args.seed, args.error_share)
    large, small = corpus_info(large_root), corpus_info(small_root)
    huge_root = corpus(cache, args.huge, args.seed, args.error_share) if only & set(HUGE) else None
    huge = corpus_info(huge_root) if huge_root else None
    # every beredskap measurement gets its own result cache folder in here: none sees
    # another's results, nor the user's own cache
    runs = Path(tempfile.mkdtemp(prefix="beredskap-bench-"))
    atexit.register(shutil.rmtree, runs, True)

    def tool(key: str, label: str, commands, cache_mode: str = "cold") -> Job:
        return Job(key, label, commands, cache=cache_mode, cache_dir=runs / key)
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
    def validate(root: Path, *extra: str) -> list[Command]:
        return [Command([beredskap, "validate", str(root), *extra, "--today", TODAY], root,
                        ok=validate_ok)]

    if "c" in only:
        # cold: the result cache is emptied before each repetition, as on a first run
        jobs["c"] = tool("c", f"(c) validate corpus, cold, {large['municipalities']} plans",
                         validate(large_root))
        jobs["c_small"] = tool("c_small", f"(c) validate corpus, cold, {small['municipalities']} plans",
                               validate(small_root))
    if "i" in only:
        jobs["i"] = tool("i", f"(i) validate corpus, warm, {large['municipalities']} plans",
                         validate(large_root), "warm")
    if only & {"d", "e", "l"}:
        jobs["y"] = Job("y", 'python -c "import yaml"', [Command([python, "-c", "import yaml"], REPO)])
    one = median_plan(large) if only & {"d", "l"} else ""
    # as pre-commit runs it: from the repository root, with the plan's relative path
    one_plan = [beredskap, "validate", one, "--today", TODAY]
    if "d" in only:
        jobs["d"] = tool("d", f"(d) validate one plan, warm ({one.rsplit('/', 1)[-1]})",
                         [Command(one_plan, large_root, ok=validate_ok)], "warm")
    if "l" in only:
        jobs["l"] = tool("l", f"(l) validate one plan, --no-cache ({one.rsplit('/', 1)[-1]})",
                         [Command([*one_plan, "--no-cache"], large_root, ok=validate_ok)])
    if "e" in only:
        jobs["e"] = tool("e", "(e) beredskap --help", [Command([beredskap, "--help"], REPO)])

    # `due` and `report` keep no results between runs (they have no --no-cache); their
    # own emptied cache folder keeps them computing should they ever start to
    def due(root: Path) -> list[Command]:
        return [Command([beredskap, "due", str(root), "--fail-on", "none", "--format", "json",
                         "--today", TODAY], root)]

    def report(root: Path, out: Path) -> list[Command]:
        return [Command([beredskap, "report", str(root), "--format", "html", "--out", str(out),
                         "--today", TODAY], root, ok=validate_ok)]

    if "f" in only:
        jobs["f"] = tool("f", f"(f) due corpus, {large['municipalities']} plans", due(large_root))
    if "h" in only:
        jobs["h"] = tool("h", f"(h) report corpus (HTML overview), {large['municipalities']} plans",
                         report(large_root, cache / "report-overview.html"))
        # the same plans checked from scratch: `report` keeps no results between runs,
        # so it is compared with a `validate` that does not either
        jobs["h_base"] = tool("h_base", f"(h) validate corpus --no-cache, "
                              f"{large['municipalities']} plans", validate(large_root, "--no-cache"))
    if huge is not None and "j" in only:
        jobs["j"] = tool("j", f"(j) due corpus, {huge['municipalities']} plans", due(huge_root))
    if huge is not None and "k" in only:
        jobs["k"] = tool("k", f"(k) report corpus (HTML overview), {huge['municipalities']} plans",
                         report(huge_root, cache / "report-overview-huge.html"))
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

                jobs["g"] = tool("g", f"(g) render {args.plan.name} to docx, html, pdf",
                                 lambda: [Command([beredskap, "render", str(args.plan), "--to",
                                                   "docx,html,pdf", "--out", str(fresh("out"))], REPO)])
                jobs["g_raw"] = Job("g_raw", "(g) pandoc + typst directly on its Markdown",
                                    lambda: [Command([python, "-c", RAW_RENDER_SCRIPT, str(markdown[0]),
                                                      str(fresh("raw")), str(reference or "")], REPO)])
                versions["pypandoc"] = version_of(python, "pypandoc-binary")
                versions["typst"] = version_of(python, "typst")

    warm(large_root, large)
    warm(small_root, small)
    if huge is not None:
        warm(huge_root, huge)
    bytecode = compile_package(python)
    if not bytecode.startswith("compiled"):
        notes["bytecode"] = bytecode
    for job in jobs.values():
        if job.cache == "warm":
            say(f"filling the result cache for {job.label} (untimed) …")
            fill(job)
    order = [k for k in SHOWN if k in jobs and k != "b" and k not in HUGE]
    huge_order = [k for k in HUGE if k in jobs]
    fingerprints = [source_fingerprint(python)]
    # the huge corpus takes minutes per measurement, and (b) minutes per repetition:
    # they go after the interleaved rounds, on their own, so the short measurements
    # stay close together in time, and they get fewer repetitions
    rounds = [(rep, order, args.repeat) for rep in range(args.repeat)]
    if huge_order:
        rounds += [(rep, huge_order, args.huge_repeat) for rep in range(args.huge_repeat)]
    if "b" in jobs:
        rounds += [(rep, ["b"], args.peer_repeat) for rep in range(args.peer_repeat)]
    for rep, keys, total in rounds:
        for key in keys:
            job = jobs[key]
            run_job(job)
            say(f"[{rep + 1}/{total}] {job.label}: {fmt_time(job.times[-1])} "
                f"(CPU {fmt_time(job.cpu[-1])}), max RSS {fmt_rss(job.rss_kb[-1])}, "
                f"tree {fmt_rss(job.tree_kb[-1] or None)}")
        fingerprints.append(source_fingerprint(python))
    if len(set(fingerprints)) > 1:
        changed = next(i for i, f in enumerate(fingerprints) if f != fingerprints[0])
        notes["source"] = (f"the beredskap source changed during the run (first seen after repetition "
                           f"{changed}): the repetitions measured different code; run again")

    rows = ratio_rows(jobs, large, small, huge)
    failures = {k: j.failures for k, j in jobs.items() if j.failures}
    largest = "GNU time (%M)" if GNU_TIME else "os.wait4 ru_maxrss (upper bound)"
    result = {
        "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "machine": {"cpus": os.cpu_count(), "platform": platform.platform(),
                    "processor": platform.machine(),
                    "rss_from": largest,
                    "rss_method": {"max_rss_kb": f"largest single process: {largest}",
                                   "tree_rss_kb": TREE_METHOD if HAVE_PROC else "none (no /proc)"}},
        "versions": versions,
        "source_fingerprints": fingerprints,
        "settings": {"municipalities": args.municipalities, "small": args.small, "repeat": args.repeat,
                     "peer_repeat": args.peer_repeat, "huge": args.huge if huge else None,
                     "huge_repeat": args.huge_repeat if huge else None,
                     "seed": args.seed, "error_share": args.error_share, "quick": args.quick,
                     "only": sorted(only), "today": TODAY, "bytecode": bytecode},
        "corpora": {name: {k: v for k, v in info.items() if k not in ("files", "plans")}
                    for name, info in (("large", large), ("small", small), ("huge", huge)) if info},
        "measurements": {k: {"label": j.label, "times": [round(t, 4) for t in j.times],
                             "best": round(j.best, 4), "median": round(j.median, 4),
                             "cpu": [round(t, 4) for t in j.cpu],
                             "cpu_best": round(min(j.cpu), 4),
                             "cpu_median": round(statistics.median(j.cpu), 4),
                             "max_rss_kb": j.rss_kb, "tree_rss_kb": j.tree_kb, "exit_codes": j.codes,
                             "cache": j.cache, "cache_files_at_end": cache_files(j.cache_dir),
                             "commands": [" ".join(c.argv[:3]) + (" …" if len(c.argv) > 3 else "")
                                          for c in j.resolve()][:10]}
                         for k, j in jobs.items() if j.times},
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
          f"municipalities, {small['yaml_files']:,} files, {small['bytes'] / 1e6:.1f} MB"
          + (f"; huge: {huge['municipalities']} municipalities, {huge['yaml_files']:,} files, "
             f"{huge['bytes'] / 1e6:.1f} MB, best/median of {args.huge_repeat}" if huge else "") + "\n")
    width = max([len(j.label) for j in jobs.values()] + [20])
    print(f"{'measurement':<{width}}  {'best':>9}  {'median':>9}  {'CPU (med.)':>10}  {'max RSS':>8}"
          f"  {'tree RSS':>8}")
    for key in [k for k in SHOWN if k in jobs and jobs[k].times]:
        j = jobs[key]
        print(f"{j.label:<{width}}  {fmt_time(j.best):>9}  {fmt_time(j.median):>9}  "
              f"{fmt_time(statistics.median(j.cpu)):>10}  {fmt_rss(j.max_rss):>8}  "
              f"{fmt_rss(j.max_tree or None):>8}")
    print("(max RSS: the largest single process; tree RSS: the sum over all its processes)")
    if rows:
        width = max(len(r["name"]) for r in rows)
        print(f"\n{'ratio (best, memory: highest; median)':<{width}}  {'value':>7}  {'median':>7}  "
              f"{'target':<20}  result")
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
    # --no-cache: the profile is of checking the plans, not of reading stored results
    subprocess.run([python, "-m", "cProfile", "-o", str(stats), "-m", "beredskapsplan", "validate",
                    str(root), "--no-cache", "--today", TODAY], cwd=root, stdout=subprocess.DEVNULL,
                   env=env)
    code = ("import pstats, sys\n"
            "pstats.Stats(sys.argv[1]).sort_stats('cumulative').print_stats(25)")
    print(f"\nprofile of `beredskap validate` over {root.name}, in one process "
          "(BEREDSKAP_WORKERS=1), top 25 by cumulative time:")
    subprocess.run([python, "-c", code, str(stats)])


if __name__ == "__main__":
    sys.exit(main())
