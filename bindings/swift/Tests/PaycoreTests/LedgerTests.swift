// XCTest suite for the ledger (macOS; not run on Linux CI). Mirrors bindings/kotlin/tests/LedgerTest.kt:
// the doc example of core/src/ledger/mod.rs. 128-bit ids and amounts are decimal Strings (U128).
import XCTest
@testable import Paycore

final class LedgerTests: XCTestCase {
    let cny: UInt32 = 156
    let merchant: UInt64 = 42
    let agent: UInt64 = 7
    var clock: UInt64 = 1_000

    func amounts(_ gross: Int, fee: Int = 0, cost: Int = 0, commission: Int = 0) -> Amounts {
        Amounts(gross: String(gross), merchantFee: String(fee), schemeCost: String(cost),
                agentCommission: String(commission), reserve: "0", advance: "0")
    }

    func post(_ ledger: Ledger, _ kind: EventKind, _ id: UInt64, _ a: Amounts) throws -> [CreateTransferResult] {
        clock += 1
        return try ledger.postEvent(
            event: BusinessEvent(kind: kind, eventId: id, merchantId: merchant, agentId: agent, ledger: cny, amounts: a),
            now: clock)
    }

    func posted(_ ledger: Ledger, _ kind: AccountKind, _ owner: UInt64) throws -> String {
        try ledger.chartBalances(kind: kind, ownerId: owner, ledger: cny).posted
    }

    func testSaleRefundPayoutWithdrawal() throws {
        let ledger = Ledger()
        let accounts = chartAccounts(owner: .platform, ownerId: 0, ledger: cny)
            + chartAccounts(owner: .merchant, ownerId: merchant, ledger: cny)
            + chartAccounts(owner: .agent, ownerId: agent, ledger: cny)
        XCTAssertTrue(ledger.createAccounts(accounts: accounts, now: 1_000).allSatisfy { $0 == .created })

        let sale = amounts(10_000, fee: 60, cost: 45, commission: 5)
        XCTAssertEqual(try post(ledger, .sale, 1, sale), Array(repeating: .created, count: 4))
        XCTAssertEqual(try posted(ledger, .merchantUncleared, merchant), "9940")
        XCTAssertEqual(try posted(ledger, .feeRevenue, 0), "10")
        XCTAssertEqual(try post(ledger, .sale, 1, sale).first, .exists)
        XCTAssertEqual(try post(ledger, .sale, 1, amounts(10_001, fee: 60, cost: 45, commission: 5)).first,
                       .existsWithDifferentAmount)

        _ = try post(ledger, .refund, 2, amounts(2_000, fee: 12, cost: 9))
        XCTAssertEqual(try posted(ledger, .merchantUncleared, merchant), "7952")
        _ = try post(ledger, .clearing, 3, amounts(7_952))
        _ = try post(ledger, .settlementRun, 4, amounts(7_952))
        _ = try post(ledger, .networkSettlement, 5, amounts(7_964, cost: 36))
        XCTAssertEqual(try posted(ledger, .merchantWithdrawable, merchant), "7952")
        _ = try post(ledger, .payout, 6, amounts(5_000))
        XCTAssertEqual(try posted(ledger, .merchantWithdrawable, merchant), "2952")

        let policy = WithdrawalPolicy(minAmount: "100", maxAmount: "1000000", feeFixed: "200", feeBps: 0, feeMode: .inside)
        let w = try Withdrawal.request(ledger: ledger, policy: policy,
                                       request: WithdrawalRequest(withdrawalId: 1, merchantId: merchant, ledger: cny, amount: "2000"),
                                       now: 2_000_000_000)
        try w.apply(ledger: ledger, action: .approve, now: 2_000_000_001)
        try w.apply(ledger: ledger, action: .paid, now: 2_000_000_002)
        XCTAssertEqual(try posted(ledger, .merchantWithdrawable, merchant), "952")
        XCTAssertEqual(try posted(ledger, .feeRevenue, 0), "207")
        try ledger.checkInvariants()

        let replayed = try Ledger.replay(journal: ledger.takeJournal())
        XCTAssertEqual(replayed.digest(), ledger.digest())
        XCTAssertThrowsError(try Ledger.replay(journal: "{\"seq\":0,\"op\":{\"expire_pending\":{\"now\":5}}}\n\n{\"seq\":1")) { error in
            guard case PaycoreError.LedgerJournal(let message) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(message.contains("journal line 3"))
        }
    }
}
