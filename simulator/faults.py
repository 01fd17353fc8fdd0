"""Per-seller fault injection, driven by a RNG seeded from the seller seed (deterministic for a given
sequence of requests; re-seeded whenever faults are set).

Config keys (POST /__sim/sellers/{sid}/faults, merged into the current config):
  error_rate      fraction of requests answered 500/502/503 (JSON object, JSON list or plain-text bodies)
  latency_ms      added delay per request (real milliseconds); latency_jitter_ms adds uniform jitter
  malformed_rate  fraction of 200 answers whose body is invalid JSON
  truncated_rate  fraction of 200 answers cut mid-body (Content-Length promises more, connection closed)
  host_down       list of groups ("fbs", "stats_orders", ...) or path prefixes ("/api/v3/") that are down;
                  host_down_mode "503" (default) or "close" (connection dropped without an answer)
  force_429       {"group": g, "count": n, "retry": s} or a list of them: the next n requests of group g
                  ("*" = any) get 429 with X-Ratelimit-Retry s; counted as fault_429, not as violations
  fail_next       {"group": g, "count": n, "status": 500} or a list: the next n requests of g fail
  groups          optional list of groups the *_rate faults and latency apply to (default: all)
"""

import json
import random
from dataclasses import dataclass, field

from aiohttp import web

RATE_KEYS = ("error_rate", "malformed_rate", "truncated_rate")


@dataclass(slots=True)
class Faults:
    seed: int
    error_rate: float = 0.0
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    malformed_rate: float = 0.0
    truncated_rate: float = 0.0
    host_down: list[str] = field(default_factory=list)
    host_down_mode: str = "503"
    force_429: dict[str, list[float]] = field(default_factory=dict)  # group -> [count, retry]
    fail_next: dict[str, list[int]] = field(default_factory=dict)  # group -> [count, status]
    groups: list[str] | None = None
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        self.rng = random.Random(f"faults:{self.seed}")

    def update(self, cfg: dict) -> None:
        for k in (*RATE_KEYS, "latency_ms", "latency_jitter_ms"):
            if k in cfg:
                v = float(cfg[k])
                if v < 0 or (k in RATE_KEYS and v > 1):
                    raise ValueError(f"{k} out of range")
                setattr(self, k, v)
        if "host_down" in cfg:
            hd = cfg["host_down"]
            self.host_down = [hd] if isinstance(hd, str) else list(hd or [])
        if "host_down_mode" in cfg:
            if cfg["host_down_mode"] not in ("503", "close"):
                raise ValueError("host_down_mode must be '503' or 'close'")
            self.host_down_mode = cfg["host_down_mode"]
        if "groups" in cfg:
            self.groups = list(cfg["groups"]) if cfg["groups"] else None
        for item in _items(cfg.get("force_429")):
            self.force_429[item.get("group", "*")] = [int(item.get("count", 1)), float(item.get("retry", 1))]
        for item in _items(cfg.get("fail_next")):
            self.fail_next[item.get("group", "*")] = [int(item.get("count", 1)), int(item.get("status", 500))]
        self.rng = random.Random(f"faults:{self.seed}")

    def describe(self) -> dict:
        return {
            "error_rate": self.error_rate,
            "latency_ms": self.latency_ms,
            "latency_jitter_ms": self.latency_jitter_ms,
            "malformed_rate": self.malformed_rate,
            "truncated_rate": self.truncated_rate,
            "host_down": self.host_down,
            "host_down_mode": self.host_down_mode,
            "force_429": {g: {"count": c, "retry": r} for g, (c, r) in self.force_429.items()},
            "fail_next": {g: {"count": c, "status": s} for g, (c, s) in self.fail_next.items()},
            "groups": self.groups,
        }

    def applies(self, group: str) -> bool:
        return self.groups is None or group in self.groups

    def is_down(self, group: str, path: str) -> bool:
        return any(h == group or (h.startswith("/") and path.startswith(h)) for h in self.host_down)

    def _consume(self, table: dict[str, list], group: str) -> list | None:
        for g in (group, "*"):
            entry = table.get(g)
            if entry and entry[0] > 0:
                entry[0] -= 1
                return entry
        return None

    def take_force_429(self, group: str) -> float | None:
        entry = self._consume(self.force_429, group)
        return None if entry is None else float(entry[1])

    def take_fail_next(self, group: str) -> int | None:
        entry = self._consume(self.fail_next, group)
        return None if entry is None else int(entry[1])

    def roll(self, kind: str, group: str) -> bool:
        rate = getattr(self, kind)
        return rate > 0 and self.applies(group) and self.rng.random() < rate

    def latency_s(self, group: str) -> float:
        if not self.applies(group) or (self.latency_ms <= 0 and self.latency_jitter_ms <= 0):
            return 0.0
        return (self.latency_ms + self.rng.random() * self.latency_jitter_ms) / 1000


def _items(value) -> list[dict]:
    if not value:
        return []
    return [value] if isinstance(value, dict) else list(value)


def error_response(rng: random.Random, status: int | None = None) -> web.Response:
    """A 5xx (or the given status) with one of the body shapes real gateways produce."""
    status = status or rng.choice((500, 502, 503))
    text = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable"}.get(status, "Error")
    kind = rng.randrange(3)
    if kind == 0:
        body = {"title": text.lower(), "detail": "upstream error", "status": status, "statusText": text}
        return web.Response(status=status, text=json.dumps(body), content_type="application/json")
    if kind == 1:
        return web.Response(status=status, text=json.dumps([text.lower()]), content_type="application/json")
    html = f"<html><head><title>{status} {text}</title></head><body><center><h1>{status} {text}</h1></center>"
    return web.Response(
        status=status, text=html + "<hr><center>nginx</center></body></html>", content_type="text/html"
    )


def malformed(body: bytes, rng: random.Random) -> bytes:
    cut = max(1, len(body) // 2)
    return body[:cut] + rng.choice((b"}}{", b'","', b"\x00garbage", b"<!DOCTYPE html>"))
