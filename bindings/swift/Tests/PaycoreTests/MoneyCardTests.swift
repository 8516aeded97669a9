// XCTest suite for macOS developers (`swift test` after building the Rust library in release).
// Mirrors the Kotlin suite; Linux CI has no Swift compiler and only checks generated sources.
import XCTest
@testable import Paycore

final class MoneyCardTests: XCTestCase {
    func testExactParseAndFormat() throws {
        let m = try moneyParse(text: "23.72", currency: "CNY")
        XCTAssertEqual(m.minor, 2372)
        XCTAssertEqual(try moneyFormat(money: m), "23.72")
        XCTAssertThrowsError(try moneyParse(text: "1.234", currency: "CNY")) { error in
            guard case PaycoreError.TooManyDecimals = error else { return XCTFail("\(error)") }
        }
    }

    func testRateAndAllocation() throws {
        let amount = Money(minor: 12345, currency: "CNY")
        XCTAssertEqual(try moneyMulRate(money: amount, rate: "0.006", rounding: .halfUp).minor, 74)
        let parts = try moneyAllocate(total: Money(minor: 100, currency: "CNY"), weights: [1, 1, 1])
        XCTAssertEqual(parts.map { $0.minor }, [34, 33, 33])
    }

    func testCards() throws {
        let pan = try Pan(digits: "6228480012345676789")
        XCTAssertEqual(pan.masked(style: .first6Last4), "622848*********6789")
        XCTAssertEqual(pan.brand(), .unionPay)
        let t = try Track2.parse(text: "6228480012345676789D29122011234567F")
        XCTAssertEqual(t.expiryYear(), 2029)
        XCTAssertEqual(t.serviceCode(), "201")
    }
}
