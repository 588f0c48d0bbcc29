#!/usr/bin/env python3
"""Times `statewise adr` against adr-tools' `adr new` in a folder of 500
records, alternating the two so both see the same machine state, then
`statewise adr list` against `adr generate toc` on the same folders.

Usage: python3 benches/adr_vs_adr_tools.py [RUNS]
Installs adr-tools with apt-get when it is missing; builds statewise in
release mode. Prints medians and the ratio; never fails on timing."""
import os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(sys.argv[1]) if len(sys.argv) > 1 else 30
RECORDS = 500


def ensure_adr_tools():
    if shutil.which("adr"):
        return
    subprocess.run(["apt-get", "update"], check=False, capture_output=True)
    subprocess.run(["apt-get", "install", "-y", "adr-tools"], check=True, capture_output=True)


def seed(folder):
    os.makedirs(folder)
    for n in range(1, RECORDS + 1):
        with open(os.path.join(folder, f"{n:04d}-decision-{n}.md"), "w") as f:
            f.write(f"# {n}. Decision {n}\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n"
                    "## Context\n\nSome context.\n\n## Decision\n\nSome decision.\n\n"
                    "## Consequences\n\nSome consequences.\n")


def timed(cmd, cwd, env):
    start = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main():
    ensure_adr_tools()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    statewise = os.path.join(ROOT, "target", "release", "statewise")
    work = tempfile.mkdtemp(prefix="statewise-bench-")
    ours, theirs = os.path.join(work, "ours"), os.path.join(work, "theirs")
    for d in (ours, theirs):
        os.makedirs(d)
        seed(os.path.join(d, "doc", "adr"))
        with open(os.path.join(d, ".adr-dir"), "w") as f:
            f.write("doc/adr\n")
    shutil.copy(os.path.join(ROOT, "examples", "web-shop.yaml"), os.path.join(ours, "statewise.yaml"))
    env = dict(os.environ, EDITOR="true", VISUAL="true", NO_COLOR="1")
    a, b = [], []
    for i in range(RUNS):
        a.append(timed([statewise, "adr", "--title", f"Bench {i}"], ours, env))
        b.append(timed(["adr", "new", f"Bench {i}"], theirs, env))
    ma, mb = statistics.median(a) * 1000, statistics.median(b) * 1000
    print(f"records in folder: {RECORDS} (+{RUNS} written by each tool)")
    print(f"statewise adr   median {ma:7.2f} ms")
    print(f"adr-tools adr new median {mb:7.2f} ms")
    print(f"ratio statewise / adr-tools: {ma / mb:.2f}")
    la, lb = [], []
    for _ in range(3):
        la.append(timed([statewise, "adr", "list"], ours, env))
        lb.append(timed(["adr", "generate", "toc"], theirs, env))
    print(f"statewise adr list      median {statistics.median(la) * 1000:9.2f} ms")
    print(f"adr-tools generate toc  median {statistics.median(lb) * 1000:9.2f} ms")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
