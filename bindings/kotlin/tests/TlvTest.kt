package io.paycore.tests

import io.paycore.*
import io.paycore.tests.Harness.check
import io.paycore.tests.Harness.eq
import io.paycore.tests.Harness.throws

object TlvTest {
    private const val EMVCO =
        "00020101021229300012D156000000000510A93FO3230Q31280012D15600000001030812345678" +
            "520441115802CN5914BEST TRANSPORT6007BEIJING64200002ZH0104最佳运输0202北京" +
            "540523.7253031565502016233030412340603***0708A60086670902ME91320016A011223344" +
            "9988770708123456786304A13A"

    private fun h(s: String): ByteArray = ByteArray(s.length / 2) { s.substring(it * 2, it * 2 + 2).toInt(16).toByte() }
    private fun hex(b: ByteArray): String = b.joinToString("") { "%02X".format(it) }

    fun run() {
        // CRC check value and the EMVCo reference example.
        eq("crc check value", qrCrc16("123456789".toByteArray()), 0x29B1.toUShort())
        eq("emvco crc", qrCrc16(EMVCO.dropLast(4).toByteArray(Charsets.UTF_8)), 0xA13A.toUShort())
        val mpm = parseMpmJson(EMVCO)
        check("mpm has merchant name", mpm.contains("BEST TRANSPORT"))
        val rebuilt = buildMpmJson(mpm)
        eq("mpm round trip", parseMpmJson(rebuilt), mpm)
        val crc = throws<PaycoreException.QrException>("crc mismatch") {
            parseMpmJson(EMVCO.replace("6304A13A", "6304A13B"))
        }
        check("crc error names expected", crc?.message?.contains("A13A") == true)

        // TLV decode / find / encode.
        val fci = h("6F0E8407A0000003330101A5035001FF")
        val json = tlvDecodeJson(fci, TlvMode.EMV, 8u)
        check("decode json", json.contains("\"A0000003330101\""))
        eq("find path", tlvFind(fci, "6F/A5/50")?.let { hex(it) }, "FF")
        eq("find absent", tlvFind(fci, "6F/88"), null)
        eq("encode round trip", hex(tlvEncodeJson(json)), hex(fci))
        val trunc = throws<PaycoreException.TlvException>("truncated") {
            tlvDecodeJson(h("9F0206000000"), TlvMode.STRICT, 8u)
        }
        check("truncated names offset", trunc?.message?.contains("offset") == true)

        // Redaction hides the PAN.
        check("redact", !redactTlv(h("5A086212345678901234")).contains("6212345678901234"))

        // TVR explanation and flags.
        val tvr = emvExplainJson("95", h("0000080000"))
        check("tvr flag", tvr.contains("pin_not_entered"))
        check("tvr text", tvr.contains("PIN entry required, PIN pad present, but PIN was not entered"))
        eq("encode flags", hex(emvEncodeFlags("95", listOf("pin_not_entered"))), "0000080000")
        throws<PaycoreException.EmvException>("short tvr") { emvExplainJson("95", h("00000800")) }

        // DOL build.
        val values = mapOf(
            "9C" to h("09"), "9A" to h("240217"), "5F2A" to h("0978"),
            "9F02" to h("000123456789"), "9F03" to h("000987654321"), "9F37" to h("DEADBEEF"),
            "9F1A" to h("0528"), "95" to h("1234554321"),
        )
        eq(
            "dol",
            hex(buildDol(h("9F02069F03069F1A0295055F2A029A039C019F3704"), values)),
            "00012345678900098765432105281234554321097824021709DEADBEEF",
        )

        // Field 55 build (contactless pre-auth inserts 9F27 80) and response parse.
        val tags = mutableMapOf(
            "9F26" to h("1122334455667788"), "9F10" to h("07010103A0A80201"),
            "9F37" to h("DEADBEEF"), "9F36" to h("0012"), "95" to h("0000000000"),
            "9A" to h("240217"), "9C" to h("00"), "9F02" to h("000000000100"),
            "5F2A" to h("0156"), "82" to h("7C00"), "9F1A" to h("0156"),
            "9F03" to h("000000000000"), "9F33" to h("E0F8C8"),
            "9F63" to h("00000000000000000000000000000000"),
        )
        val f55 = buildField55(tags, Field55Kind.PRE_AUTH, true)
        check("f55 starts 9F26", hex(f55).startsWith("9F26081122334455667788" + "9F270180"))
        eq("f55 9F27", tlvFind(f55, "9F27")?.let { hex(it) }, "80")
        val resp = parseField55ResponseJson(h("910A11223344556677883030"))
        check("response scripts empty", resp.contains("\"scripts\":[]"))
        tags.remove("9F26")
        val missing = throws<PaycoreException.EmvException>("missing 9F26") {
            buildField55(tags, Field55Kind.SALE, false)
        }
        check("missing names tag", missing?.message?.contains("9F26") == true)

        // CPM round trip; toString never shows the PAN.
        val spec = """{"applications":[{"adf_name":"A0000003330101","data":[{"tag":"5A","value":"6212345678901234"}]}]}"""
        val b64 = CpmPayload.fromJson(spec).toBase64()
        check("cpm starts CPV01", b64.startsWith("hQVDUFYwMW"))
        val back = CpmPayload.parse(b64)
        eq("cpm round trip", back.toBase64(), b64)
        check("cpm json has pan", back.toJson().contains("6212345678901234"))
        check("cpm toString masked", !back.toString().contains("6212345678901234"))
        throws<PaycoreException.QrException>("cpm bad base64") { CpmPayload.parse("!!!not base64") }
    }
}
