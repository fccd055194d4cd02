"""Pictures for the web app and the benchmarks (matplotlib, drawn off-screen)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

CJK_FONTS = ["Noto Sans CJK SC", "Noto Sans CJK JP", "WenQuanYi Zen Hei", "Droid Sans Fallback", "DejaVu Sans"]


def _plt():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    plt.rcParams["font.sans-serif"] = CJK_FONTS
    plt.rcParams["axes.unicode_minus"] = False
    return plt


def _parse(d: str) -> date | None:
    parts = [int(p) for p in d.split("-") if p.isdigit()]
    if not parts:
        return None
    y, m, dd = (parts + [1, 1])[:3]
    try:
        return date(y, m, dd)
    except ValueError:
        return None


def cases_timeline(cases, path: Path) -> Path | None:
    """One dot per case: date across, region down; undated cases are listed under the chart's title."""
    dated = [(c, _parse(c.date)) for c in cases]
    points = [(c, d) for c, d in dated if d]
    if not points:
        return None
    plt = _plt()
    regions = sorted({c.region for c, _ in points})
    # sized to stay readable when a phone shrinks it to its width: few inches, large type
    fig, ax = plt.subplots(figsize=(7, 0.75 * len(regions) + 1.8))
    for c, d in points:
        y = regions.index(c.region)
        ax.scatter([d], [y], s=60, color="#0969da", zorder=3)
        ax.annotate((c.institution or c.title)[:14], (d, y), textcoords="offset points", xytext=(6, 6), fontsize=12)
    ax.set_yticks(range(len(regions)), regions, fontsize=13)
    ax.tick_params(axis="x", labelsize=11)
    ax.grid(axis="x", alpha=0.3)
    undated = [c.region for c, d in dated if not d]
    ax.set_title("案例时间线" + (f"（另有 {len(undated)} 例日期不详：{'、'.join(undated[:4])}）" if undated else ""), fontsize=13)
    ax.margins(x=0.15, y=0.3)
    fig.autofmt_xdate()
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=130)
    plt.close(fig)
    return path
