// XCTest suite for the TLV/EMV/QR bindings (macOS; mirrors bindings/kotlin/tests/TlvTest.kt).
import XCTest
@testable import Paycore

private func h(_ s: String) -> Data {
    var d = Data()
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        d.append(UInt8(s[i..<j], radix: 16)!)
        i = j
    }
    return d
}

final class TlvTests: XCTestCase {
    let emvco = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678"
        + "520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京"
        + "540523.7253031565502016233030412340603***0708A60086670902ME91320016A011223344"
        + "9988770708123456786304A13A"

    func testCrcAndMpm() throws {
        XCTAssertEqual(qrCrc16(data: Data("123456789".utf8)), 0x29B1)
        XCTAssertEqual(qrCrc16(data: Data(String(emvco.dropLast(4)).utf8)), 0xA13A)
        let json = try parseMpmJson(text: emvco)
        XCTAssertEqual(try parseMpmJson(text: try buildMpmJson(payloadJson: json)), json)
        XCTAssertThrowsError(try parseMpmJson(text: emvco.replacingOccurrences(of: "6304A13A", with: "6304A13B"))) { error in
            guard case PaycoreError.QrError(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("A13A"))
        }
    }

    func testTlvAndEmv() throws {
        let fci = h("6F0E8407A0000003330101A5035001FF")
        XCTAssertEqual(try tlvFind(data: fci, path: "6F/A5/50"), h("FF"))
        XCTAssertEqual(try tlvEncodeJson(nodesJson: try tlvDecodeJson(data: fci, mode: .emv, maxDepth: 8)), fci)
        XCTAssertThrowsError(try tlvDecodeJson(data: h("9F0206000000"), mode: .strict, maxDepth: 8)) { error in
            guard case PaycoreError.TlvError(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("offset"))
        }
        XCTAssertTrue(try emvExplainJson(tagHex: "95", value: h("0000080000")).contains("pin_not_entered"))
        XCTAssertEqual(try emvEncodeFlags(tagHex: "95", flags: ["pin_not_entered"]), h("0000080000"))
        XCTAssertEqual(try buildDol(dol: h("9F3704"), values: ["9F37": h("DEADBEEF")]), h("DEADBEEF"))
    }
}

final class CpmTests: XCTestCase {
    func testCpmRoundTrip() throws {
        let spec = #"{"applications":[{"adf_name":"A0000003330101","data":[{"tag":"5A","value":"6212345678901234"}]}]}"#
        let b64 = try CpmPayload.fromJson(json: spec).toBase64()
        XCTAssertTrue(b64.hasPrefix("hQVDUFYwMW"))
        let back = try CpmPayload.parse(text: b64)
        XCTAssertEqual(try back.toBase64(), b64)
        XCTAssertFalse("\(back)".contains("6212345678901234"))
    }
}
