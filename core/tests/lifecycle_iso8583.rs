//! Cross-check with the workspace's spec-driven ISO 8583 codec (`cup-pos` dialect): every
//! frame the lifecycle puts on the wire decodes there field by field, re-encodes to the same
//! bytes, and its F64 verifies through the codec's MAC hook.

mod lifecycle_support;

use chrono::Duration;
use lifecycle_support::*;
use paycore::iso8583::{self, MessageMac, Spec};
use paycore::lifecycle::keys::{MacKey, cup_ecb_mac};
use paycore::lifecycle::wire::Message;
use paycore::lifecycle::*;

/// The lifecycle's CUP ECB MAC behind the codec's MAC hook.
struct CupEcb(MacKey);

impl MessageMac for CupEcb {
    fn mac_len(&self) -> usize {
        8
    }
    fn compute(&self, input: &[u8]) -> Result<Vec<u8>, iso8583::MacHookError> {
        Ok(cup_ecb_mac(&self.0, input).to_vec())
    }
}

/// Records every frame in both directions while a scenario runs.
fn frames() -> Vec<Vec<u8>> {
    let mut out = vec![];
    let mut w = World::new();
    let mut grab = |w: &mut World, r: TransactionRequest| {
        w.term.begin(w.now, r).unwrap();
        let f = w.term.poll_transmit().unwrap();
        out.push(f.clone());
        w.proc.handle_terminal(w.now, &f).unwrap();
        w.pump_network_only();
        let (_, resp) = w.proc.poll_terminal_transmit().unwrap();
        out.push(resp.clone());
        w.term.handle_response(w.now, &resp).unwrap();
        w.pump();
    };
    grab(&mut w, req(TransactionKind::Sale, 12_345, PAN));
    let sale = w.last_journal();
    grab(&mut w, req(TransactionKind::BalanceInquiry, 0, PAN));
    grab(&mut w, req(TransactionKind::PreAuth, 5_000, VISA));
    grab(&mut w, req_orig(TransactionKind::Void, 12_345, PAN, &sale));
    w.advance(Duration::days(1));
    grab(&mut w, req_orig(TransactionKind::Refund, 100, PAN, &sale));
    // A reversal and a settlement.
    w.term
        .begin(w.now, req(TransactionKind::Sale, 1, PAN))
        .unwrap();
    let _lost = w.term.poll_transmit().unwrap();
    w.term
        .handle_timeout(w.now + Duration::seconds(60))
        .unwrap();
    out.push(w.term.poll_transmit().unwrap()); // 0400
    w.term = serde_json::from_str(&serde_json::to_string(&w.term).unwrap()).unwrap();
    w.term
        .handle_timeout(w.now + Duration::seconds(200))
        .unwrap();
    w.term
        .handle_timeout(w.now + Duration::seconds(200))
        .unwrap();
    if let Some(f) = w.term.poll_transmit() {
        out.push(f);
    }
    out
}

trait NetworkOnly {
    fn pump_network_only(&mut self);
}

impl NetworkOnly for World {
    fn pump_network_only(&mut self) {
        while let Some(r) = self.proc.poll_network_request() {
            if let NetworkRequestBody::Transaction { pan, .. } = &r.body {
                let outcome = NetworkOutcome::Approved {
                    auth_code: "A1B2C3".into(),
                    settlement_date: None,
                    card: card_profile(pan),
                    balance: Some(99),
                };
                self.proc
                    .handle_network_response(self.now, NetworkResponse { id: r.id, outcome })
                    .unwrap();
            }
        }
    }
}

#[test]
fn lifecycle_frames_are_cup_pos_messages() {
    let spec = Spec::builtin("cup-pos").unwrap();
    let all = frames();
    assert!(all.len() >= 11);
    for f in &all {
        let ours = Message::decode(f).unwrap();
        let theirs =
            iso8583::decode(&spec, f).unwrap_or_else(|e| panic!("MTI {:04}: {e}", ours.mti));
        assert_eq!(theirs.mti().to_string(), format!("{:04}", ours.mti));
        for n in 2u8..=64 {
            assert_eq!(
                theirs.get(u16::from(n)),
                ours.get(n),
                "MTI {:04} field {n}",
                ours.mti
            );
        }
        assert_eq!(
            &theirs.encode(&spec).unwrap(),
            f,
            "byte-identical re-encoding"
        );
    }
}

#[test]
fn lifecycle_macs_verify_through_the_codec_hook() {
    let spec = Spec::builtin("cup-pos").unwrap();
    let hook = CupEcb(keys(1).mak);
    let mut checked = 0;
    for f in frames() {
        let view = iso8583::decode_ref(&spec, &f).unwrap();
        if view.has(64) {
            iso8583::mac::verify(&view, &hook).unwrap();
            checked += 1;
        }
    }
    assert!(checked >= 10);
    // And a message signed by the codec verifies in the lifecycle's own terms.
    let mut m = iso8583::Message::new(iso8583::Mti::parse("0200").unwrap());
    m.set_text(3, "000000")
        .set_text(4, "000000000100")
        .set_text(11, "000123")
        .set_text(41, "T0000001");
    let signed = iso8583::mac::sign(&mut m, &spec, &hook).unwrap();
    let ours = Message::decode(&signed).unwrap();
    let mut body = ours.clone();
    body.remove(64);
    assert!(keys::verify_cup_ecb_mac(
        &keys(1).mak,
        &body.mab().unwrap(),
        ours.get(64).unwrap()
    ));
}

/// Track 2 goes out as F35 (with `=` encoded as the BCD nibble D) and its expiry as F14; a
/// host accepts a swiped request that carries F35 but no F2, and refuses one whose F2 and F35
/// PANs disagree.
#[test]
fn track2_travels_as_f35_with_f14() {
    let spec = Spec::builtin("cup-pos").unwrap();
    let mut w = World::new();
    w.term
        .begin(w.now, req(TransactionKind::Sale, 4_200, PAN))
        .unwrap();
    let f = w.term.poll_transmit().unwrap();
    let m = iso8583::decode(&spec, &f).unwrap();
    assert_eq!(m.text(35), Some(format!("{PAN}=29122011234567").as_str()));
    assert_eq!(m.text(14), Some("2912"));
    let bcd = paycore::hex::encode(m.get(35).unwrap());
    assert!(
        paycore::hex::encode(&f).contains(&format!("{PAN}D29122011234567")),
        "F35 as BCD with D: {bcd}"
    );
    w.proc.handle_terminal(w.now, &f).unwrap();
    let r = w.proc.poll_network_request().unwrap();
    let NetworkRequestBody::Transaction { pan, .. } = &r.body else {
        panic!("expected a transaction request")
    };
    assert_eq!(pan.digits(), PAN);

    // The terminal refuses a track 2 of another card, and consumes no STAN for it.
    let mut other = req(TransactionKind::Sale, 1, PAN);
    other.card.track2 = Some(Track2::parse(&format!("{VISA}=29122010000")).unwrap());
    let mut w2 = World::new();
    let before = serde_json::to_value(&w2.term).unwrap();
    assert!(matches!(
        w2.term.begin(w2.now, other),
        Err(LifecycleError::InvalidRequest { .. })
    ));
    assert_eq!(serde_json::to_value(&w2.term).unwrap(), before);

    // Host side: F35 only (no F2) is enough; F2 ≠ F35 is a malformed request (no capture).
    for (drop_f2, swap_pan, captured) in [(true, false, true), (false, true, false)] {
        let mut w = World::new();
        w.term
            .begin(w.now, req(TransactionKind::Sale, 700, PAN))
            .unwrap();
        let f = w.term.poll_transmit().unwrap();
        let mut m = iso8583::decode(&spec, &f).unwrap();
        if drop_f2 {
            m.remove(2);
        }
        if swap_pan {
            m.set_text(2, VISA);
        }
        let hook = CupEcb(keys(1).mak);
        m.remove(64);
        let signed = iso8583::mac::sign(&mut m, &spec, &hook).unwrap();
        w.proc.handle_terminal(w.now, &signed).unwrap();
        assert_eq!(w.proc.poll_network_request().is_some(), captured);
    }
}
