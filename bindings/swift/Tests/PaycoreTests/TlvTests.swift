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

final class EmvTypedTests: XCTestCase {
    func testEncodeItemsAndTagInfo() throws {
        XCTAssertEqual(
            try tlvEncodeItems(items: [TlvItem(tag: "9F02", value: h("000000000100")), TlvItem(tag: "5F2A", value: h("0156"))]),
            h("9F02060000000001005F2A020156"))
        let info = try XCTUnwrap(try emvTagInfo(tagHex: "9F02", parent: nil))
        XCTAssertEqual(info.name, "Amount, Authorised (Numeric)")
        XCTAssertEqual(info.format, .n)
        XCTAssertEqual(info.source, .terminal)
        XCTAssertEqual(info.maxLen, 6)
        XCTAssertNil(try emvTagInfo(tagHex: "9F7F", parent: nil))
        XCTAssertThrowsError(try tlvFind(data: h("70055F24032512"), path: "70/5F24")) { error in
            guard case PaycoreError.TlvError(let m) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(m, "truncated at byte offset 5 (tag path 70/5F24)")
        }
    }

    func testDolFlagsAndField55() throws {
        let dol = h("9F02069F03069F1A0295055F2A029A039C019F3704")
        XCTAssertEqual(try parseDol(dol: dol).map { $0.tag }, ["9F02", "9F03", "9F1A", "95", "5F2A", "9A", "9C", "9F37"])
        let s1 = ["9C": h("09"), "9A": h("240217"), "5F2A": h("0978"), "9F02": h("000123456789"),
                  "9F03": h("000987654321"), "9F37": h("DEADBEEF")]
        let s2 = ["9F1A": h("0528"), "9F37": h("DEADCAFE"), "95": h("1234554321")]
        XCTAssertEqual(try buildDolFromSources(dol: dol, sources: [s1, s2]),
                       h("00012345678900098765432105281234554321097824021709DEADBEEF"))
        XCTAssertEqual(try buildDolFromSources(dol: h("9F3704"), sources: [s2, s1]), h("DEADCAFE"))
        XCTAssertThrowsError(try emvEncodeFlags(tagHex: "95", flags: ["nope"])) { error in
            guard case PaycoreError.EmvUnknownFlag(let m) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(m.contains("nope"))
        }
        let resp = try parseField55Response(data: h("910A1122334455667788303072169F180400000001860D84040000080102030405060708"))
        XCTAssertEqual(resp.issuerAuthentication?.arpc, h("1122334455667788"))
        XCTAssertEqual(resp.scripts.first?.template, "72")
        XCTAssertEqual(resp.scripts.first?.commands, [h("84040000080102030405060708")])
    }
}

final class MpmTypedTests: XCTestCase {
    let emvco = "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678"
        + "520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京"
        + "540523.7253031565502016233030412340603***0708A60086670902ME91320016A011223344"
        + "9988770708123456786304A13A"

    func testParseAndBuild() throws {
        let p = try parseMpm(text: emvco)
        XCTAssertEqual(p.pointOfInitiation, .dynamic)
        XCTAssertEqual(p.merchantName, "BEST TRANSPORT")
        XCTAssertEqual(p.transactionAmount, "23.72")
        XCTAssertEqual(p.language?.merchantName, "最佳运输")
        XCTAssertEqual(try parseMpm(text: try buildMpm(payload: p)), p)
        let sale = MpmPayload(
            pointOfInitiation: .dynamic,
            merchantAccounts: [.unionPay(id: 15, acquirerIin: "12345678", forwardingIin: "87654321", merchantId: "123456789012345")],
            merchantCategoryCode: "5812", transactionCurrency: "156", transactionAmount: "88.00",
            countryCode: "CN", merchantName: "TEST SHOP", merchantCity: "SHANGHAI")
        let text = try buildMpm(payload: sale)
        XCTAssertTrue(text.hasPrefix("000201010212"))
        XCTAssertEqual(try parseMpm(text: text), sale)
    }
}

final class ExplainTypedTests: XCTestCase {
    func testTvr() throws {
        let e = try emvExplain(tagHex: "95", value: h("0000080000"))
        XCTAssertEqual(e.items.map { $0.flag }, ["pin_not_entered"])
        XCTAssertEqual(e.items.first?.byte, 3)
        XCTAssertEqual(e.items.first?.bit, 4)
        XCTAssertThrowsError(try emvExplain(tagHex: "95", value: h("00000800")))
    }
}
