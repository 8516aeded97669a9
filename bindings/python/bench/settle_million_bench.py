"""Times one settlement run over 1,000,000 records across 10,000 merchants from Python — the
same workload as the Rust criterion bench `fees/settle_1m_txns_10k_merchants`
(benches/benches/fees.rs: xorshift-chosen card type, channel, amount 1.00–20,000.99 CNY and
time within 2026-03-10 Beijing), handed over as CSV text in one call.

The figure issue 7 asks for is the ratio of the one Python call (CSV `str` in, full result
out: every batch and statement line reachable from it) to the Rust settle on the same records.
The Rust figure is measured here, in the same process on the same CSV, by
`paycore._paycore._settle_core_timings` (the core's `settle` over the already-read records,
dropping the run, as the criterion bench does), alternating with the Python calls so that both
see the same machine load. Generating the CSV in Python is timed separately and excluded.

Run: .venv/bin/python bindings/python/bench/settle_million_bench.py  (about a minute)
"""

import statistics
import time
from pathlib import Path

from paycore import Calendar, FeeSchedule
from paycore._paycore import _settle_core_timings

ROOT = Path(__file__).resolve().parents[3]
CARDS = ["debit", "credit", "quasi_credit", "prepaid"]
CHANNELS = ["swipe", "chip", "contactless", "qr", "small_amount_no_pin"]
MASK = (1 << 64) - 1


def records(n: int, merchants: int) -> str:
    lines = ["id,merchant_id,kind,amount,currency,time,card,channel,original_id,original_amount,refunded_before"]
    s = 0x9E3779B97F4A7C15
    for i in range(n):
        s ^= (s << 13) & MASK
        s ^= s >> 7
        s ^= (s << 17) & MASK
        minor = 100 + (s >> 16) % 2_000_000
        secs = (s >> 40) % 86_400
        hh, mm, ss = secs // 3600, secs // 60 % 60, secs % 60
        lines.append(
            f"T{i:08},8983100481{i % merchants:05},sale,{minor // 100}.{minor % 100:02},CNY,"
            f"2026-03-10T{hh:02}:{mm:02}:{ss:02}+08:00,{CARDS[s % 4]},{CHANNELS[(s >> 8) % 5]},,,"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    schedule = FeeSchedule.from_json((ROOT / "examples/data/fee-schedule.json").read_text())
    calendar = Calendar.china()
    t0 = time.perf_counter()
    csv = records(1_000_000, 10_000)
    print(f"generate the CSV in Python (not timed below): {time.perf_counter() - t0:.3f} s, "
          f"{len(csv) / 1e6:.1f} MB")
    python, rust, encode, read = [], [], [], []
    for _ in range(3):
        t0 = time.perf_counter()
        run = schedule.settle(csv, calendar)
        python.append(time.perf_counter() - t0)
        e, r, settles = _settle_core_timings(schedule, csv, calendar, 1)
        encode.append(e)
        read.append(r)
        rust.extend(settles)
    batches = run.batches
    lines = sum(b.line_count for b in batches)
    assert lines == run.line_count and len(batches[0].lines) == batches[0].line_count
    py, rs = statistics.median(python), statistics.median(rust)
    print(f"settle 1,000,000 records / 10,000 merchants from Python (CSV text in, one call): "
          f"median {py:.3f} s over {len(python)} runs, {len(batches)} batches, {lines} lines")
    print(f"  of which (medians, core alone): str -> UTF-8 {statistics.median(encode):.3f} s, "
          f"read_records {statistics.median(read):.3f} s")
    print(f"Rust settle on the same records, same process: median {rs:.3f} s")
    print(f"Python / Rust: {py / rs:.2f}x (target <= 2x)")


if __name__ == "__main__":
    main()
