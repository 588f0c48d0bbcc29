#!/usr/bin/env python3
"""Times whole processes side by side and prints a Markdown table.

- `statewise analyze` on generated specs of 1k, 10k, 20k and 100k components
  (wall time and peak RSS), next to the serde_yaml parse floor (a tiny Rust
  program that only parses the same file into serde_yaml::Value);
- `statewise adr` vs adr-tools `adr new` vs adrs `new`, in folders of 500
  records;
- `statewise adr list` vs adr-tools `adr generate toc` vs adrs `list`;
- `statewise --version` vs /bin/true.

Runs alternate A, B, A, B so both see the same machine state; medians are
reported. Installs adr-tools (apt-get) and adrs (cargo install) when missing.
Usage: python3 benches/compare.py [--runs N] [--quick]
"""
import argparse, os, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ["rest-api", "chat", "database", "cart", "serverless-function", "game-server", "worker", "other"]
TRAFFIC = ["steady", "unpredictable", "predictable-peaks"]


def spec_text(n, lean=False):
    """The generator benches/engine.rs uses, in Python. `lean` keeps three
    criteria per component, so 100,000 of them stay under the 16 MiB a spec
    may have."""
    out = ["version: 1", "system:", "  name: Bench", "components:"]
    for i in range(n):
        out += [
            f"  - name: c{i}",
            f"    kind: {KINDS[i % len(KINDS)]}",
            f"    traffic: {TRAFFIC[i % len(TRAFFIC)]}",
            f"    latency_ms: {5 + (i * 37) % 500}",
        ]
        if not lean:
            out += [
                f"    context_rebuild_ms: {(i * 13) % 100}",
                f"    concurrent_clients: {1 + (i * 7919) % 100000}",
                f"    state_kb_per_client: {1 + (i * 31) % 256}",
                f"    memory_budget_mb: {100 + (i * 977) % 100000}",
            ]
    return "\n".join(out) + "\n"


def sh(cmd, **kw):
    return subprocess.run(cmd, check=True, **kw)


def run_timed(cmd, cwd=None, env=None, stdout=subprocess.DEVNULL):
    """Wall seconds and peak RSS in KiB of one run (GNU time gives RSS).
    A run that fails stops the script: a timing of an error is no timing."""
    with tempfile.NamedTemporaryFile("r") as t:
        start = time.perf_counter()
        done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", t.name] + cmd, cwd=cwd, env=env,
                              stdout=stdout, stderr=subprocess.PIPE, check=False)
        wall = time.perf_counter() - start
        if done.returncode != 0:
            sys.exit(f"{' '.join(cmd)} failed ({done.returncode}): {done.stderr.decode()[:300]}")
        rss = int((t.read().strip().splitlines() or ["0"])[-1])
    return wall, rss


def alternate(cmds, runs, **kw):
    """Runs each command `runs` times, interleaved; medians of (wall, rss)."""
    res = {name: ([], []) for name in cmds}
    for _ in range(runs):
        for name, cmd in cmds.items():
            w, r = run_timed(cmd() if callable(cmd) else cmd, **kw.get(name, {}))
            res[name][0].append(w)
            res[name][1].append(r)
    return {n: (statistics.median(w), statistics.median(r)) for n, (w, r) in res.items()}


def ensure_tools():
    if not shutil.which("adr"):
        sh(["apt-get", "update"], capture_output=True)
        sh(["apt-get", "install", "-y", "adr-tools", "time"], capture_output=True)
    if not os.path.exists("/usr/bin/time"):
        sh(["apt-get", "install", "-y", "time"], capture_output=True)
    if not shutil.which("adrs"):
        sh(["cargo", "install", "--locked", "adrs"])


def build_floor(work):
    crate = os.path.join(work, "floor")
    os.makedirs(os.path.join(crate, "src"))
    with open(os.path.join(crate, "Cargo.toml"), "w") as f:
        f.write('[package]\nname = "floor"\nversion = "0.1.0"\nedition = "2021"\n'
                '[dependencies]\nserde_yaml = "=0.9.34"\n[profile.release]\nlto = "thin"\n')
    with open(os.path.join(crate, "src", "main.rs"), "w") as f:
        f.write('fn main() { let p = std::env::args().nth(1).unwrap(); '
                'let t = std::fs::read_to_string(p).unwrap(); '
                'let v: serde_yaml::Value = serde_yaml::from_str(&t).unwrap(); '
                'std::hint::black_box(v); }\n')
    sh(["cargo", "build", "--release", "--quiet"], cwd=crate)
    return os.path.join(crate, "target", "release", "floor")


def seed_records(folder, n=500):
    os.makedirs(folder, exist_ok=True)
    for i in range(1, n + 1):
        with open(os.path.join(folder, f"{i:04d}-decision-{i}.md"), "w") as f:
            f.write(f"# {i}. Decision {i}\n\nDate: 2026-01-01\n\n## Status\n\nAccepted\n\n"
                    "## Context\n\nSome context.\n\n## Decision\n\nSome decision.\n\n"
                    "## Consequences\n\nSome consequences.\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=11)
    ap.add_argument("--quick", action="store_true", help="skip 100k and the peers")
    args = ap.parse_args()
    if not args.quick:
        ensure_tools()
    sh(["cargo", "build", "--release", "--quiet"], cwd=ROOT)
    sw = os.path.join(ROOT, "target", "release", "statewise")
    work = tempfile.mkdtemp(prefix="statewise-compare-")
    floor = build_floor(work)
    env = dict(os.environ, NO_COLOR="1", EDITOR="true", VISUAL="true")
    rows = []
    sizes = [1000, 10000, 20000] + ([] if args.quick else [100000])
    walls = {}
    for n in sizes:
        path = os.path.join(work, f"spec-{n}.yaml")
        with open(path, "w") as f:
            f.write(spec_text(n, lean=n >= 100000))
        runs = max(3, args.runs // (5 if n >= 100000 else 1))
        r = alternate({"floor": [floor, path], "table": [sw, "analyze", path],
                       "json": [sw, "analyze", path, "--format", "json"]}, runs)
        walls[n] = r["table"][0]
        for name in ("floor", "table", "json"):
            w, rss = r[name]
            label = "serde_yaml parse floor" if name == "floor" else f"statewise analyze ({name})"
            ratio = f"{w / r['floor'][0]:.2f}x floor" if name != "floor" else ""
            size = f"{n:,} components" + (" (3 criteria each)" if n >= 100000 else "")
            rows.append((f"{label}, {size}", f"{w * 1000:.1f} ms", f"{rss / 1024:.1f} MiB", ratio))
    if 10000 in walls and 20000 in walls:
        rows.append(("analyze 20k / 10k time", f"{walls[20000] / walls[10000]:.2f}", "", "target <= 2.2"))

    if not args.quick:
        ours, theirs, rust = (os.path.join(work, d) for d in ("ours", "theirs", "adrs"))
        for d in (ours, theirs, rust):
            os.makedirs(d)
            seed_records(os.path.join(d, "doc", "adr"))
            with open(os.path.join(d, ".adr-dir"), "w") as f:
                f.write("doc/adr\n")
        shutil.copy(os.path.join(ROOT, "examples", "web-shop.yaml"), os.path.join(ours, "statewise.yaml"))
        counter = iter(range(10**6))
        r = alternate({
            "statewise adr": lambda: [sw, "adr", "--title", f"Bench {next(counter)}"],
            "adr-tools adr new": lambda: ["adr", "new", f"Bench {next(counter)}"],
            "adrs new": lambda: ["adrs", "new", "--no-edit", f"Bench {next(counter)}"],
        }, args.runs, **{"statewise adr": {"cwd": ours, "env": env},
                          "adr-tools adr new": {"cwd": theirs, "env": env},
                          "adrs new": {"cwd": rust, "env": env}})
        base = r["adr-tools adr new"][0]
        for name, (w, rss) in r.items():
            rows.append((f"{name}, 500 records", f"{w * 1000:.1f} ms", f"{rss / 1024:.1f} MiB", f"{w / base:.2f}x adr-tools"))
        r = alternate({
            "statewise adr list": [sw, "adr", "list"],
            "adr-tools generate toc": ["adr", "generate", "toc"],
            "adrs list": ["adrs", "list"],
        }, 3, **{"statewise adr list": {"cwd": ours, "env": env},
                 "adr-tools generate toc": {"cwd": theirs, "env": env},
                 "adrs list": {"cwd": rust, "env": env}})
        for name, (w, rss) in r.items():
            rows.append((f"{name}, ~500 records", f"{w * 1000:.1f} ms", f"{rss / 1024:.1f} MiB", ""))

    r = alternate({"statewise --version": [sw, "--version"], "/bin/true": ["/bin/true"]}, args.runs * 3)
    diff = (r["statewise --version"][0] - r["/bin/true"][0]) * 1000
    for name, (w, rss) in r.items():
        rows.append((name, f"{w * 1000:.2f} ms", f"{rss / 1024:.1f} MiB", f"+{diff:.2f} ms" if name != "/bin/true" else ""))

    print(f"machine: {os.cpu_count()} cores, {sys.platform}; runs: {args.runs} (median)\n")
    print("| what | median wall | peak RSS | note |")
    print("| --- | --- | --- | --- |")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
