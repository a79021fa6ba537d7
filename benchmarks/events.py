"""Event resolution at scale: time and peak memory to read and group N synthetic reports.

    .venv/bin/python -m benchmarks.events --n 10000 100000

Figures, not a test. Each size runs in a fresh process so that peak memory (the process's
maximum resident set, ``ru_maxrss``) is that size's own. The reports are results lines as a
batch writes them (English summaries, ``status: ok``), made from synthetic events: a year of
days, 40 countries, bilateral meetings mostly and some summits, each event reported one to
four times with the variations real outlets show (a date a day off, a shorter list of people,
a relative date). Reading a line is the real ``report_from`` (schema validation, canonical
ids, person keys, the date read again); resolving is the real ``resolve`` (grouping, then
each event merged with its conflicts: everything ``summarizer events`` does but the files).
B-cubed against the synthetic truth is printed too, as a sanity check on the rules, not as a
quality figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import resource
import subprocess
import sys
import time
from typing import Any

COUNTRIES = [
    "Saudi Arabia", "Kuwait", "Qatar", "Oman", "Bahrain", "Jordan", "Egypt", "Morocco",
    "Algeria", "Tunisia", "Iraq", "Lebanon", "Turkiye", "Pakistan", "India", "Italy", "France",
    "Germany", "Spain", "Greece", "Cyprus", "Japan", "China", "Indonesia", "Malaysia",
    "Brazil", "Nigeria", "Ghana", "Guinea", "Senegal", "Kenya", "Ethiopia", "Sudan", "Libya",
    "Mauritania", "Yemen", "Syria", "Iran", "Canada", "Mexico",
]  # fmt: skip
FIRST = [
    "Khalid", "Faisal", "Salem", "Omar", "Hamad", "Nasser", "Tariq", "Yusuf", "Ali", "Marco",
    "Jean", "Hans", "Kenji", "Ahmed", "Ibrahim", "Mustafa", "Karim", "Sami",
]  # fmt: skip
LAST = ["Al-Harbi", "Al-Enezi", "Al Marri", "Al Busaidi", "Khalidi", "Haddad", "Rossi",
        "Dubois", "Weber", "Tanaka", "Kamara", "Diallo", "Okafor", "Mansour", "Aziz", "Saleh",
        "Nasr", "Farouk", "Qureshi", "Aksoy"]  # fmt: skip
START = dt.date(2025, 1, 1)


def person(rng: random.Random, country: str) -> dict[str, Any]:
    name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return {"name": name, "name_source": name, "title": "Minister of Defence",
            "country": country, "role": "host", "evidence": {"segment": 1}}  # fmt: skip


def synthetic_lines(n: int, seed: int = 1) -> tuple[list[dict[str, Any]], list[list[str]]]:
    """About ``n`` results lines and the true groups (lists of line ids)."""
    rng = random.Random(seed)
    lines: list[dict[str, Any]] = []
    truth: list[list[str]] = []
    event = 0
    while len(lines) < n:
        event += 1
        summit = rng.random() < 0.05
        sides = rng.sample(COUNTRIES, rng.randint(4, 8) if summit else 2)
        people = [person(rng, c) for c in sides]
        day = START + dt.timedelta(days=rng.randrange(365))
        city = rng.choice(["Riyadh", "Doha", "Muscat", "Cairo", "Rome", "Paris", "Ankara"])
        group = []
        for k in range(rng.randint(1, 4)):
            shown = day + dt.timedelta(days=1) if rng.random() < 0.05 else day
            named = people if rng.random() < 0.7 else people[: max(1, len(people) // 2)]
            ident = f"r{len(lines):07d}"
            summary = {
                "headline": "h", "summary": "s",
                "meeting_type": "conference" if summit else "bilateral",
                "date": shown.isoformat(), "date_text": shown.strftime("%B %d, %Y"),
                "location": {"city": city, "country": sides[0]},
                "participants": named, "parties": sides,
            }  # fmt: skip
            published = (shown + dt.timedelta(days=k % 2)).isoformat()
            meta = {"schema": "meeting", "article": {"published": published, "outlet": f"o{k}"}}
            lines.append({"id": ident, "status": "ok", "summary": summary, "meta": meta})
            group.append(ident)
        truth.append(group)
    return lines, truth


def measure(n: int) -> None:
    """One size, in this process: prints one Markdown table row."""
    from summarizer.evaluation.events import bcubed
    from summarizer.events import report_from, resolve

    lines, truth = synthetic_lines(n)
    started = time.perf_counter()
    reports = [r for r in (report_from(line, "bench") for line in lines) if r is not None]
    read = time.perf_counter() - started
    started = time.perf_counter()
    events = resolve(reports)  # grouped, each event merged with its conflicts
    resolved = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    groups = [[r["id"] for r in e["reports"]] for e in events]
    precision, recall = bcubed(groups, truth)
    print(
        f"| {len(reports):,} | {read:.1f} | {resolved:.1f} | {read + resolved:.1f}"
        f" | {peak_mb:,.0f} | {len(events):,} | {precision:.3f} / {recall:.3f} |",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # a child process's size
    args = parser.parse_args()
    if args.one:
        measure(args.one)
        return
    print("| reports | read s | resolve s | total s | peak MB | events | B-cubed P / R |")
    print("|---:|---:|---:|---:|---:|---:|---|")
    for n in args.n:
        subprocess.run([sys.executable, "-m", "benchmarks.events", "--one", str(n)], check=True)


if __name__ == "__main__":
    main()
