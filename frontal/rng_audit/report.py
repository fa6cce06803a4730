"""A month's RNG audit report: one JSON document and one self-contained HTML page.

``month_report(decks, month, ...)`` is a pure function (no I/O, no clock, no randomness)
of the month's stored decks (``server.rng_audit.store.month_decks``: uint8 (N, 52),
``games.cards`` encoding, position 0 dealt first) and returns :class:`MonthReport`
(``.json``: a dict ready for ``json.dumps``; ``.html``: a page with inline CSS and SVG,
no script, no external file). ``render_html(json)`` rebuilds the page from the JSON alone.

Sections, in order:

1. ``summary``: month, deals, deals per variant, overall verdict.
2. ``regulator_table``: the dealt-card statistics the regulator can recompute from the
   vault's POPARTIE (``from_vault.dealt_tests``), here computed from the Hold'em decks
   with the dealing order of the collection (``codec``): seat k of n holds positions k
   and n + k, flop 2n+1..2n+3, turn 2n+5, river 2n+7. Each deal's seats, sampled seat and
   last street come from its hand's recorded end (``layouts``, ``store.month_decks``), so
   the counts are exactly those ``from-vault`` recomputes from the same hands; deals
   without an end are left out and counted. Without ``layouts`` (decks from a shuffler,
   not from play) every deal is taken as ``assumed_seats`` seats (default 2) run out to
   the river and the JSON says "ASSUMED". Holm across the table.
3. ``deck_battery``: ``battery.run_battery`` (nine deck-order tests, Holm across them).
4. ``card_position``: the 52x52 card x position counts and standardized residuals.
5. ``power``: deals needed for 99 % power (``power.power_table``) and this month's power.
6. ``across_months``: per test, Kolmogorov-Smirnov of its p-values over the months given
   in ``previous`` plus this one (``multiple.p_value_uniformity``), Holm across tests.

Every test row has ``name``, ``null_hypothesis``, ``statistic``, ``df``, ``p_value``,
``holm_p_value`` and ``verdict`` (``fail`` iff the Holm-adjusted p < alpha).
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, fields
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from frontal.rng_audit import battery as bat
from frontal.rng_audit import power
from frontal.rng_audit.deck_counts import card_position_counts, check_decks
from frontal.rng_audit.dealt_cards import starting_class_probs
from frontal.rng_audit.from_vault import DealtCounts, _counts, dealt_tests
from frontal.rng_audit.layouts import DealLayouts
from frontal.rng_audit.multiple import holm_adjust, p_value_uniformity
from frontal.rng_audit.result import TestResult

FORMAT = "croupier-rng-audit-report/1"
RANKS, SUITS = "23456789TJQKA", "cdhs"
HOLDEM_CODE = 1  # server.rng_audit.codec.VARIANT_CODES["HOLDEM"] (kept here: frontal does not import server)
VARIANT_NAMES = {0: "UNKNOWN", 1: "HOLDEM", 2: "OMAHA"}  # codec.VARIANT_NAMES, stored format
#: p-values that are not continuous under the null: a KS test against U(0,1) does not apply.
DISCRETE_TESTS = ("battery/duplicate_decks",)
CHUNK = 1 << 18  # deals per step of the dealt-card counts
HEAT_CLAMP = 4.0  # |z| at which the heat map colour saturates

Progress = Callable[[str], None]


@dataclass(frozen=True)
class MonthReport:
    json: dict[str, Any]
    html: str


def card_name(card: int) -> str:
    return RANKS[card >> 2] + SUITS[card & 3]


def starting_class_labels() -> list[str]:
    """Labels in ``dealt_cards.starting_class`` order: 13 pairs, 78 suited, 78 offsuit."""
    pairs = [RANKS[r] * 2 for r in range(13)]
    unpaired = [""] * 78
    for hi in range(1, 13):
        for lo in range(hi):
            unpaired[hi * (hi - 1) // 2 + lo] = RANKS[hi] + RANKS[lo]
    return pairs + [u + "s" for u in unpaired] + [u + "o" for u in unpaired]


def holdem_counts(decks: np.ndarray, seats: np.ndarray, streets: np.ndarray,
                  sample_index: np.ndarray | None = None) -> DealtCounts:
    """``from_vault.dealt_counts_from_decks`` vectorised by seat count (sample seat: dealing
    index ``sample_index[d]``, default 0, the first seat dealt)."""
    decks = np.asarray(decks)
    sample = np.zeros(len(decks), np.int64) if sample_index is None else np.asarray(sample_index, np.int64)
    if np.any((sample < 0) | (sample >= seats)):
        raise ValueError("a sample index outside the deal's seats")
    holes, samples = [], []
    boards = np.full((len(decks), 5), -1, np.int64)
    for n in np.unique(seats):
        rows = np.flatnonzero(seats == n)
        cols = np.concatenate([np.arange(2 * n), 2 * n + np.array([1, 2, 3, 5, 7])])
        sub = decks[np.ix_(rows, cols)].astype(np.int64)  # only the dealt positions
        holes.append(np.stack([sub[:, [i, n + i]] for i in range(n)], axis=1).reshape(-1, 2))
        local, k = np.arange(len(rows)), sample[rows]
        samples.append(np.stack([sub[local, k], sub[local, n + k]], axis=1))
        boards[rows] = sub[:, 2 * n:]
    cut = np.array([0, 3, 4, 5])[streets]
    boards = np.where(np.arange(5)[None, :] < cut[:, None], boards, -1)
    empty = np.zeros((0, 2), np.int64)
    return _counts(np.concatenate(holes) if holes else empty, np.concatenate(samples) if samples else empty,
                   boards, streets)


def _rows(results: Sequence[TestResult], alpha: float, prefix: str = "") -> list[dict[str, Any]]:
    adjusted = holm_adjust([r.p_value for r in results])
    return [{"name": prefix + r.name, "null_hypothesis": r.null_hypothesis, "statistic": r.statistic, "df": r.df,
             "p_value": r.p_value, "holm_p_value": float(h), "verdict": "fail" if h < alpha else "pass",
             "detail": bat._plain(r.detail)} for r, h in zip(results, adjusted)]


def _regulator_table(decks: np.ndarray, variants: np.ndarray | None, alpha: float,
                     layouts: DealLayouts | None, assumed_seats: int) -> dict[str, Any]:
    if variants is None:
        chosen = np.arange(len(decks))
        variant_note = "no variant codes given: every deal taken as Hold'em"
    else:
        chosen = np.flatnonzero(np.asarray(variants) == HOLDEM_CODE)
        variant_note = ("Hold'em deals only (variant code 1); Omaha deals four hole cards and UNKNOWN deals "
                        "(a table the rooms no longer know) have no known dealing layout")
    unended = 0
    if layouts is None:
        seats = np.full(len(chosen), assumed_seats, np.int64)
        sample = np.zeros(len(chosen), np.int64)
        seats_note = (f"ASSUMED: no hand ends were given; every deal is taken as {assumed_seats} seats, the first "
                      f"seat dealt sampled (positions 0 and {assumed_seats})")
        streets = np.full(len(chosen), 3, np.int64)
        streets_note = ("ASSUMED: no hand ends were given; every deal is run out to the river (the board the deck "
                        "would have dealt)")
    else:
        ended = np.asarray(layouts.seats)[chosen] > 0
        unended = int(len(chosen) - ended.sum())
        chosen = chosen[ended]
        seats = np.asarray(layouts.seats, np.int64)[chosen]
        sample = np.asarray(layouts.sample_index, np.int64)[chosen]
        streets = np.asarray(layouts.streets, np.int64)[chosen]
        seats_note = ("Seats dealt in and the sampled seat (the lowest seat number, as from-vault picks the lowest "
                      "JSiege) as each hand recorded them at its end")
        streets_note = (f"Board cards counted up to the last street each hand dealt; {unended} Hold'em deals whose "
                        "hand has no recorded end (cut by a restart, or its end lost in a crash) are left out, as "
                        "the vault holds no complete hand for them")
    if np.any((seats < 2) | (seats > 10)) or np.any((streets < 0) | (streets > 3)):
        raise ValueError("2..10 seats and streets 0..3 only")
    counts = None  # summed over chunks: memory stays bounded on a 10^7-deal month
    for start in range(0, len(chosen), CHUNK):
        part = slice(start, start + CHUNK)
        c = holdem_counts(decks[chosen[part]], seats[part], streets[part], sample[part])
        counts = c if counts is None else DealtCounts(*(getattr(counts, f.name) + getattr(c, f.name)
                                                        for f in fields(DealtCounts)))
    if counts is None:
        counts = holdem_counts(decks[:0], seats, streets)
    results = dealt_tests(counts) if len(chosen) else []
    rows = _rows(results, alpha)
    return {
        "source": ("Dealt-card statistics only: the regulator recomputes every one of them from the vault's POPARTIE "
                   "records (`croupier rng-audit from-vault`, frontal/rng_audit/from_vault.py)"),
        "dealing_order": ("Seat k of n (from left of the button) holds deck positions k and n+k; burn 2n, flop "
                          "2n+1..2n+3, burn 2n+4, turn 2n+5, burn 2n+6, river 2n+7; one hand per deal = the "
                          "sampled seat"),
        "variants": variant_note, "seats": seats_note, "streets": streets_note,
        "deals_used": int(len(chosen)), "deals_without_end": unended,
        "multiple_testing": "Holm-Bonferroni across this table; a row fails iff its Holm-adjusted p < alpha",
        "passed": all(r["verdict"] == "pass" for r in rows),
        "tests": rows,
        "counts": counts.as_dict(),
    }


def _card_position(decks: np.ndarray, counts: np.ndarray) -> dict[str, Any]:
    n = decks.shape[0]
    expected = n / 52
    sd = math.sqrt(n * (1 / 52) * (51 / 52)) if n else 1.0
    z = (counts - expected) / sd
    return {"rows": "card (games.cards index: rank*4 + suit, 0 = 2c .. 51 = As)", "columns": "position 0..51",
            "expected": expected,
            "standardized_residual": "z = (count - N/52) / sqrt(N (1/52)(51/52)), binomial under the null",
            "max_abs_residual": float(np.abs(z).max()) if n else 0.0,
            "counts": counts.tolist(), "residuals": np.round(z, 4).tolist()}


def _power(n_deals: int, alpha: float) -> dict[str, Any]:
    deltas = (0.01, 0.05, 0.10)
    return {"alternative": ("One card at one position with probability (1+delta)/52, table kept doubly stochastic "
                            "(frontal/rng_audit/power.py)"),
            "deals_for_99_percent_power": power.power_table(deltas, alpha),
            "this_month": [{"relative_excess": d, "deals": n_deals,
                            "power_named_cell": power.named_cell_power(n_deals, d, alpha) if n_deals else 0.0,
                            "power_anywhere_52x52": power.full_table_power(n_deals, d, alpha) if n_deals else 0.0}
                           for d in deltas]}


def month_p_values(document: Mapping[str, Any]) -> dict[str, float]:
    """``{"regulator/<name>" | "battery/<name>": p}`` of a report's JSON (for ``previous``)."""
    out = {f"regulator/{r['name']}": float(r["p_value"]) for r in document["regulator_table"]["tests"]}
    out.update({f"battery/{r['name']}": float(r["p_value"]) for r in document["deck_battery"]["tests"]})
    return out


def _across_months(month: str, current: dict[str, float], previous: Mapping[str, Mapping[str, float]] | None,
                   alpha: float) -> dict[str, Any]:
    months = sorted(m for m in (previous or {}) if m < month)
    if not months:
        return {"months": [month], "note": "No previous month given: the uniformity of p-values across months "
                                           "needs at least one earlier month", "tests": []}
    results = []
    for name, p in current.items():
        if name in DISCRETE_TESTS:
            continue
        series = [float(previous[m][name]) for m in months if name in previous[m]] + [p]  # type: ignore[index]
        if len(series) >= 2:
            r = p_value_uniformity(series, name)
            r.detail["p_values"] = series
            results.append(r)
    return {"months": months + [month],
            "method": "per test, Kolmogorov-Smirnov of its monthly p-values against U(0,1); Holm across tests; "
                      f"not for discrete p-values ({', '.join(DISCRETE_TESTS)})",
            "tests": _rows(results, alpha)}


def month_report(decks: np.ndarray, month: str, variants: np.ndarray | None = None, alpha: float = 0.01,
                 previous: Mapping[str, Mapping[str, float]] | None = None,
                 layouts: DealLayouts | None = None, assumed_seats: int = 2,
                 progress: Progress | None = None) -> MonthReport:
    """The month's report. ``previous``: earlier months' ``month_p_values`` (month -> name -> p)."""
    say = progress or (lambda _msg: None)
    decks = np.asarray(decks)
    if decks.ndim != 2 or decks.shape[1] != 52 or decks.shape[0] < 2:
        raise ValueError(f"need at least 2 decks of 52 cards, got shape {decks.shape}")
    if not 0.0 < alpha < 1.0:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    check_decks(decks)
    n = int(decks.shape[0])
    per_variant: dict[str, int] = {}
    if variants is not None:
        codes, k = np.unique(np.asarray(variants), return_counts=True)
        per_variant = {VARIANT_NAMES.get(int(c), f"code {int(c)}"): int(x) for c, x in zip(codes, k)}
    say(f"regulator table (dealt cards) on {n} deals")
    if layouts is not None and not len(layouts.seats) == len(layouts.sample_index) == len(layouts.streets) == len(decks):
        raise ValueError("one hand end (seats, sample index, street) per deal")
    regulator = _regulator_table(decks, variants, alpha, layouts, assumed_seats)
    say("full-deck battery")
    counts = card_position_counts(decks)  # decks checked above: counted once for the battery and the table
    battery = bat.run_battery(decks, alpha, card_position=counts).to_json()
    say("card x position table, power")
    document: dict[str, Any] = {
        "format": FORMAT,
        "summary": {"month": month, "deals": n, "per_variant": per_variant, "alpha": alpha,
                    "regulator_table_passed": regulator["passed"], "deck_battery_passed": battery["passed"],
                    "passed": bool(regulator["passed"] and battery["passed"])},
        "card_encoding": ("card = rank*4 + suit; rank 0 = deuce .. 12 = ace; suit 0..3 = c, d, h, s; "
                          "decks[d][p] is the card at position p of deal d, position 0 dealt first"),
        "null_hypothesis": "deck orders are independent, uniformly random permutations of the 52 cards",
        "regulator_table": regulator,
        "deck_battery": battery,
        "card_position": _card_position(decks, counts),
        "power": _power(n, alpha),
    }
    document["across_months"] = _across_months(month, month_p_values(document), previous, alpha)
    document["summary"]["across_months_passed"] = all(r["verdict"] == "pass" for r in document["across_months"]["tests"])
    say("rendering")
    document = bat._plain(document)
    return MonthReport(document, render_html(document))


# ------------------------------------------------------------------ HTML

CSS = """body{font-family:sans-serif;margin:2em;max-width:80em;color:#222}
table{border-collapse:collapse;margin:1em 0;font-size:90%}th,td{border:1px solid #bbb;padding:3px 6px;text-align:left}
th{background:#eee}td.num{text-align:right;font-family:monospace}.fail{color:#b00;font-weight:bold}
.pass{color:#070}p.note{font-size:90%;color:#444}svg{display:block;margin:1em 0}"""


def _e(value: Any) -> str:
    return html.escape(str(value), quote=True)


def _num(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, (int, float)):
        return f"{value:.6g}"
    return _e(value)


def _verdict(v: str) -> str:
    return f'<span class="{"fail" if v == "fail" else "pass"}">{_e(v.upper())}</span>'


def _test_table(rows: Sequence[Mapping[str, Any]]) -> str:
    if not rows:
        return "<p class=\"note\">no test</p>"
    out = ["<table><tr><th>test</th><th>null hypothesis</th><th>statistic</th><th>df</th><th>p-value</th>"
           "<th>Holm p-value</th><th>verdict</th></tr>"]
    for r in rows:
        out.append(f"<tr><td>{_e(r['name'])}</td><td>{_e(r['null_hypothesis'])}</td><td class=\"num\">"
                   f"{_num(r['statistic'])}</td><td class=\"num\">{_num(r['df'])}</td><td class=\"num\">"
                   f"{_num(r['p_value'])}</td><td class=\"num\">{_num(r['holm_p_value'])}</td><td>"
                   f"{_verdict(r['verdict'])}</td></tr>")
    out.append("</table>")
    return "".join(out)


def _colour(z: float) -> str:
    t = max(-1.0, min(1.0, z / HEAT_CLAMP))
    if t >= 0:
        return f"rgb(255,{round(255 * (1 - t))},{round(255 * (1 - t))})"
    return f"rgb({round(255 * (1 + t))},{round(255 * (1 + t))},255)"


def heat_map_svg(residuals: Sequence[Sequence[float]]) -> str:
    cell, left, top = 9, 34, 22
    size = 52 * cell
    parts = [f'<svg id="heatmap" xmlns="http://www.w3.org/2000/svg" width="{left + size + 120}" '
             f'height="{top + size + 30}" font-size="8">']
    for p in range(0, 52, 5):
        parts.append(f'<text x="{left + p * cell + 1}" y="{top - 6}">{p}</text>')
    for c in range(52):
        y = top + c * cell
        parts.append(f'<text x="2" y="{y + cell - 1}">{card_name(c)}</text>')
        for p in range(52):
            z = float(residuals[c][p])
            parts.append(f'<rect x="{left + p * cell}" y="{y}" width="{cell}" height="{cell}" fill="{_colour(z)}">'
                         f'<title>{card_name(c)} at position {p}: z = {z:.2f}</title></rect>')
    parts.append(f'<text x="{left}" y="{top + size + 18}" font-size="10">position (0 dealt first) &#8594; '
                 f'rows: cards 2c..As</text>')
    lx = left + size + 20
    for i, z in enumerate(np.linspace(HEAT_CLAMP, -HEAT_CLAMP, 9)):
        parts.append(f'<rect x="{lx}" y="{top + i * 18}" width="14" height="18" fill="{_colour(float(z))}"/>'
                     f'<text x="{lx + 18}" y="{top + i * 18 + 12}" font-size="10">z = {z:+.0f}</text>')
    parts.append("</svg>")
    return "".join(parts)


def histogram_svg(p_values: Sequence[float], bins: int = 20) -> str:
    counts = np.histogram(np.asarray(p_values, float), bins=bins, range=(0.0, 1.0))[0]
    expected = len(p_values) / bins
    w, h, left, top = 24, 200, 40, 10
    peak = max(float(counts.max()) if len(counts) else 1.0, expected, 1.0) * 1.1
    parts = [f'<svg id="pvalue-histogram" xmlns="http://www.w3.org/2000/svg" width="{left + bins * w + 20}" '
             f'height="{top + h + 40}" font-size="10">']
    for i, c in enumerate(counts):
        bh = h * c / peak
        parts.append(f'<rect x="{left + i * w}" y="{top + h - bh:.1f}" width="{w - 2}" height="{bh:.1f}" '
                     f'fill="#6a8fc8"><title>p in [{i / bins:.2f}, {(i + 1) / bins:.2f}): {int(c)}</title></rect>')
    ey = top + h - h * expected / peak
    parts.append(f'<line x1="{left}" y1="{ey:.1f}" x2="{left + bins * w}" y2="{ey:.1f}" stroke="#c00" '
                 f'stroke-dasharray="4 2"/><text x="{left + bins * w - 110}" y="{ey - 3:.1f}" fill="#c00">'
                 f'uniform: {expected:.1f} per bin</text>')
    parts.append(f'<line x1="{left}" y1="{top + h}" x2="{left + bins * w}" y2="{top + h}" stroke="#000"/>')
    for t in (0.0, 0.25, 0.5, 0.75, 1.0):
        parts.append(f'<text x="{left + t * bins * w - 8:.1f}" y="{top + h + 14}">{t:g}</text>')
    parts.append(f'<text x="2" y="{top + 10}">{int(counts.max()) if len(counts) else 0}</text>')
    parts.append(f'<text x="{left}" y="{top + h + 32}">p-value ({len(p_values)} values)</text></svg>')
    return "".join(parts)


def starting_hands_svg(observed: Sequence[float], expected: Sequence[float], labels: Sequence[str]) -> str:
    w, h, left, top = 5, 220, 44, 10
    obs, exp = np.asarray(observed, float), np.asarray(expected, float)
    peak = max(float(obs.max()), float(exp.max()), 1.0) * 1.1
    parts = [f'<svg id="starting-hands" xmlns="http://www.w3.org/2000/svg" width="{left + 169 * w + 20}" '
             f'height="{top + h + 44}" font-size="10">']
    for i in range(169):
        bh = h * obs[i] / peak
        ey = top + h - h * exp[i] / peak
        parts.append(f'<rect x="{left + i * w}" y="{top + h - bh:.1f}" width="{w - 1}" height="{bh:.1f}" '
                     f'fill="#6a8fc8"><title>{_e(labels[i])}: observed {int(obs[i])}, expected {exp[i]:.1f}'
                     f'</title></rect><line x1="{left + i * w - 0.5}" y1="{ey:.1f}" x2="{left + i * w + w - 0.5}" '
                     f'y2="{ey:.1f}" stroke="#c00" stroke-width="1.5"/>')
    for start, name in ((0, "pairs"), (13, "suited"), (91, "offsuit")):
        x = left + start * w
        parts.append(f'<line x1="{x}" y1="{top}" x2="{x}" y2="{top + h}" stroke="#888"/>'
                     f'<text x="{x + 2}" y="{top + h + 14}">{name}</text>')
    parts.append(f'<text x="2" y="{top + 10}">{int(peak / 1.1)}</text>'
                 f'<text x="{left}" y="{top + h + 32}">169 starting-hand classes (one hand per deal); bars observed, '
                 f'red ticks expected (6, 4 or 12 in 1326)</text></svg>')
    return "".join(parts)


def _p_values_for_histogram(document: Mapping[str, Any]) -> list[float]:
    values = []
    for r in document["deck_battery"]["tests"]:
        detail = r.get("detail") or {}
        values.extend(detail["p_values"] if isinstance(detail.get("p_values"), list) else [r["p_value"]])
    values.extend(r["p_value"] for r in document["regulator_table"]["tests"])
    return [float(v) for v in values]


def render_html(document: Mapping[str, Any]) -> str:
    """The page, from the JSON document alone."""
    s, reg, batt = document["summary"], document["regulator_table"], document["deck_battery"]
    month = _e(s["month"])
    variants = ", ".join(f"{_e(k)} {v}" for k, v in s["per_variant"].items()) or "not given"
    counts = reg["counts"]
    observed = counts["sample_classes"]
    total = sum(observed)
    expected = (starting_class_probs() * total).tolist()
    p_hist = _p_values_for_histogram(document)
    power_rows = "".join(
        f"<tr><td class=\"num\">{r['relative_excess']:.0%}</td><td class=\"num\">{r['alpha']}</td>"
        f"<td class=\"num\">{r['deals_named_cell']:,}</td><td class=\"num\">{r['deals_anywhere_52x52']:,}</td></tr>"
        for r in document["power"]["deals_for_99_percent_power"])
    this_month = "".join(
        f"<tr><td class=\"num\">{r['relative_excess']:.0%}</td><td class=\"num\">{r['power_named_cell']:.3f}</td>"
        f"<td class=\"num\">{r['power_anywhere_52x52']:.3f}</td></tr>" for r in document["power"]["this_month"])
    across = document["across_months"]
    across_html = (f"<p class=\"note\">{_e(across['note'])}</p>" if "note" in across else
                   f"<p class=\"note\">months: {_e(', '.join(across['months']))}. {_e(across['method'])}</p>"
                   + _test_table(across["tests"]))
    cp = document["card_position"]
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>RNG audit {month}</title><style>{CSS}</style></head>
<body>
<h1>RNG audit report, {month}</h1>
<h2 id="summary">Summary</h2>
<table><tr><th>month</th><td>{month}</td></tr><tr><th>deals</th><td class="num">{s['deals']:,}</td></tr>
<tr><th>deals per variant</th><td>{variants}</td></tr><tr><th>alpha (family-wise, Holm)</th><td>{s['alpha']}</td></tr>
<tr><th>regulator's table</th><td>{_verdict('pass' if s['regulator_table_passed'] else 'fail')}</td></tr>
<tr><th>full-deck battery</th><td>{_verdict('pass' if s['deck_battery_passed'] else 'fail')}</td></tr>
<tr><th>p-values across months</th><td>{_verdict('pass' if s['across_months_passed'] else 'fail')}</td></tr></table>
<p class="note">Null hypothesis: {_e(document['null_hypothesis'])}. Cards: {_e(document['card_encoding'])}.
Every figure on this page is in the JSON file of the same name.</p>
<h2 id="regulator">Monthly table for the regulator (dealt cards)</h2>
<p class="note">{_e(reg['source'])}. {_e(reg['dealing_order'])}. {_e(reg['variants'])}. {_e(reg['seats'])}.
{_e(reg['streets'])}. Deals used: {reg['deals_used']:,}. {_e(reg['multiple_testing'])}.</p>
{_test_table(reg['tests'])}
<h3>Starting hands: observed against theory</h3>
{starting_hands_svg(observed, expected, starting_class_labels())}
<h2 id="battery">Full-deck battery</h2>
<p class="note">{_e(batt['multiple_testing'])}. {_e(batt['nist'])}.</p>
{_test_table(batt['tests'])}
<h3>Card x position: standardized residuals</h3>
<p class="note">{_e(cp['standardized_residual'])}; expected count {cp['expected']:.2f}; largest |z| =
{cp['max_abs_residual']:.2f} (2704 cells: |z| above 4 is rare under the null, about 0.17 cells a month).</p>
{heat_map_svg(cp['residuals'])}
<h3>p-values</h3>
<p class="note">Per-item p-values of the family tests (per card, per position, pair gaps, inter-deal gaps, runs per card) and the
p-value of every other test of the month; under the null they are roughly uniform.</p>
{histogram_svg(p_hist)}
<h2 id="power">Power</h2>
<p class="note">{_e(document['power']['alternative'])}.</p>
<table><tr><th>relative excess</th><th>alpha</th><th>deals for 99 % power, named cell</th>
<th>deals for 99 % power, anywhere (52x52)</th></tr>{power_rows}</table>
<table><tr><th>relative excess</th><th>power this month, named cell</th><th>power this month, anywhere</th></tr>
{this_month}</table>
<h2 id="across-months">p-value uniformity across months</h2>
{across_html}
</body></html>
"""
