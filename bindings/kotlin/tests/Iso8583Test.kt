package io.paycore.tests

import io.paycore.*
import io.paycore.tests.Harness.check
import io.paycore.tests.Harness.eq
import io.paycore.tests.Harness.throws

/** ISO 8583 from Kotlin: vectors from core/tests/iso8583.rs (CUP POS field rules). */
object Iso8583Test {
    private const val SALE_HEX =
        "0200702406C020C09A1119622848040256489001800000000000000001000001232512071000010012" +
            "376228480402564890018D25122201234500000031323334353637383132333435363738393031323334" +
            "353135360123456789ABCDEF260000000000000000589F260811223344556677889F2701805A08622848" +
            "0402564890950500000000009A032511259C01009F02060000000001005F2A02015682027C0000142200" +
            "00240006003141324233433444"
    private const val SIGNON_HEX =
        "08000020000000C00012000001313233343536373831323334353637383930313233343500110000000100" +
            "300003303031"
    private const val PAN = "6228480402564890018"

    private fun unhex(s: String) = ByteArray(s.length / 2) { s.substring(2 * it, 2 * it + 2).toInt(16).toByte() }
    private fun hex(b: ByteArray) = b.joinToString("") { "%02X".format(it) }

    fun run() {
        eq("built-ins", iso8583BuiltinSpecs().sorted(), listOf("cup-pos", "iso87ascii", "iso87binary", "iso93ascii"))
        val cup = Iso8583Spec.builtin("cup-pos")
        eq("spec name", cup.name(), "cup-pos")

        // Decode the CUP sale field by field.
        val sale = unhex(SALE_HEX)
        val m = cup.decode(sale)
        eq("mti", m.mti(), "0200")
        eq("fields", m.fields().map { it.toInt() },
            listOf(2, 3, 4, 11, 14, 22, 23, 25, 26, 35, 41, 42, 49, 52, 53, 55, 60, 64))
        eq("F2", m.text(2u), PAN)
        eq("F22 left-aligned", m.text(22u), "071")
        eq("F35 track", m.text(35u), "$PAN=25122201234500000")
        eq("F52 as hex", m.text(52u), "0123456789ABCDEF")
        eq("F52 bytes", m.bytes(52u)?.size, 8)
        eq("F55 bytes", m.bytes(55u)?.size, 58)
        eq("absent", m.text(39u), null)
        check("has 64", m.has(64u) && !m.has(39u))
        eq("F60 sub-fields", m.subfields(60u), listOf("22", "000024", "000", "6", "0", "0"))
        eq("no sub-fields", m.subfields(2u), null)
        eq("round trip", hex(m.encode()), SALE_HEX)
        eq("MAC input = all but F64", hex(m.macInput()), SALE_HEX.dropLast(16))

        // describe masks unless asked; toString never shows card data.
        val d = m.describe()
        check("masked PAN", d.contains("622848*********0018") && !d.contains(PAN))
        check("masked PIN block", !d.contains("0123456789ABCDEF"))
        check("unmasked on request", m.describeUnmasked().contains(PAN))
        check("toString hides PAN", !m.toString().contains("622848"))

        // JSON both ways.
        val json = m.toJson()
        check("json b as hex", json.contains("\"52\": \"0123456789ABCDEF\""))
        check("json F60 nested", json.contains("\"1\":\"22\""))
        eq("json round trip", hex(cup.messageFromJson(json).encode()), SALE_HEX)

        // Build the sign-on byte for byte.
        val on = cup.newMessage("0800")
        on.setText(11u, "000001")
        on.setText(41u, "12345678")
        on.setText(42u, "123456789012345")
        on.setSubfields(60u, listOf("00", "000001", "003"))
        on.setBytes(63u, "001".toByteArray())
        eq("sign-on bytes", hex(on.encode()), SIGNON_HEX)
        on.setText(52u, "0123456789abcdef")
        eq("b from hex", on.text(52u), "0123456789ABCDEF")
        check("remove", on.remove(52u) && !on.remove(52u))

        // Framing: LEN | TPDU | header | body.
        val frame = on.encodeFramed("6006010000", "603100311812")
        eq("frame length", frame.size, 2 + 5 + 6 + SIGNON_HEX.length / 2)
        val f = cup.decodeFramed(frame)
        eq("tpdu", f.tpdu, "6006010000")
        eq("header", f.header, "603100311812")
        eq("framed body", hex(f.message.encode()), SIGNON_HEX)
        throws<PaycoreException.Iso8583Frame>("missing TPDU") { on.encodeFramed(null, null) }

        // Bad input: typed exceptions naming field and byte offset.
        val trunc = throws<PaycoreException.Iso8583Truncated>("truncated") { cup.decode(sale.copyOf(26)) }
        check("truncated says where", trunc?.message?.contains("field 4 at byte 24") == true)
        val bad = sale.copyOf()
        bad[22] = 0x0A
        val e = throws<PaycoreException.Iso8583Decode>("bad BCD") { cup.decode(bad) }
        check("bad BCD says where", e?.message?.contains("field 3 at byte 22") == true)
        check("no PAN in error", e?.message?.contains("622848") == false)
        val badFrame = frame.copyOf()
        badFrame[1] = (badFrame[1] + 1).toByte()
        throws<PaycoreException.Iso8583Frame>("length mismatch") { cup.decodeFramed(badFrame) }
        val enc = throws<PaycoreException.Iso8583Encode>("F11 too short") { on.setText(11u, "12345") }
        check("encode error names field", enc?.message?.contains("field 11") == true)
        eq("unchanged after bad set", on.text(11u), "000001")
        throws<PaycoreException.Iso8583Encode>("letter in n") { on.setText(3u, "00000A") }
        throws<PaycoreException.Iso8583Encode>("bad MTI") { cup.newMessage("08X0") }
        throws<PaycoreException.Iso8583Spec>("unknown spec") { Iso8583Spec.builtin("cup-9999") }
        throws<PaycoreException.Iso8583Spec>("bad spec JSON") { Iso8583Spec.fromJson("{\"name\": 1") }
        throws<PaycoreException.Iso8583Json>("bad message JSON") {
            cup.messageFromJson("{\"mti\":\"0200\",\"fields\":{\"3\":\"12\"}}")
        }

        // A JSON spec round trip decodes ISO 87 ASCII.
        val iso = Iso8583Spec.fromJson(Iso8583Spec.builtin("iso87ascii").toJson())
        val a = iso.decode(("0200" + "3000000000000000" + "000000" + "000000000100").toByteArray())
        eq("ascii F4", a.text(4u), "000000000100")
        m.close(); on.close(); f.message.close(); a.close()
    }
}
