"""Spreading a week's cost that WB does not attribute to a SKU over the week's SKUs, to the kopeck."""

from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")


def to_kopecks(amount: Decimal) -> Decimal:
    """Roubles rounded to whole kopecks, half up (the one rounding rule of the weekly figures)."""
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


def weights_by_revenue(revenue_gross: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """Each SKU's share key: its revenue_gross when positive, else 0; all equal when no SKU has any."""
    weights = {nm: max(revenue, Decimal(0)) for nm, revenue in revenue_gross.items()}
    if not any(weights.values()):
        return dict.fromkeys(weights, Decimal(1))
    return weights


def spread(total: Decimal, weights: Mapping[int, Decimal]) -> dict[int, Decimal]:
    """`total` (rounded to kopecks first) in whole kopecks per key, proportional to `weights`.

    Largest remainder: every key gets the floor of its exact share, and the kopecks left over go one
    each to the largest fractional parts (ties: the smaller nm_id), so the parts add up to the rounded
    total exactly. A negative total (a refund) is spread the same way with its sign. Weights must be
    >= 0 with a positive sum; no keys gives no parts.
    """
    if not weights:
        return {}
    weight_sum = sum(weights.values(), Decimal(0))
    if weight_sum <= 0 or any(w < 0 for w in weights.values()):
        raise ValueError("weights must be >= 0 with a positive sum")
    return spread_scaled(total, scale_weights(weights))


def scale_weights(weights: Mapping[int, Decimal]) -> dict[int, int]:
    """The weights as integers in one common scale (a power of ten): exact, and the same proportions."""
    places = max(0, *(-int(w.as_tuple().exponent) for w in weights.values()))
    return {key: int(weight.scaleb(places)) for key, weight in weights.items()}


def spread_scaled(total: Decimal, scaled: Mapping[int, int]) -> dict[int, Decimal]:
    """`spread` over weights already scaled to integers (>= 0, positive sum): one scaling for the several
    amounts a week spreads over the same weights."""
    kopecks = int(to_kopecks(total) * 100)
    if kopecks == 0:
        return dict.fromkeys(scaled, Decimal(0))
    sign, whole = (-1, -kopecks) if kopecks < 0 else (1, kopecks)
    # Exact integer arithmetic: each key's share is whole * w / W, floor and remainder as integers over the
    # one denominator W (no Fractions).
    denominator = sum(scaled.values())
    floors: dict[int, int] = {}
    remainders: dict[int, int] = {}
    for key, weight in scaled.items():
        floors[key], remainders[key] = divmod(whole * weight, denominator)
    left = whole - sum(floors.values())
    for key in sorted(remainders, key=lambda k: (-remainders[k], k))[:left]:
        floors[key] += 1
    return {key: Decimal(sign * part) / 100 for key, part in floors.items()}
