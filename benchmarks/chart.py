"""Draw docs/benchmarks.png from a ``bench.py --json`` result: ignite_wire's throughput
over pyignite's and over the Java thin client's, per workload, with the targets.

    python benchmarks/chart.py results.json docs/benchmarks.png

matplotlib is in the ``bench`` extra only; nothing else imports it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

#: The issue's targets: workload -> (over pyignite, over Java)
TARGETS = {
    "W2": (2.0, 0.9),
    "W3": (4.0, 0.7),
    "W4 put_all": (20.0, 0.8),
    "W4 get_all": (20.0, 0.8),
    "W5": (20.0, 0.8),
    "W6": (20.0, 0.8),
}


def main(source: str, target: str) -> None:
    results: dict[str, Any] = json.loads(Path(source).read_text())
    rows = results["workloads"]
    names = [w for w in TARGETS if w in rows]
    fig, axes = plt.subplots(1, 2, figsize=(11, 4))
    for ax, other, index in ((axes[0], "pyignite", 0), (axes[1], "java", 1)):
        ratios = [rows[w][f"ours/{other}"] for w in names]
        goals = [TARGETS[w][index] for w in names]
        colors = ["tab:green" if r >= g else "tab:red" for r, g in zip(ratios, goals, strict=True)]
        xs = range(len(names))
        ax.bar(xs, ratios, color=colors)
        ax.scatter(xs, goals, marker="_", s=600, color="black", label="target", zorder=3)
        ax.axhline(1.0, color="grey", linewidth=0.8)
        ax.set_xticks(list(xs), names, rotation=20)
        ax.set_title(f"ignite_wire / {other} (throughput)")
        if other == "pyignite":
            ax.set_yscale("log")
        for x, r in zip(xs, ratios, strict=True):
            ax.annotate(f"{r:.2f}x", (x, r), ha="center", va="bottom", fontsize=8)
        ax.legend(loc="lower left")
    fig.suptitle(
        f"3 local nodes (production profile), medians of {results['repeat']} alternating runs;"
        " a shared 2-core machine"
    )
    fig.tight_layout()
    fig.savefig(target, dpi=90)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
