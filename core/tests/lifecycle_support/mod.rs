//! Shared harness for the lifecycle scenario tests and the deterministic simulation.
#![allow(dead_code)]

use chrono::{DateTime, Duration, TimeZone, Utc};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::*;

pub fn t0() -> DateTime<Utc> {
    // 2026-03-02 10:00 Beijing.
    Utc.with_ymd_and_hms(2026, 3, 2, 2, 0, 0).unwrap()
}

pub fn tid(n: u32) -> TerminalId {
    TerminalId::new(format!("T{n:07}")).unwrap()
}

pub fn mid(n: u32) -> MerchantId {
    MerchantId::new(format!("8981000{n:08}")).unwrap()
}

pub fn tmk(n: u32) -> MasterKey {
    let mut k = [0x5Au8; 16];
    k[..4].copy_from_slice(&n.to_be_bytes());
    MasterKey::new(k)
}

pub fn keys(seed: u64) -> WorkingKeys {
    let b = seed.to_be_bytes();
    let mut pik = [0u8; 16];
    pik[..8].copy_from_slice(&b);
    pik[8..].copy_from_slice(&b);
    WorkingKeys {
        pik: PinKey::new(pik),
        mak: MacKey::new(b.map(|x| x ^ 0x3C)),
    }
}

pub fn card(pan: &str) -> CardInput {
    CardInput {
        pan: Pan::parse(pan).unwrap(),
        // The chip's track 2 equivalent (tag 57) goes out as F35, with F14.
        track2: Some(Track2::parse(&format!("{pan}=29122011234567")).unwrap()),
        entry_mode: EntryMode::Chip,
        pin_block: Some([0x11; 8]),
        icc_data: Some(vec![0x9F, 0x26, 0x08, 1, 2, 3, 4, 5, 6, 7, 8]),
        card_sequence: Some(1),
    }
}

pub const PAN: &str = "6228480402564890018";
pub const PAN2: &str = "6222020200112233445";
pub const VISA: &str = "4761739001010010";

pub fn cny(fen: i64) -> Amount {
    Amount::cny(fen).unwrap()
}

pub fn req(kind: TransactionKind, fen: i64, pan: &str) -> TransactionRequest {
    TransactionRequest {
        kind,
        amount: cny(fen),
        card: card(pan),
        original: None,
    }
}

pub fn req_orig(
    kind: TransactionKind,
    fen: i64,
    pan: &str,
    orig: &JournalEntry,
) -> TransactionRequest {
    TransactionRequest {
        kind,
        amount: cny(fen),
        card: card(pan),
        original: Some(OriginalRef {
            txn: orig.txn,
            date_mmdd: orig.date_mmdd,
            rrn: Some(orig.rrn.clone()),
            auth_code: Some(orig.auth_code.clone()),
        }),
    }
}

/// What the simulated network does with a transaction request.
#[derive(Clone, Debug)]
pub enum Net {
    Approve,
    Decline(&'static str),
    Silent,
}

pub fn card_profile(pan: &Pan) -> CardProfile {
    let brand = if pan.digits().starts_with('4') {
        CardBrand::Visa
    } else {
        CardBrand::UnionPay
    };
    let card_type = if pan.digits().as_bytes()[5].is_multiple_of(2) {
        CardType::Debit
    } else {
        CardType::Credit
    };
    CardProfile { brand, card_type }
}

/// One terminal, the processor and a scripted network, all in memory.
pub struct World<S: TransactionStore = InMemoryStore> {
    pub term: TerminalSession,
    pub proc: AcquirerProcessor<S>,
    pub now: DateTime<Utc>,
    pub net: Net,
    pub t_events: Vec<TerminalEvent>,
    pub p_events: Vec<DomainEvent>,
    pub net_log: Vec<NetworkRequest>,
    /// Drop the next host → terminal frame.
    pub drop_next_response: bool,
    /// Corrupt the MAC of the next host → terminal frame.
    pub corrupt_next_response: bool,
}

impl World<InMemoryStore> {
    pub fn new() -> Self {
        World::with_store(InMemoryStore::default(), ProcessorConfig::default())
    }
}

impl<S: TransactionStore> World<S> {
    pub fn with_store(store: S, cfg: ProcessorConfig) -> Self {
        let mut proc = AcquirerProcessor::new(cfg, store);
        proc.register_terminal(TerminalProfile {
            terminal_id: tid(1),
            merchant_id: mid(1),
            tmk: tmk(1),
        });
        proc.provide_working_keys(&tid(1), keys(1)).unwrap();
        let term = TerminalSession::new(TerminalConfig::new(tid(1), mid(1), tmk(1)));
        let mut w = World {
            term,
            proc,
            now: t0(),
            net: Net::Approve,
            t_events: vec![],
            p_events: vec![],
            net_log: vec![],
            drop_next_response: false,
            corrupt_next_response: false,
        };
        w.term.sign_on(w.now).unwrap();
        w.pump();
        assert!(
            matches!(w.t_events.last(), Some(TerminalEvent::SignedOn { .. })),
            "{:?}",
            w.t_events
        );
        w
    }

    /// Moves every queued message until nothing is left to deliver.
    pub fn pump(&mut self) {
        for _ in 0..1000 {
            let mut moved = false;
            while let Some(f) = self.term.poll_transmit() {
                moved = true;
                let _ = self.proc.handle_terminal(self.now, &f);
            }
            while let Some(r) = self.proc.poll_network_request() {
                moved = true;
                self.net_log.push(r.clone());
                match &r.body {
                    NetworkRequestBody::Reversal { .. } => {
                        self.proc
                            .handle_network_reversal_ack(self.now, r.id)
                            .unwrap();
                    }
                    NetworkRequestBody::Transaction { pan, .. } => {
                        let outcome = match self.net {
                            Net::Approve => NetworkOutcome::Approved {
                                auth_code: format!("A{:05}", r.id),
                                settlement_date: None,
                                card: card_profile(pan),
                                balance: Some(123_456),
                            },
                            Net::Decline(c) => NetworkOutcome::Declined { code: c.into() },
                            Net::Silent => continue,
                        };
                        self.proc
                            .handle_network_response(
                                self.now,
                                NetworkResponse { id: r.id, outcome },
                            )
                            .unwrap();
                    }
                }
            }
            while let Some((_, mut f)) = self.proc.poll_terminal_transmit() {
                moved = true;
                if std::mem::take(&mut self.drop_next_response) {
                    continue;
                }
                if std::mem::take(&mut self.corrupt_next_response) {
                    let n = f.len();
                    f[n - 1] ^= 0x01;
                }
                let _ = self.term.handle_response(self.now, &f);
            }
            while let Some(e) = self.term.poll_event() {
                self.t_events.push(e);
            }
            while let Some(e) = self.proc.poll_event() {
                self.p_events.push(e);
            }
            if !moved {
                return;
            }
        }
        panic!("pump did not settle");
    }

    /// Advances virtual time, firing due timers on both sides.
    pub fn advance(&mut self, d: Duration) {
        let end = self.now + d;
        loop {
            let next = [self.term.poll_timeout(), self.proc.poll_timeout()]
                .into_iter()
                .flatten()
                .filter(|t| *t <= end)
                .min();
            let Some(t) = next else { break };
            self.now = self.now.max(t);
            self.term.handle_timeout(self.now).unwrap();
            self.proc.handle_timeout(self.now).unwrap();
            self.pump();
        }
        self.now = end;
    }

    pub fn run(&mut self, r: TransactionRequest) -> TerminalEvent {
        let n = self.t_events.len();
        self.term.begin(self.now, r).unwrap();
        self.pump();
        self.t_events[n..]
            .iter()
            .find(|e| !matches!(e, TerminalEvent::SignedOn { .. }))
            .cloned()
            .expect("an outcome event")
    }

    pub fn last_journal(&self) -> JournalEntry {
        self.term.journal().last().unwrap().clone()
    }
}
