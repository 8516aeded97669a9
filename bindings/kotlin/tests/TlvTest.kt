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

        typedApi()
        typedMpm()
    }

    private fun typedApi() {
        // TLV from tag/value pairs: minimal lengths (long form 81 C8 for 200 bytes).
        eq(
            "encode items",
            hex(tlvEncodeItems(listOf(TlvItem("9F02", h("000000000100")), TlvItem("5F2A", h("0156"))))),
            "9F02060000000001005F2A020156",
        )
        val big = tlvEncodeItems(listOf(TlvItem("C1", ByteArray(200) { 0xAB.toByte() })))
        eq("long form", hex(big.copyOfRange(0, 3)), "C181C8")
        eq("long form size", big.size, 203)
        throws<PaycoreException.InvalidArgument>("bad tag item") { tlvEncodeItems(listOf(TlvItem("00", h("01")))) }
        val trunc = throws<PaycoreException.TlvException>("truncated in template") { tlvFind(h("70055F24032512"), "70/5F24") }
        eq("truncated offset", trunc?.message, "truncated at byte offset 5 (tag path 70/5F24)")

        // Dictionary lookup as a typed record.
        val amount = emvTagInfo("9F02")!!
        eq("9F02 name", amount.name, "Amount, Authorised (Numeric)")
        eq("9F02 format", amount.format, EmvFormat.N)
        eq("9F02 format text", amount.formatText, "n 12")
        eq("9F02 source", amount.source, EmvSource.TERMINAL)
        eq("9F02 lengths", Pair(amount.minLen, amount.maxLen), Pair(6.toUShort(), 6.toUShort()))
        eq("5A format", emvTagInfo("5A")?.format, EmvFormat.CN)
        eq("unknown tag", emvTagInfo("9F7F"), null)
        eq("81 plain", emvTagInfo("81")?.name, "Amount, Authorised (Binary)")
        eq("81 in A1", emvTagInfo("81", "A1")?.name, "Biometric Type")
        eq("81 in A1 templates", emvTagInfo("81", "A1")?.templates, listOf("A1", "BF4E"))
        throws<PaycoreException.EmvException>("bad tag text") { emvTagInfo("9G") }

        // DOL parse (typed) and build from prioritised sources.
        val dol = h("9F02069F03069F1A0295055F2A029A039C019F3704")
        val entries = parseDol(dol)
        eq("dol entries", entries.map { it.tag to it.length.toInt() }, listOf(
            "9F02" to 6, "9F03" to 6, "9F1A" to 2, "95" to 5, "5F2A" to 2, "9A" to 3, "9C" to 1, "9F37" to 4,
        ))
        val bad = throws<PaycoreException.TlvException>("truncated dol") { parseDol(dol.copyOfRange(0, 10)) }
        check("truncated dol offset", bad?.message?.contains("offset 10") == true)
        val s1 = mapOf(
            "9C" to h("09"), "9A" to h("240217"), "5F2A" to h("0978"), "9F02" to h("000123456789"),
            "9F03" to h("000987654321"), "9F37" to h("DEADBEEF"), "5A" to h("541333008902001F"),
        )
        val s2 = mapOf("9F1A" to h("0528"), "9F37" to h("DEADCAFE"), "95" to h("1234554321"))
        eq("dol sources", hex(buildDolFromSources(dol, listOf(s1, s2))),
            "00012345678900098765432105281234554321097824021709DEADBEEF")
        eq("dol priority", hex(buildDolFromSources(h("9F3704"), listOf(s2, s1))), "DEADCAFE")
        eq("dol padding", hex(buildDolFromSources(h("9F02045A0A9506"), listOf(s1, s2))),
            "23456789541333008902001FFFFF123455432100")

        // TVR explanation as a typed record, and masking of sensitive values.
        val tvr = emvExplain("95", h("0000080000"))
        eq("tvr name", tvr.name, "Terminal Verification Results")
        eq("tvr items", tvr.items, listOf(EmvExplainedItem(3.toUByte(), 4.toUByte(), "pin_not_entered",
            "PIN entry required, PIN pad present, but PIN was not entered")))
        eq("cvm results", emvExplain("9F34", h("1E0002")).summary, "Signature (paper) / Always / Successful")
        eq("pan masked", emvExplain("5A", h("6230606601007726888F")).value, "623060*********6888F")
        throws<PaycoreException.EmvException>("explain short tvr") { emvExplain("95", h("00000800")) }

        // Flags: unknown name is a typed error.
        eq("flags", hex(emvEncodeFlags("95", listOf("oda_not_performed", "merchant_forced_online", "issuer_authentication_failed"))), "8000000840")
        val unknown = throws<PaycoreException.EmvUnknownFlag>("unknown flag") { emvEncodeFlags("95", listOf("nope")) }
        check("unknown flag named", unknown?.message?.contains("nope") == true)

        // Field 55 in the customary CUP order (given shuffled), then a typed response.
        val tags = mapOf(
            "9F63" to h("00000000000000000000000000000000"), "84" to h("A0000003330101"),
            "9F35" to h("22"), "9F34" to h("1E0300"), "9F33" to h("E0F8C8"), "9F03" to h("000000000000"),
            "9F1A" to h("0156"), "82" to h("7C00"), "5F2A" to h("0156"), "9F02" to h("000000000100"),
            "9C" to h("00"), "9A" to h("240217"), "95" to h("0000080000"), "9F36" to h("0012"),
            "9F37" to h("DEADBEEF"), "9F10" to h("07010103A0A80201"), "9F26" to h("1122334455667788"),
        )
        eq("field 55 order", hex(buildField55(tags, Field55Kind.SALE, true)),
            "9F260811223344556677889F2701809F100807010103A0A802019F3704DEADBEEF9F36020012" +
                "950500000800009A032402179C01009F02060000000001005F2A02015682027C009F1A020156" +
                "9F03060000000000009F3303E0F8C89F34031E03009F3501228407A0000003330101" +
                "9F631000000000000000000000000000000000")
        val resp = parseField55Response(h("910A1122334455667788303072169F180400000001860D840400000801020304050607088A023030"))
        eq("arpc", resp.issuerAuthentication?.arpc?.let { hex(it) }, "1122334455667788")
        eq("arc", resp.issuerAuthentication?.rest?.let { hex(it) }, "3030")
        eq("scripts", resp.scripts.size, 1)
        eq("script template", resp.scripts[0].template, "72")
        eq("script id", hex(resp.scripts[0].scriptId), "00000001")
        eq("script commands", resp.scripts[0].commands.map { hex(it) }, listOf("84040000080102030405060708"))
        eq("script raw", hex(resp.scripts[0].raw), "72169F180400000001860D84040000080102030405060708")
        eq("other", resp.other.map { it.tag to hex(it.value) }, listOf("8A" to "3030"))
        eq("no 91", parseField55Response(h("8A023030")).issuerAuthentication, null)
        throws<PaycoreException.TlvException>("truncated response") { parseField55Response(h("910A11223344")) }
    }

    private fun typedMpm() {
        // The EMVCo example as a typed record.
        val p = parseMpm(EMVCO)
        eq("poi", p.pointOfInitiation, MpmPointOfInitiation.DYNAMIC)
        eq("accounts", p.merchantAccounts.map { (it as MpmMerchantAccount.Template).template.id.toInt() }, listOf(29, 31))
        eq("guid 29", (p.merchantAccounts[0] as MpmMerchantAccount.Template).template.fields[0], MpmField(0.toUByte(), "D15600000000"))
        eq("mcc", p.merchantCategoryCode, "4111")
        eq("currency", p.transactionCurrency, "156")
        eq("amount", p.transactionAmount, "23.72")
        check("tip prompt", p.tipOrConvenience is MpmTipOrConvenience.PromptForTip)
        eq("country/name/city", listOf(p.countryCode, p.merchantName, p.merchantCity), listOf("CN", "BEST TRANSPORT", "BEIJING"))
        eq("language", p.language, MpmLanguage("ZH", "最佳运输", "北京", emptyList()))
        eq("store label", p.additionalData?.storeLabel, "1234")
        eq("terminal label", p.additionalData?.terminalLabel, "A6008667")
        eq("consumer data request", p.additionalData?.consumerDataRequest, "ME")
        eq("unreserved 91", p.unreservedTemplates.map { it.id.toInt() to it.fields.map { f -> f.value } },
            listOf(91 to listOf("A011223344998877", "12345678")))
        val rebuilt = buildMpm(p)
        eq("typed round trip", parseMpm(rebuilt), p)
        eq("typed build crc", rebuilt.takeLast(4).toInt(16), qrCrc16(rebuilt.dropLast(4).toByteArray(Charsets.UTF_8)).toInt())

        // A POS building a dynamic UnionPay code for one sale.
        val sale = MpmPayload(
            pointOfInitiation = MpmPointOfInitiation.DYNAMIC,
            merchantAccounts = listOf(
                MpmMerchantAccount.UnionPay(15.toUByte(), "12345678", "87654321", "123456789012345"),
            ),
            merchantCategoryCode = "5812",
            transactionCurrency = "156",
            transactionAmount = "88.00",
            countryCode = "CN",
            merchantName = "TEST SHOP",
            merchantCity = "SHANGHAI",
            additionalData = MpmAdditionalData(billNumber = "INV0001"),
        )
        val text = buildMpm(sale)
        check("dynamic prefix", text.startsWith("000201010212"))
        check("unionpay 15", text.contains("1531123456788765432112345678901234" + "5"))
        check("amount 54", text.contains("540588.00"))
        eq("sale round trip", parseMpm(text), sale)
        throws<PaycoreException.QrException>("name too long") {
            buildMpm(sale.copy(merchantName = "A MERCHANT NAME LONGER THAN 25"))
        }
        throws<PaycoreException.QrException>("typed crc mismatch") { parseMpm(EMVCO.replace("6304A13A", "6304A13B")) }
    }
}
