package io.paycore.tests

import io.paycore.*
import io.paycore.tests.Harness.check
import io.paycore.tests.Harness.eq
import io.paycore.tests.Harness.throws

// Published vectors from core/tests/security_vectors.rs, and the Android POS path:
// sign-on key unwrap -> PIN block -> MAC, with Key objects that never print their bytes.
object SecurityTest {
    private fun h(hex: String): ByteArray =
        ByteArray(hex.length / 2) { hex.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

    private fun hex(b: ByteArray): String = b.joinToString("") { "%02X".format(it) }

    private const val BDK = "0123456789ABCDEFFEDCBA9876543210"
    private const val PAN = "4012345678909"
    private const val MAB =
        "02003020048000C08031000000000000000001000001032000" +
            "3232303033363030313034353132353431313130303031313536" +
            "0024413330313936323131313131313131313131313131313131" +
            "001322006603000600"

    fun run() {
        keysAndKcv()
        pinBlocks()
        macs()
        signOnPosPath()
        dukpt()
        tr31()
        noSecretsInText()
    }

    private fun keysAndKcv() {
        Key.fromHex(KeyAlgorithm.TDES2, BDK).use { k ->
            eq("algorithm", k.algorithm(), KeyAlgorithm.TDES2)
            eq("length", k.length(), 16u)
            eq("KCV 08D7B4", k.checkValue(), "08D7B4")
            eq("kcv legacy 3", hex(kcvLegacy(k, 3u)), "08D7B4")
            kcvVerify(k, h("08D7B4"), false)
            throws<PaycoreException.CheckValueMismatch>("wrong KCV") { kcvVerify(k, h("08D7B5"), false) }
            eq("export", hex(k.exportBytes()), BDK)
        }
        Key.fromBytes(KeyAlgorithm.DES, h("DAB36167E6DFB5EF")).use { mak ->
            eq("CUP 4-byte KCV", hex(kcvLegacy(mak, 4u)), "B8F616DC")
        }
        Key.fromBytes(KeyAlgorithm.AES128, ByteArray(16)).use { eq("cmac kcv len", kcvCmac(it).size, 5) }
        Key.fromHex(KeyAlgorithm.SM4, BDK).use { eq("sm4 kcv len", kcvSm4(it).size, 8) }
        val e = throws<PaycoreException.KeyLength>("short TDES key") {
            Key.fromBytes(KeyAlgorithm.TDES2, h("0123456789ABCDEF"))
        }
        check("key length message", e?.message?.contains("16 bytes, got 8") == true)
        throws<PaycoreException.Security>("odd hex") { Key.fromHex(KeyAlgorithm.DES, "0123456789ABCDE") }
    }

    private fun pinBlocks() {
        val clear = pinBlockBuild(PinBlockFormat.ISO0, "1234", PAN, ByteArray(0))
        eq("ISO-0 vector", hex(clear), "041274EDCBA9876F")
        eq("ISO-0 recover", pinBlockRecover(PinBlockFormat.ISO0, clear, PAN), "1234")
        eq("ISO-2 vector", hex(pinBlockBuild(PinBlockFormat.ISO2, "1234", null, ByteArray(0))), "241234FFFFFFFFFF")
        Key.fromBytes(KeyAlgorithm.AES128, ByteArray(16) { it.toByte() }).use { aes ->
            val enc = pinBlockEncrypt(aes, PinBlockFormat.ISO4, "987654", PAN, ByteArray(8) { 7 })
            eq("ISO-4 len", enc.size, 16)
            eq("ISO-4 round trip", pinBlockDecrypt(aes, PinBlockFormat.ISO4, enc, PAN), "987654")
        }
        Key.fromHex(KeyAlgorithm.SM4, BDK).use { sm4 ->
            for (layout in listOf(Sm4PinLayout.ISO0_PADDED, Sm4PinLayout.WIDE)) {
                val enc = sm4PinEncrypt(sm4, layout, "123456", "6228480012345676789")
                eq("SM4 $layout len", enc.size, 16)
                eq("SM4 $layout round trip", sm4PinDecrypt(sm4, layout, enc, "6228480012345676789"), "123456")
            }
        }
        throws<PaycoreException.PinBlock>("PIN too short") {
            pinBlockBuild(PinBlockFormat.ISO0, "123", PAN, ByteArray(0))
        }
        throws<PaycoreException.PinBlock>("PAN missing") {
            pinBlockBuild(PinBlockFormat.ISO0, "1234", null, ByteArray(0))
        }
        throws<PaycoreException.PinBlock>("PAN too short") {
            pinBlockBuild(PinBlockFormat.ISO0, "1234", "1234", ByteArray(0))
        }
        throws<PaycoreException.PinBlock>("random missing") {
            pinBlockBuild(PinBlockFormat.ISO1, "1234", null, ByteArray(0))
        }
    }

    private fun macs() {
        val x99 = "7654321 Now is the time for ".toByteArray()
        Key.fromHex(KeyAlgorithm.DES, "0123456789ABCDEF").use { k ->
            eq("X9.9 vector", hex(macCompute(MacAlgorithm.X99, k, x99)), "F1D30F6849312CA4")
            macVerify(MacAlgorithm.X99, k, x99, h("F1D30F68"))
        }
        Key.fromHex(KeyAlgorithm.TDES2, BDK).use { k ->
            eq("X9.19 vector", hex(macCompute(MacAlgorithm.X919, k, "Now is the time for all ".toByteArray())),
                "A1C72E74EA3FA9B6")
        }
        Key.fromHex(KeyAlgorithm.DES, "DAB36167E6DFB5EF").use { mak ->
            eq("CUP ECB MAC", String(macCompute(MacAlgorithm.CUP_ECB, mak, h(MAB))), "E5805ECB")
            macVerify(MacAlgorithm.CUP_ECB, mak, h(MAB), "E5805ECB".toByteArray())
            throws<PaycoreException.MacMismatch>("tampered MAC") {
                macVerify(MacAlgorithm.CUP_ECB, mak, h(MAB), "E5805ECC".toByteArray())
            }
            throws<PaycoreException.Security>("SM4 MAC with a DES key") {
                macCompute(MacAlgorithm.CUP_SM4_BINARY, mak, h(MAB))
            }
        }
        Key.fromHex(KeyAlgorithm.SM4, BDK).use { sm4 ->
            eq("CUP SM4 binary len", macCompute(MacAlgorithm.CUP_SM4_BINARY, sm4, h(MAB)).size, 8)
            check("CUP SM4 hex is hex",
                String(macCompute(MacAlgorithm.CUP_SM4_HEX, sm4, h(MAB))).matches(Regex("[0-9A-F]{8}")))
            eq("CMAC len", macCompute(MacAlgorithm.CMAC, sm4, h(MAB)).size, 16)
        }
    }

    // The Android POS path: the host's 0810 field 62 (layout 004) is unwrapped under the TMK,
    // then the PIN key encrypts field 52 and the MAC key computes field 64.
    private fun signOnPosPath() {
        val tmk = Key.fromHex(KeyAlgorithm.TDES2, "11111111111111112222222222222222")
        val pik = Key.fromHex(KeyAlgorithm.TDES2, BDK)
        val mak = Key.fromHex(KeyAlgorithm.TDES2, "DAB36167E6DFB5EF0123456789ABCDEF")
        val tdk = Key.fromHex(KeyAlgorithm.TDES2, "89E88CF7931444F334BD7547FC3F380C")
        val field62 = WorkingKeys(pik, mak, tdk).use { buildSignOnField62(tmk, SignOnLayout.DOUBLE_LENGTH_WITH_TRACK, it) }
        eq("field 62 length", field62.size, 60)
        unwrapSignOnKeys(tmk, SignOnLayout.DOUBLE_LENGTH_WITH_TRACK, field62).use { keys ->
            eq("PIN key KCV", keys.pinKey().checkValue(), "08D7B4")
            eq("MAC key bytes", hex(keys.macKey().exportBytes()), "DAB36167E6DFB5EF0123456789ABCDEF")
            eq("track key", keys.trackKey()?.checkValue(), tdk.checkValue())
            val f52 = pinBlockEncrypt(keys.pinKey(), PinBlockFormat.ISO0, "1234", PAN, ByteArray(0))
            eq("F52 decrypts", pinBlockDecrypt(pik, PinBlockFormat.ISO0, f52, PAN), "1234")
            val f64 = macCompute(MacAlgorithm.CUP_ECB, keys.macKey(), h(MAB))
            eq("F64 host agrees", hex(f64), hex(macCompute(MacAlgorithm.CUP_ECB, mak, h(MAB))))
        }
        val f62003 = WorkingKeys(pik, mak, null).use { buildSignOnField62(tmk, SignOnLayout.DOUBLE_LENGTH, it) }
        unwrapSignOnKeys(tmk, SignOnLayout.DOUBLE_LENGTH, f62003).use { eq("003: no track key", it.trackKey(), null) }
        val bad = field62.copyOf()
        bad[36] = (bad[36].toInt() xor 1).toByte()
        val e = throws<PaycoreException.CheckValueMismatch>("wrong MAC key check value") {
            unwrapSignOnKeys(tmk, SignOnLayout.DOUBLE_LENGTH_WITH_TRACK, bad)
        }
        check("names the key", e?.message?.contains("MAC key") == true)
        throws<PaycoreException.Security>("field 62 length") {
            unwrapSignOnKeys(tmk, SignOnLayout.DOUBLE_LENGTH, field62)
        }
        listOf(tmk, pik, mak, tdk).forEach { it.close() }
    }

    private fun dukpt() {
        Key.fromHex(KeyAlgorithm.TDES2, BDK).use { bdk ->
            val ipek = dukptTdesIpek(bdk, h("FFFF9876543210E00000"))
            eq("IPEK", hex(ipek.exportBytes()), "6AC292FAA1315B4D858AB3A3D7D5933A")
            val tk = dukptTdesTransactionKey(bdk, h("FFFF9876543210E00001"))
            eq("first transaction key", hex(tk.exportBytes()), "042666B49184CFA368DE9628D0397BC9")
            val pek = dukptTdesUsageKey(tk, TdesDukptUsage.PIN)
            eq("PIN variant", hex(pek.exportBytes()), "042666B49184CF5C68DE9628D0397B36")
            eq("DUKPT PIN block", hex(pinBlockEncrypt(pek, PinBlockFormat.ISO0, "1234", PAN, ByteArray(0))),
                "1B9C1845EB993A7A")
            val macReq = dukptTdesUsageKey(tk, TdesDukptUsage.MAC_REQUEST)
            eq("DUKPT MAC", hex(macCompute(MacAlgorithm.X919, macReq, "4012345678909D987".toByteArray())).take(8),
                "9CCC7817")
            TdesDukptTerminal(ipek, h("FFFF9876543210E00000")).use { term ->
                eq("next KSN", hex(term.nextKsn()), "FFFF9876543210E00001")
                term.nextTransaction().use { t ->
                    eq("terminal KSN 1", hex(t.ksn()), "FFFF9876543210E00001")
                    eq("terminal key 1", hex(t.key().exportBytes()), "042666B49184CFA368DE9628D0397BC9")
                }
                term.nextTransaction().use { t ->
                    eq("terminal key 2", hex(t.key().exportBytes()), "C46551CEF9FD24B0AA9AD834130D3BC7")
                }
            }
            throws<PaycoreException.Security>("short KSN") { dukptTdesIpek(bdk, h("FFFF")) }
            throws<PaycoreException.Dukpt>("counter zero") { dukptTdesTransactionKey(bdk, h("FFFF9876543210E00000")) }
        }
        Key.fromHex(KeyAlgorithm.AES128, "FEDCBA9876543210F1F1F1F1F1F1F1F1").use { bdk ->
            val ik = dukptAesInitialKey(bdk, h("123456789012345600000000"))
            eq("AES IK", hex(ik.exportBytes()), "1273671EA26AC29AFA4D1084127652A1")
            eq("AES derivation key 1", hex(dukptAesDerivationKey(ik, h("123456789012345600000001")).exportBytes()),
                "4F21B565BAD9835E112B6465635EAE44")
            val wk = dukptAesWorkingKey(bdk, h("123456789012345600000001"), AesDukptUsage.PIN_ENCRYPTION, KeyAlgorithm.AES128)
            eq("AES working key alg", wk.algorithm(), KeyAlgorithm.AES128)
            throws<PaycoreException.Dukpt>("17 one-bits") { dukptAesDerivationKey(ik, h("12345678901234560001FFFF")) }
        }
    }

    private fun tr31() {
        val block = "C0096B0TX12S0100KS1800604B120F9292800000BFB9B689CB567E66FC3FEE5AD5F52161FC6545B9D60989015D02155C"
        Key.fromHex(KeyAlgorithm.TDES2, "B8ED59E0A279A295E9F5ED7944FD06B9").use { kbpk ->
            tr31Unwrap(kbpk, block).use { kb ->
                eq("TR-31 key", hex(kb.key().exportBytes()), "EDB380DD340BC2620247D445F5B8D678")
                val hd = kb.header()
                eq("version", hd.version, "C")
                eq("usage", hd.keyUsage, "B0")
                eq("mode", hd.modeOfUse, "X")
                eq("key version", hd.keyVersion, "12")
                eq("exportability", hd.exportability, "S")
                eq("KS block", hd.optionalBlocks, listOf(Tr31OptionalBlock("KS", "00604B120F9292800000")))
                eq("parse header", tr31ParseHeader(block), hd)
            }
            val tampered = block.substring(0, 40) + (if (block[40] == '0') "1" else "0") + block.substring(41)
            throws<PaycoreException.Tr31>("tampered block") { tr31Unwrap(kbpk, tampered) }
            throws<PaycoreException.Tr31>("malformed block") { tr31Unwrap(kbpk, "B0000") }
        }
        val kbpk = Key.fromBytes(KeyAlgorithm.AES256, ByteArray(32) { 0x41 })
        val key = Key.fromBytes(KeyAlgorithm.AES192, ByteArray(24) { 0x17 })
        val hd = Tr31Header("D", "P0", "A", "E", "00", "E", listOf(Tr31OptionalBlock("KS", "00604B120F9292")))
        val wrapped = tr31Wrap(kbpk, hd, key, 0u, ByteArray(64) { 0x5A })
        eq("wrapped length field", wrapped.substring(1, 5).toInt(), wrapped.length)
        tr31Unwrap(kbpk, wrapped).use { kb ->
            eq("wrap round trip key", hex(kb.key().exportBytes()), hex(key.exportBytes()))
            eq("wrap round trip header", kb.header(), hd)
        }
        throws<PaycoreException.Tr31>("bad version") { tr31Wrap(kbpk, hd.copy(version = "E"), key, 0u, ByteArray(64)) }
        kbpk.close()
        key.close()
    }

    // No key, PIN or PIN-block bytes in toString() or exception messages.
    private fun noSecretsInText() {
        val keyHex = BDK
        val key = Key.fromHex(KeyAlgorithm.TDES2, keyHex)
        val tmk = Key.fromHex(KeyAlgorithm.TDES2, "11111111111111112222222222222222")
        val texts = mutableListOf(key.toString())
        check("toString shows the KCV", key.toString().contains("08D7B4"))
        val f62 = WorkingKeys(key, key, null).use { buildSignOnField62(tmk, SignOnLayout.DOUBLE_LENGTH, it) }
        unwrapSignOnKeys(tmk, SignOnLayout.DOUBLE_LENGTH, f62).use {
            texts += listOf(it.toString(), it.pinKey().toString())
            check("WorkingKeys.toString shows check values", it.toString().contains("08D7B4"))
        }
        Key.fromHex(KeyAlgorithm.TDES2, "DD7515F2BFC17F85CE48F3CA25CB21F6").use { kbpk ->
            val b = "B0080P0TE00E000094B420079CC80BA3461F86FE26EFC4A3B8E4FA4C5F5341176EED7B727B8A248E"
            tr31Unwrap(kbpk, b).use { kb ->
                texts += kb.toString()
                check("Tr31KeyBlock.toString shows usage and KCV",
                    kb.toString().contains("P0") && kb.toString().contains("57C409"))
                check("no TR-31 key bytes", !kb.toString().contains("3F419E1CB7079442"))
            }
        }
        val clear = pinBlockBuild(PinBlockFormat.ISO0, "5937", PAN, ByteArray(0))
        val enc = pinBlockEncrypt(key, PinBlockFormat.ISO0, "5937", PAN, ByteArray(0))
        val failing = listOf<() -> Unit>(
            { Key.fromBytes(KeyAlgorithm.AES128, h(keyHex).copyOf(15)) },
            { Key.fromHex(KeyAlgorithm.TDES2, keyHex.dropLast(1) + "Z") },
            { pinBlockBuild(PinBlockFormat.ISO0, "59x7", PAN, ByteArray(0)) },
            { pinBlockDecrypt(key, PinBlockFormat.ISO2, enc, null) },
            { pinBlockRecover(PinBlockFormat.ISO1, clear, null) },
            { macVerify(MacAlgorithm.X919, key, "data".toByteArray(), h(keyHex).copyOf(8)) },
            { unwrapSignOnKeys(tmk, SignOnLayout.DOUBLE_LENGTH, f62.copyOf(39) + byteArrayOf(0)) },
        )
        for (f in failing) {
            val e = throws<PaycoreException>("fails") { f() }
            texts += listOf(e?.message ?: "", e.toString())
        }
        val secrets = listOf(keyHex, keyHex.take(16), keyHex.drop(16), "5937", hex(clear), hex(enc))
        for (t in texts) for (s in secrets) check("'$s' not in text", !t.uppercase().contains(s.uppercase()))
        key.close()
        tmk.close()
    }
}
