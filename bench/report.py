"""The benchmark's table: each figure, its target and PASS/FAIL, then a one-line summary."""

from typing import Any

SYNC_TARGET_S = 5.0
RATIO_TARGET = 0.3
RSS_TARGET_MB = 300.0


def _row(name: str, value: str, target: str, ok: bool | None) -> tuple[str, str, str, str]:
    return name, value, target, "" if ok is None else ("PASS" if ok else "FAIL")


def _rows(first: Any, tp: Any, big: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    sync_rps = first.rows / first.wall_s
    return [
        _row("initial seed sync: wall time", f"{first.wall_s:.2f} s", f"<= {SYNC_TARGET_S:g} s",
             first.wall_s <= SYNC_TARGET_S and not first.errors),
        _row("initial seed sync: rows taken", f"{first.rows:,}", "", None),
        _row("initial seed sync: rows/s", f"{sync_rps:,.0f} ({sync_rps / tp.copy_rps:.2f} x COPY)", "", None),
        _row("initial seed sync: worker peak RSS", f"{first.peak_rss_mb:.0f} MB", "", None),
        _row("raw COPY (reference)", f"{tp.copy_rps:,.0f} rows/s ({tp.rows:,} rows)", "", None),
        _row("upsert_many", f"{tp.upsert_rps:,.0f} rows/s ({tp.rows:,} rows)", "", None),
        _row("upsert / COPY", f"{tp.ratio:.2f} x", f">= {RATIO_TARGET:g} x", tp.ratio >= RATIO_TARGET),
        _row("80k-row stats page: worker peak RSS",
             f"{big['peak_rss_mb']:.0f} MB (idle {big['rss_before_mb']:.0f} MB)", f"<= {RSS_TARGET_MB:g} MB",
             big["peak_rss_mb"] <= RSS_TARGET_MB and not big["errors"]),
    ]  # fmt: skip


def print_report(first: Any, tp: Any, big: dict[str, Any]) -> bool:
    """Prints the table; True when every target is met."""
    rows = _rows(first, tp, big)
    widths = [max(len(r[i]) for r in [("figure", "measured", "target", "result"), *rows]) for i in range(4)]
    for r in [("figure", "measured", "target", "result"), *rows]:
        print("  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip())
    print(f"sync rows by source: {first.by_source}")
    print(f"80k page: stat_orders rows {big['stat_orders_rows']:,} (simulator: {big['truth_rows']:,}), "
          f"stats-only sync {big['wall_s']:.2f} s")  # fmt: skip
    for error in (*first.errors, *big["errors"]):
        print(f"ERROR {error}")
    verdicts = [r[3] for r in rows if r[3]]
    ok = all(v == "PASS" for v in verdicts)
    summary = "all targets met" if ok else "TARGET MISSED"
    figures = (
        f"sync {first.wall_s:.2f} s, upsert {tp.ratio:.2f} x COPY, 80k-page RSS {big['peak_rss_mb']:.0f} MB"
    )
    print(f"summary: {verdicts.count('PASS')}/{len(verdicts)} targets met ({summary}); {figures}")
    return ok
