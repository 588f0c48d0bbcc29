#!/usr/bin/env python3
"""Writes a large custom rule file, for timing `explain` and `adr` against
`analyze` on many rules (the tipping-point search once grew with the square
of the rule count).

Each rule compares one numeric criterion or derived fact with its own bound
(so every rule adds tipping-point candidates), some combine two tests with
`any`, `all` or `not`, and some test words. The same generator is in
benches/engine.rs (`rules_text`).

Usage: python3 benches/gen_rules.py N > rules.yaml
"""
import sys

NUMBERS = ["latency_ms", "context_rebuild_ms", "concurrent_clients", "state_kb_per_client",
           "memory_budget_mb", "availability", "state_memory_mb", "memory_headroom",
           "rebuild_share", "bandwidth_kbps"]
OPS = ["gt", "gte", "lt", "lte"]
WORDS = ["realtime: bidirectional", "traffic: unpredictable", "session: per-user", "shared_state: true"]


def bound(field, i):
    """A bound spread over the field's range, different for each rule."""
    if field == "availability":
        return 90 + (i * 7919 % 9999) / 1000
    if field in ("memory_headroom", "rebuild_share"):
        return (i * 7919 % 4000) / 1000
    return 1 + i * 7919 % 100000


def test(i):
    f = NUMBERS[i % len(NUMBERS)]
    return f"{f}: {{{OPS[i // len(NUMBERS) % len(OPS)]}: {bound(f, i)}}}"


def rules_text(n):
    out = []
    for i in range(n):
        shape = i % 5
        if shape == 0:
            when = f"{{any: [{{{test(i)}}}, {{{WORDS[i % len(WORDS)]}}}]}}"
        elif shape == 1:
            when = f"{{not: {{{test(i)}}}}}"
        elif shape == 2:
            when = f"{{{test(i)}, {WORDS[i % len(WORDS)]}}}"
        else:
            when = f"{{{test(i)}}}"
        out.append(f"- id: gen-{i}\n  title: Generated {i}\n  when: {when}\n"
                   f"  favors: {'stateful' if i % 2 else 'stateless'}\n  weight: {1 + i % 10}\n"
                   f"  because: Generated.\n")
    return "".join(out)


if __name__ == "__main__":
    sys.stdout.write(rules_text(int(sys.argv[1])))
