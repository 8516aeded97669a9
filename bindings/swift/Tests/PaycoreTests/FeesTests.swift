// XCTest suite for fees, calendars and settlement (macOS; not run on Linux CI). Mirrors
// bindings/kotlin/tests/FeesTest.kt: the worked values of core/tests/fees.rs,
// settlement_dates.rs and settlement_run.rs on examples/data/.
import Foundation
import XCTest
@testable import Paycore

final class FeesTests: XCTestCase {
    let data = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("examples/data")

    func cny(_ minor: Int64) -> Money { Money(minor: minor, currency: "CNY") }

    func input(_ minor: Int64, _ card: CardType, _ channel: Channel = .chip) -> FeeInput {
        FeeInput(amount: cny(minor), card: card, channel: channel, merchantType: .standard, monthlyVolumeMinor: 0)
    }

    func schedule() throws -> FeeSchedule {
        try FeeSchedule.fromJson(json: String(contentsOf: data.appendingPathComponent("fee-schedule.json"), encoding: .utf8))
    }

    func china() -> BusinessCalendar { BusinessCalendar.china(uncovered: .refuse, december: .provisional) }

    func testDebitQuoteCapsAndAgentShares() throws {
        let s = try schedule()
        let q = try s.quote(input: input(1_000_000, .debit), agent: nil)
        XCTAssertEqual(q.merchantFee, cny(2_000))
        XCTAssertEqual(q.merchantRule, "debit-card")
        XCTAssertEqual(q.issuerFee, cny(1_300))
        XCTAssertEqual(q.networkFee, cny(325))
        XCTAssertEqual(q.margin, cny(375))
        XCTAssertEqual(q.agents.map { $0.profit.minor }, [160, 140, 50])
        XCTAssertEqual(q.agents.map { $0.cost.minor }, [1_800, 1_700, 1_650])
        XCTAssertEqual(q.acquirerShare, cny(25))
        let credit = try s.quote(input: input(1_000_000, .credit), agent: nil)
        XCTAssertEqual(credit.merchantFee, cny(6_000))
        XCTAssertLessThanOrEqual(credit.agents.map { $0.profit.minor }.reduce(0, +), credit.margin.minor)
    }

    func testProRataRefundsAndD0() throws {
        let s = try schedule()
        let a = try s.refundFee(originalAmount: cny(10_000), originalFee: cny(60), refundedBefore: cny(0), refund: cny(3_333))
        let b = try s.refundFee(originalAmount: cny(10_000), originalFee: cny(60), refundedBefore: cny(3_333), refund: cny(3_333))
        let c = try s.refundFee(originalAmount: cny(10_000), originalFee: cny(60), refundedBefore: cny(6_666), refund: cny(3_334))
        XCTAssertEqual([a.returned.minor, b.returned.minor, c.returned.minor], [20, 20, 20])
        XCTAssertEqual(c.kept, cny(0))
        let d0 = try s.d0Quote(available: cny(1_000_000), requested: cny(500_000), usedToday: cny(0), at: "2026-03-10T10:00:00+08:00")
        XCTAssertEqual(d0.fee, cny(550))
        XCTAssertThrowsError(try s.d0Quote(available: cny(1_000_000), requested: cny(500_000), usedToday: cny(0), at: "2026-03-10T22:30:00+08:00")) { error in
            guard case PaycoreError.D0Refused = error else { return XCTFail("\(error)") }
        }
    }

    func testCalendarAndSettlementDates() throws {
        let cal = china()
        XCTAssertTrue(try cal.isWorkingDay(date: "2026-02-14"))
        XCTAssertFalse(try cal.isWorkingDay(date: "2026-02-16"))
        XCTAssertEqual(try cal.addWorkingDays(date: "2026-02-14", n: 1), "2026-02-24")
        XCTAssertEqual(try cal.addWorkingDays(date: "2026-09-30", n: 1), "2026-10-08")
        XCTAssertThrowsError(try cal.isWorkingDay(date: "2027-03-01")) { error in
            guard case PaycoreError.CalendarYearNotCovered = error else { return XCTFail("\(error)") }
        }
        let d = try settlementDates(calendar: cal, at: "2026-02-13T23:30:00+08:00", cycle: "T1", cutoff: nil)
        XCTAssertEqual(d.networkDay, "2026-02-14")
        XCTAssertEqual(d.payoutDay, "2026-02-24")
        XCTAssertThrowsError(try settlementDates(calendar: cal, at: "2026-02-13T23:30:00", cycle: "T1", cutoff: nil)) { error in
            guard case PaycoreError.SettlementTime = error else { return XCTFail("\(error)") }
        }
    }

    func testSettlementRun() throws {
        let s = try schedule()
        let csv = try String(contentsOf: data.appendingPathComponent("transactions.csv"), encoding: .utf8)
        let run = try s.settle(calendar: china(), csv: csv, stateJson: nil)
        XCTAssertEqual(run.batches.map { $0.batchId }, [
            "898310048161234.CNY.20260213", "898310048161234.CNY.20260224",
            "898310048165678.CNY.20260214", "898310048169999.CNY.20260214"])
        XCTAssertEqual(run.batches[0].totals.fees, cny(2_184))
        XCTAssertEqual(run.batches[0].totals.refundedFees, cny(90))
    }

    func testBadInputs() throws {
        XCTAssertThrowsError(try FeeSchedule.fromJson(json: "{\"currency\": \"CNY\",\n \"rules\": [{\"id\": \"a\", \"card_types\": [\"gold\"], \"fee\": {\"shape\": \"fixed\", \"amount\": \"1\"}}]}")) { error in
            guard case PaycoreError.FeeSchedule(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("gold"))
        }
        let s = try schedule()
        XCTAssertThrowsError(try s.quote(input: input(100, .debit), agent: "nobody")) { error in
            guard case PaycoreError.FeeUnknownAgent = error else { return XCTFail("\(error)") }
        }
    }
}
