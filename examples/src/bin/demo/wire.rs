//! The POS, the acquirer's switch and a simulated card network, wired in memory: frames go
//! from one state machine to the other by plain function calls, in virtual time.

use chrono::{DateTime, Utc};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::{self as lc, DomainEvent, TerminalEvent, TransactionKind as T};

use crate::{CREDIT_PAN, MID, Res, TID, bj};

/// The POS, the switch and a simulated card network, wired in memory.
pub(crate) struct Wire {
    pub(crate) pos: lc::TerminalSession,
    pub(crate) host: lc::AcquirerProcessor,
    pub(crate) now: DateTime<Utc>,
    pub(crate) lose_next_response: bool,
    pub(crate) frames: Vec<Vec<u8>>, // the last exchange's frames, both directions, in order
    pub(crate) t_events: Vec<TerminalEvent>,
    pub(crate) p_events: Vec<DomainEvent>,
}

impl Wire {
    /// Onboarding: the switch knows the terminal, its master key and today's working keys.
    pub(crate) fn new(now: DateTime<Utc>) -> Res<Wire> {
        let (tid, mid) = (lc::TerminalId::new(TID)?, lc::MerchantId::new(MID)?);
        let tmk = MasterKey::new(*b"demo-TMK-0123456");
        let (config, store) = (lc::ProcessorConfig::default(), lc::InMemoryStore::default());
        let mut host = lc::AcquirerProcessor::new(config, store);
        let (terminal_id, merchant_id) = (tid.clone(), mid.clone());
        host.register_terminal(lc::TerminalProfile {
            terminal_id,
            merchant_id,
            tmk: tmk.clone(),
        });
        let keys = WorkingKeys {
            pik: PinKey::new(*b"demo-PIK-0123456"),
            mak: MacKey::new(*b"demo-MAK"),
        };
        host.provide_working_keys(&tid, keys)?;
        let pos = lc::TerminalSession::new(lc::TerminalConfig::new(tid, mid, tmk));
        let (frames, t_events, p_events) = (vec![], vec![], vec![]);
        Ok(Wire {
            pos,
            host,
            now,
            lose_next_response: false,
            frames,
            t_events,
            p_events,
        })
    }

    /// Moves frames POS → switch → network → switch → POS until all is quiet.
    pub(crate) fn pump(&mut self) -> Res<()> {
        let mut moved = true;
        while moved {
            moved = false;
            while let Some(f) = self.pos.poll_transmit() {
                moved = true;
                let _ = self.host.handle_terminal(self.now, &f); // refusals come back as frames
                self.frames.push(f);
            }
            while let Some(r) = self.host.poll_network_request() {
                moved = true;
                let lc::NetworkRequestBody::Transaction { pan, .. } = r.body else {
                    self.host.handle_network_reversal_ack(self.now, r.id)?;
                    continue;
                };
                // The issuer knows its card product; the switch learns it from the answer.
                let card_type = if pan.digits() == CREDIT_PAN {
                    lc::CardType::Credit
                } else {
                    lc::CardType::Debit
                };
                let outcome = lc::NetworkOutcome::Approved {
                    auth_code: format!("{:06}", 731_000 + r.id),
                    settlement_date: None, // the switch applies the 23:00 cut-off itself
                    card: lc::CardProfile {
                        brand: lc::CardBrand::UnionPay,
                        card_type,
                    },
                    balance: None,
                };
                self.host
                    .handle_network_response(self.now, lc::NetworkResponse { id: r.id, outcome })?;
            }
            while let Some((_, f)) = self.host.poll_terminal_transmit() {
                moved = true;
                if !std::mem::take(&mut self.lose_next_response) {
                    let _ = self.pos.handle_response(self.now, &f);
                }
                self.frames.push(f);
            }
        }
        self.t_events
            .extend(std::iter::from_fn(|| self.pos.poll_event()));
        self.p_events
            .extend(std::iter::from_fn(|| self.host.poll_event()));
        Ok(())
    }

    /// Lets virtual time run to `until`, firing the timers of both sides on the way.
    pub(crate) fn advance(&mut self, until: &str) -> Res<()> {
        let until = bj(until);
        let due = |w: &Wire| {
            [w.pos.poll_timeout(), w.host.poll_timeout()]
                .into_iter()
                .flatten()
                .filter(|t| *t <= until)
                .min()
        };
        while let Some(t) = due(self) {
            self.now = self.now.max(t);
            self.pos.handle_timeout(self.now)?;
            self.host.handle_timeout(self.now)?;
            self.pump()?;
        }
        self.now = until;
        self.frames.clear();
        Ok(())
    }

    /// A chip transaction at `at`; voids and refunds name their original journal entry.
    pub(crate) fn run(
        &mut self,
        at: &str,
        kind: T,
        fen: i64,
        pan: &str,
        original: Option<lc::JournalEntry>,
    ) -> Res<()> {
        let original = original.map(|o| lc::OriginalRef {
            txn: o.txn,
            date_mmdd: o.date_mmdd,
            rrn: Some(o.rrn),
            auth_code: Some(o.auth_code),
        });
        let (pan, entry_mode) = (lc::Pan::parse(pan)?, lc::EntryMode::Chip);
        // The chip's track 2 equivalent (tag 57 in F55) also travels as F35.
        let track2 = Some(lc::Track2::parse(&format!(
            "{}D29122011234567890",
            pan.digits()
        ))?);
        let card = lc::CardInput {
            pan,
            track2,
            entry_mode,
            pin_block: None,
            icc_data: Some(icc_data(fen)),
            card_sequence: Some(1),
        };
        self.advance(at)?;
        let amount = lc::Amount::cny(fen)?;
        self.pos.begin(
            self.now,
            lc::TransactionRequest {
                kind,
                amount,
                card,
                original,
            },
        )?;
        self.pump()
    }
}

/// The chip's field 55: ARQC, CID, unpredictable number, ATC, TVR, amount, currency and the
/// track 2 equivalent data (tag 57), which `describe` masks like the PAN.
fn icc_data(fen: i64) -> Vec<u8> {
    let hex = format!(
        "9F2608A1B2C3D4E5F607189F2701809F3704123456789F360200219505008004E800\
         9F0206{fen:012}5F2A02015657136228480402564890018D29122011234567890F"
    );
    paycore::hex::decode(&hex).expect("valid hex")
}
