#!/usr/bin/env python3
"""Cap a fuzz corpus at N files while keeping as much edge coverage as it can.

`cargo fuzz cmin` keeps every file that adds a feature, which after a
10-minute run is still well over a thousand files. This script picks at most N:
first every named seed (a file whose name ends in `.yaml`, `.md` for
record_parsing or `.hbs` for template_rendering), then the file that
adds the most edges not yet covered, again and again (greedy set cover).

Usage, from fuzz/ (the target must be built: `cargo +nightly fuzz build`):

    python3 cap_corpus.py spec_pipeline 300

It replaces corpus/<target>/ with the chosen files and prints the share of
edges kept. Needs only the Python standard library.
"""

import os
import shutil
import subprocess
import sys
import tempfile

# Seeds keep their names: spec and rule files, decision records, templates.
SEEDS = (".yaml", ".md", ".hbs")


def main() -> None:
    target, cap = sys.argv[1], int(sys.argv[2])
    corpus = os.path.join("corpus", target)
    target_dir = os.environ.get("CARGO_TARGET_DIR", "target")
    binary = os.path.join(target_dir, "x86_64-unknown-linux-gnu", "release", target)
    with tempfile.TemporaryDirectory() as tmp:
        pool, out, control = (os.path.join(tmp, n) for n in ("pool", "out", "control"))
        shutil.copytree(corpus, pool)
        os.mkdir(out)
        # In set-cover mode libFuzzer writes every feature of every file;
        # without counters a feature is an edge.
        subprocess.run(
            [binary, "-merge=1", "-set_cover_merge=1", "-use_counters=0",
             f"-merge_control_file={control}", out, pool],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        lines = open(control).read().split("\n")
        count = int(lines[0])
        files = lines[2:2 + count]
        features = {}
        for line in lines[2 + count:]:
            parts = line.split()
            if parts and parts[0] == "FT":
                features[int(parts[1])] = set(parts[2:])
        everything = set().union(*features.values())
        chosen, covered = [], set()
        for i in list(features):
            if files[i].endswith(SEEDS):
                chosen.append(i)
                covered |= features.pop(i)
        seeds = len(chosen)
        while len(chosen) < cap and features:
            best = max(features, key=lambda i: (len(features[i] - covered), -os.path.getsize(files[i])))
            if not features[best] - covered:
                break
            chosen.append(best)
            covered |= features.pop(best)
        # libFuzzer skips empty files: keep the empty seeds too.
        empty = [f for f in os.listdir(pool) if f.endswith(SEEDS) and os.path.getsize(os.path.join(pool, f)) == 0]
        shutil.rmtree(corpus)
        os.mkdir(corpus)
        for i in chosen:
            shutil.copy(files[i], corpus)
        for f in empty:
            shutil.copy(os.path.join(pool, f), corpus)
        print(
            f"{target}: {count} files, {len(everything)} edges -> {seeds} named seeds + "
            f"{len(chosen) - seeds} others + {len(empty)} empty = {len(chosen) + len(empty)} files, "
            f"{len(covered)} edges ({100 * len(covered) / max(1, len(everything)):.2f}%)"
        )


if __name__ == "__main__":
    main()
