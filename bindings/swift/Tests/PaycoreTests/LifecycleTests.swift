// XCTest suite for the transaction lifecycle (mirrors bindings/kotlin/tests/LifecycleTest.kt):
// a TerminalSession wired in memory to an AcquirerProcessor. Not run on Linux CI (no Swift
// compiler there).
import XCTest
@testable import Paycore

private let tid = "12345678"
private let mid = "898100012340001"
private let cardPan = "6228480402564890018"
private let panMasked = "622848*********0018"
private let t0: Int64 = 1_772_416_800_000 // 2026-03-02 02:00 UTC = 10:00 Beijing
private let day: Int64 = 86_400_000
private let tmk = Data(repeating: 0x11, count: 16)

private final class World {
    let spec = try! Iso8583Spec.builtin(name: "cup-pos")
    let proc = try! AcquirerProcessor(options: nil)
    var term = try! TerminalSession(terminalId: tid, merchantId: mid, tmk: tmk, options: nil)
    var now = t0
    var dropResponses = 0
    var tEvents: [TerminalEvent] = []
    var pEvents: [DomainEvent] = []
    var termMtis: [String] = []
    var hostMtis: [String] = []

    init() throws {
        try proc.registerTerminal(terminalId: tid, merchantId: mid, tmk: tmk)
        try proc.provideWorkingKeys(terminalId: tid, pik: Data(repeating: 7, count: 16), mak: Data(repeating: 9, count: 8))
    }

    func mti(_ frame: Data) throws -> String { try spec.decode(bytes: frame).mti() }

    func pump() throws {
        for _ in 0..<50 {
            var moved = false
            while let f = term.pollTransmit() {
                moved = true
                termMtis.append(try mti(f))
                try? proc.handleTerminal(nowMs: now, frame: f)
            }
            while let r = try proc.pollNetworkRequest() {
                moved = true
                switch r {
                case let .reversal(id, _):
                    try proc.handleNetworkReversalAck(nowMs: now, id: id)
                case let .transaction(id, _, _, _, pan, _, _, _):
                    XCTAssertEqual(pan.digits(), cardPan)
                    try proc.handleNetworkResponse(nowMs: now, id: id, outcome: .approved(
                        authCode: String(format: "A%05d", Int(id)), settlementDate: nil,
                        brand: .unionPay, cardType: .debit, balance: nil))
                }
            }
            while let f = proc.pollTerminalTransmit() {
                moved = true
                hostMtis.append(try mti(f.frame))
                if dropResponses > 0 { dropResponses -= 1; continue }
                try? term.handleResponse(nowMs: now, frame: f.frame)
            }
            while let e = term.pollEvent() { tEvents.append(e) }
            while let e = proc.pollEvent() { pEvents.append(e) }
            if !moved { return }
        }
    }

    func signOn() throws {
        try term.signOn(nowMs: now)
        try pump()
        XCTAssertEqual(termMtis.first, "0800")
        XCTAssertEqual(hostMtis.first, "0810")
        XCTAssertEqual(tEvents.last, .signedOn(batch: 1))
    }
}

private func card() throws -> CardInput {
    try CardInput(pan: cardPan, entryMode: .chip, pinBlock: nil, iccData: nil, cardSequence: 1, track2: cardPan + "=29122011234567")
}

private func request(_ kind: TransactionKind, _ amount: Int64, _ original: OriginalRef? = nil) throws -> TransactionRequest {
    TransactionRequest(kind: kind, amountMinor: amount, currency: 156, card: try card(), original: original)
}

final class LifecycleTests: XCTestCase {
    func testSaleVoidSettle() throws {
        let w = try World()
        try w.signOn()
        let sale = try w.term.begin(nowMs: w.now, request: try request(.sale, 12_345))
        XCTAssertEqual(sale, TxnRef(batch: 1, stan: 2))
        try w.pump()
        XCTAssertEqual(w.termMtis.last, "0200")
        XCTAssertEqual(w.hostMtis.last, "0210")
        XCTAssertEqual(w.tEvents.last, .approved(txn: TxnRef(batch: 1, stan: 2), kind: .sale, amountMinor: 12_345,
                                                 currency: 156, authCode: "A00001", rrn: "000000000001",
                                                 brand: .unionPay, balance: nil))
        guard case let .captured(data) = w.pEvents.last! else { return XCTFail("not captured") }
        XCTAssertEqual(data.panMasked, panMasked)
        let j = w.term.journal()[0]
        try w.term.begin(nowMs: w.now, request: try request(.void, 12_345, OriginalRef(
            batch: 1, stan: 2, dateMmdd: j.dateMmdd, rrn: j.rrn, authCode: j.authCode)))
        try w.pump()
        guard case let .approved(_, kind, _, _, _, _, _, _) = w.tEvents.last! else { return XCTFail("void") }
        XCTAssertEqual(kind, .void)
        let totals = w.term.totals()
        XCTAssertEqual(totals.domestic, SideTotals(debitAmount: 12_345, debitCount: 1, creditAmount: 12_345, creditCount: 1))
        try w.term.settle(nowMs: w.now)
        try w.pump()
        XCTAssertEqual(w.termMtis.last, "0500")
        XCTAssertEqual(w.tEvents.last, .batchSettled(batch: 1, totals: totals, uploaded: false))
        XCTAssertEqual(w.term.batch(), 2)
    }

    func testTimeoutReversalRetried() throws {
        let w = try World()
        try w.signOn()
        w.dropResponses = 1
        _ = try w.term.begin(nowMs: w.now, request: try request(.sale, 7_700))
        try w.pump()
        w.now = w.term.pollTimeout()!
        XCTAssertEqual(w.now, t0 + 60_000)
        w.dropResponses = 1
        try w.term.handleTimeout(nowMs: w.now)
        try w.pump()
        XCTAssertEqual(w.termMtis.last, "0400")
        XCTAssertTrue(w.tEvents.contains(.outcomeUnknown(txn: TxnRef(batch: 1, stan: 2), kind: .sale,
                                                         reason: .timeout, reversing: true)))
        var rounds = 0
        while w.term.isReversing() && rounds < 10 {
            rounds += 1
            w.now = w.term.pollTimeout()!
            try w.term.handleTimeout(nowMs: w.now)
            try w.pump()
        }
        XCTAssertGreaterThanOrEqual(w.termMtis.filter { $0 == "0400" }.count, 2)
        XCTAssertEqual(w.tEvents.last, .reversed(txn: TxnRef(batch: 1, stan: 2), kind: .sale))
    }

    func testSaveRestoreResumesReversal() throws {
        let w = try World()
        try w.signOn()
        w.dropResponses = 1
        _ = try w.term.begin(nowMs: w.now, request: try request(.sale, 4_200))
        try w.pump()
        w.term = try TerminalSession.fromJson(json: try w.term.toJson())
        XCTAssertTrue(w.term.isBusy())
        w.now += 61_000
        try w.term.handleTimeout(nowMs: w.now)
        try w.pump()
        XCTAssertEqual(w.termMtis.last, "0400")
        XCTAssertEqual(w.tEvents.last, .reversed(txn: TxnRef(batch: 1, stan: 2), kind: .sale))
    }

    func testRefundLargerThanOriginalDeclined() throws {
        let w = try World()
        try w.signOn()
        let sale = try w.term.begin(nowMs: w.now, request: try request(.sale, 10_000))
        try w.pump()
        let j = w.term.journal()[0]
        w.now += day
        _ = try w.term.begin(nowMs: w.now, request: try request(.refund, 15_000, OriginalRef(
            batch: sale.batch, stan: sale.stan, dateMmdd: j.dateMmdd, rrn: j.rrn, authCode: j.authCode)))
        try w.pump()
        XCTAssertEqual(w.termMtis.last, "0220")
        XCTAssertEqual(w.tEvents.last, .declined(txn: TxnRef(batch: 1, stan: 3), kind: .refund, code: "61",
                                                 meaning: "exceeds amount limit"))
        guard case let .declined(_, reason, code) = w.pEvents.last! else { return XCTFail("not declined") }
        XCTAssertEqual(reason, .amountExceeded)
        XCTAssertEqual(code, "61")
    }

    func testBadInputs() throws {
        let w = try World()
        try w.signOn()
        XCTAssertThrowsError(try w.term.handleResponse(nowMs: w.now, frame: Data([0x08, 0x10, 0xFF]))) { error in
            guard case PaycoreError.LifecycleMalformedMessage = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try TerminalSession(terminalId: tid, merchantId: mid, tmk: Data(count: 8), options: nil)) { error in
            guard case PaycoreError.KeyLength = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try TerminalSession.fromJson(json: "{}")) { error in
            guard case PaycoreError.LifecycleState = error else { return XCTFail("\(error)") }
        }
        let c = try card()
        XCTAssertFalse("\(c)".contains(cardPan))
        XCTAssertEqual(c.panMasked(), panMasked)
    }

    func testEchoLocalFailureSignOff() throws {
        let w = try World()
        try w.signOn()
        try w.term.echo(nowMs: w.now)
        try w.pump()
        XCTAssertEqual(w.termMtis.last, "0820")
        XCTAssertEqual(w.tEvents.last, .echoAnswered(ok: true))
        _ = try w.term.begin(nowMs: w.now, request: try request(.sale, 300))
        try w.pump()
        try w.term.handleLocalFailure(nowMs: w.now)
        try w.pump()
        XCTAssertEqual(w.termMtis.last, "0400")
        XCTAssertEqual(w.tEvents.last, .reversed(txn: TxnRef(batch: 1, stan: 3), kind: .sale))
        try w.term.signOff(nowMs: w.now)
        try w.pump()
        XCTAssertEqual(w.tEvents.last, .signedOff)
        XCTAssertFalse(w.term.isSignedOn())
    }

    func testProcessorSaveRestore() throws {
        let w = try World()
        try w.signOn()
        _ = try w.term.begin(nowMs: w.now, request: try request(.sale, 5_500))
        try w.proc.handleTerminal(nowMs: w.now, frame: w.term.pollTransmit()!)
        guard case let .transaction(id, _, amount, _, _, _, _, _) = try w.proc.pollNetworkRequest()! else {
            return XCTFail("not a transaction")
        }
        XCTAssertEqual(amount, 5_500)
        let restored = try AcquirerProcessor.fromJson(json: try w.proc.toJson())
        try restored.handleNetworkResponse(nowMs: w.now, id: id, outcome: .approved(
            authCode: "R00001", settlementDate: nil, brand: .unionPay, cardType: .credit, balance: nil))
        try w.term.handleResponse(nowMs: w.now, frame: restored.pollTerminalTransmit()!.frame)
        guard case let .approved(_, _, _, _, authCode, _, _, _) = w.term.pollEvent()! else { return XCTFail("not approved") }
        XCTAssertEqual(authCode, "R00001")
    }
}
