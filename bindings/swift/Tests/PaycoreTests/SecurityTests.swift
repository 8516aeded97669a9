// XCTest suite for the security API (mirrors bindings/kotlin/tests/SecurityTest.kt; vectors
// from core/tests/security_vectors.rs). Not run on Linux CI (no Swift compiler there).
import XCTest
@testable import Paycore

private func h(_ hex: String) -> Data {
    var d = Data()
    var i = hex.startIndex
    while i < hex.endIndex {
        let j = hex.index(i, offsetBy: 2)
        d.append(UInt8(hex[i..<j], radix: 16)!)
        i = j
    }
    return d
}

private func hex(_ d: Data) -> String { d.map { String(format: "%02X", $0) }.joined() }

private let bdkHex = "0123456789ABCDEFFEDCBA9876543210"
private let pan = "4012345678909"
private let mab = h("02003020048000C08031000000000000000001000001032000"
    + "3232303033363030313034353132353431313130303031313536"
    + "0024413330313936323131313131313131313131313131313131"
    + "001322006603000600")

final class SecurityTests: XCTestCase {
    func testKeysAndCheckValues() throws {
        let k = try Key.fromHex(algorithm: .tdes2, hex: bdkHex)
        XCTAssertEqual(k.checkValue(), "08D7B4")
        XCTAssertEqual(hex(try kcvLegacy(key: k, length: 3)), "08D7B4")
        XCTAssertThrowsError(try kcvVerify(key: k, expected: h("08D7B5"), cmac: false)) { error in
            guard case PaycoreError.CheckValueMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try Key.fromBytes(algorithm: .tdes2, bytes: h("0123456789ABCDEF"))) { error in
            guard case PaycoreError.KeyLength = error else { return XCTFail("\(error)") }
        }
        XCTAssertFalse("\(k)".contains(bdkHex))
    }

    func testPinBlockAndMacVectors() throws {
        let clear = try pinBlockBuild(format: .iso0, pin: "1234", pan: pan, random: Data())
        XCTAssertEqual(hex(clear), "041274EDCBA9876F")
        let x919 = try Key.fromHex(algorithm: .tdes2, hex: bdkHex)
        XCTAssertEqual(hex(try macCompute(algorithm: .x919, key: x919, data: Data("Now is the time for all ".utf8))),
                       "A1C72E74EA3FA9B6")
        let mak = try Key.fromHex(algorithm: .des, hex: "DAB36167E6DFB5EF")
        XCTAssertEqual(String(data: try macCompute(algorithm: .cupEcb, key: mak, data: mab), encoding: .ascii), "E5805ECB")
        XCTAssertThrowsError(try macVerify(algorithm: .cupEcb, key: mak, data: mab, mac: Data("E5805ECC".utf8))) { error in
            guard case PaycoreError.MacMismatch = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try pinBlockBuild(format: .iso0, pin: "123", pan: pan, random: Data()))
    }

    func testSignOnPosPath() throws {
        let tmk = try Key.fromHex(algorithm: .tdes2, hex: "11111111111111112222222222222222")
        let pik = try Key.fromHex(algorithm: .tdes2, hex: bdkHex)
        let mak = try Key.fromHex(algorithm: .tdes2, hex: "DAB36167E6DFB5EF0123456789ABCDEF")
        let f62 = try buildSignOnField62(tmk: tmk, layout: .doubleLength, keys: WorkingKeys(pinKey: pik, macKey: mak, trackKey: nil))
        let keys = try unwrapSignOnKeys(tmk: tmk, layout: .doubleLength, field62: f62)
        XCTAssertEqual(keys.pinKey().checkValue(), "08D7B4")
        let f52 = try pinBlockEncrypt(key: keys.pinKey(), format: .iso0, pin: "1234", pan: pan, random: Data())
        XCTAssertEqual(try pinBlockDecrypt(key: pik, format: .iso0, encrypted: f52, pan: pan), "1234")
        XCTAssertEqual(try macCompute(algorithm: .cupEcb, key: keys.macKey(), data: mab),
                       try macCompute(algorithm: .cupEcb, key: mak, data: mab))
        var bad = f62
        bad[36] ^= 1
        XCTAssertThrowsError(try unwrapSignOnKeys(tmk: tmk, layout: .doubleLength, field62: bad)) { error in
            guard case PaycoreError.CheckValueMismatch = error else { return XCTFail("\(error)") }
        }
    }

    func testDukptAndTr31() throws {
        let bdk = try Key.fromHex(algorithm: .tdes2, hex: bdkHex)
        let ipek = try dukptTdesIpek(bdk: bdk, ksn: h("FFFF9876543210E00000"))
        XCTAssertEqual(hex(ipek.exportBytes()), "6AC292FAA1315B4D858AB3A3D7D5933A")
        let term = try TdesDukptTerminal(ipek: ipek, initialKsn: h("FFFF9876543210E00000"))
        let t = try term.nextTransaction()
        XCTAssertEqual(hex(t.ksn()), "FFFF9876543210E00001")
        XCTAssertEqual(hex(t.key().exportBytes()), "042666B49184CFA368DE9628D0397BC9")
        let block = "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"
        let kbpk = try Key.fromHex(algorithm: .tdes2, hex: "DD7515F2BFC17F85CE48F3CA25CB21F6")
        let kb = try tr31Unwrap(kbpk: kbpk, block: block)
        XCTAssertEqual(hex(kb.key().exportBytes()), "3F419E1CB7079442AA37474C2EFBF8B8")
        XCTAssertEqual(kb.header().keyUsage, "P0")
        XCTAssertThrowsError(try tr31Unwrap(kbpk: kbpk, block: "B0000")) { error in
            guard case PaycoreError.Tr31 = error else { return XCTFail("\(error)") }
        }
    }
}
