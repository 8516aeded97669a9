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
