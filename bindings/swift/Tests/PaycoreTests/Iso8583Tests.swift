// ISO 8583 XCTest suite (macOS; Linux CI has no Swift compiler). Mirrors the Kotlin Iso8583Test:
// vectors from core/tests/iso8583.rs built from the CUP POS field rules.
import Foundation
import XCTest
@testable import Paycore

final class Iso8583Tests: XCTestCase {
    static let saleHex =
        "0200702406C020C09A1119622848040256489001800000000000000001000001232512071000010012" +
        "376228480402564890018D25122201234500000031323334353637383132333435363738393031323334" +
        "353135360123456789ABCDEF260000000000000000589F260811223344556677889F2701805A08622848" +
        "0402564890950500000000009A032511259C01009F02060000000001005F2A02015682027C0000142200" +
        "00240006003141324233433444"
    static let signOnHex =
        "08000020000000C00012000001313233343536373831323334353637383930313233343500110000000100" +
        "300003303031"
    static let pan = "6228480402564890018"

    func unhex(_ s: String) -> Data {
        var d = Data()
        var i = s.startIndex
        while i < s.endIndex {
            let j = s.index(i, offsetBy: 2)
            d.append(UInt8(s[i..<j], radix: 16)!)
            i = j
        }
        return d
    }

    func hex(_ d: Data) -> String { d.map { String(format: "%02X", $0) }.joined() }

    func testDecodeSale() throws {
        let cup = try Iso8583Spec.builtin(name: "cup-pos")
        let m = try cup.decode(bytes: unhex(Self.saleHex))
        XCTAssertEqual(m.mti(), "0200")
        XCTAssertEqual(m.fields(), [2, 3, 4, 11, 14, 22, 23, 25, 26, 35, 41, 42, 49, 52, 53, 55, 60, 64])
        XCTAssertEqual(m.text(field: 2), Self.pan)
        XCTAssertEqual(m.text(field: 22), "071")
        XCTAssertEqual(m.text(field: 52), "0123456789ABCDEF")
        XCTAssertNil(m.text(field: 39))
        XCTAssertEqual(m.subfields(field: 60), ["22", "000024", "000", "6", "0", "0"])
        XCTAssertEqual(hex(try m.encode()), Self.saleHex)
        XCTAssertEqual(hex(try m.macInput()), String(Self.saleHex.dropLast(16)))
        XCTAssertTrue(m.describe().contains("622848*********0018"))
        XCTAssertFalse(m.describe().contains(Self.pan))
        XCTAssertTrue(m.describeUnmasked().contains(Self.pan))
        XCTAssertEqual(hex(try cup.messageFromJson(json: m.toJson()).encode()), Self.saleHex)
    }

    func testBuildSignOnAndFrame() throws {
        let cup = try Iso8583Spec.builtin(name: "cup-pos")
        let m = try cup.newMessage(mti: "0800")
        try m.setText(field: 11, text: "000001")
        try m.setText(field: 41, text: "12345678")
        try m.setText(field: 42, text: "123456789012345")
        try m.setSubfields(field: 60, values: ["00", "000001", "003"])
        try m.setBytes(field: 63, bytes: Data("001".utf8))
        XCTAssertEqual(hex(try m.encode()), Self.signOnHex)
        let frame = try m.encodeFramed(tpdu: "6006010000", header: "603100311812")
        let f = try cup.decodeFramed(frame: frame)
        XCTAssertEqual(f.tpdu, "6006010000")
        XCTAssertEqual(f.header, "603100311812")
        XCTAssertEqual(hex(try f.message.encode()), Self.signOnHex)
    }

    func testErrors() throws {
        let cup = try Iso8583Spec.builtin(name: "cup-pos")
        let sale = unhex(Self.saleHex)
        XCTAssertThrowsError(try cup.decode(bytes: sale.prefix(26))) { error in
            guard case PaycoreError.Iso8583Truncated(let msg) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(msg.contains("field 4 at byte 24"))
        }
        var bad = sale
        bad[22] = 0x0A
        XCTAssertThrowsError(try cup.decode(bytes: bad)) { error in
            guard case PaycoreError.Iso8583Decode(let msg) = error else { return XCTFail("\(error)") }
            XCTAssertTrue(msg.contains("field 3 at byte 22"))
        }
        let m = try cup.newMessage(mti: "0200")
        XCTAssertThrowsError(try m.setText(field: 11, text: "12345")) { error in
            guard case PaycoreError.Iso8583Encode = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Iso8583Spec.builtin(name: "cup-9999")) { error in
            guard case PaycoreError.Iso8583Spec = error else { return XCTFail("\(error)") }
        }
    }
}
