"""Times one settlement run over 1,000,000 records across 10,000 merchants from Python — the
same workload as the Rust criterion bench `fees/settle_1m_txns_10k_merchants`
(benches/benches/fees.rs: xorshift-chosen card type, channel, amount 1.00–20,000.99 CNY and
time within 2026-03-10 Beijing), handed over as CSV text in one call.

Run: .venv/bin/python bindings/python/bench/settle_million_bench.py  (about a minute)
"""

import statistics
import time
from pathlib import Path

from paycore import Calendar, FeeSchedule

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
    csv = records(1_000_000, 10_000)
    times = []
    for _ in range(3):
        t0 = time.perf_counter()
        run = schedule.settle(csv, calendar)
        times.append(time.perf_counter() - t0)
    print(f"settle 1,000,000 records / 10,000 merchants from Python (CSV text in, one call): "
          f"median {statistics.median(times):.3f} s over {len(times)} runs, {len(run.batches)} batches")


if __name__ == "__main__":
    main()
