//! A day at an acquirer, in memory and in virtual time: three POS terminals sign on, take
//! sales, pre-auths, completions, voids and refunds; the network sometimes stays silent and
//! some responses are lost, so reversals happen; at the end every terminal closes its batch.
//! Prints the timeline and the day's domain events.
//!
//! Run: `cargo run -p paycore-examples --bin acquiring_day [seed]`

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::*;

/// splitmix64, so that a seed replays the same day.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

const PANS: [&str; 3] = [
    "6228480402564890018",
    "6222020200112233445",
    "4761739001010010",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seed = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2026);
    let mut rng = Rng(seed);
    let mut now: DateTime<Utc> = Utc
        .with_ymd_and_hms(2026, 3, 2, 1, 0, 0)
        .single()
        .ok_or("date")?;
    let mut host = AcquirerProcessor::new(ProcessorConfig::default(), InMemoryStore::default());
    let mut pos = Vec::new();
    for n in 1..=3u32 {
        let tid = TerminalId::new(format!("T000000{n}"))?;
        let mid = MerchantId::new(format!("89810000000000{n}"))?;
        let tmk = MasterKey::new([n as u8; 16]);
        host.register_terminal(TerminalProfile {
            terminal_id: tid.clone(),
            merchant_id: mid.clone(),
            tmk: tmk.clone(),
        });
        let mut k = [0u8; 8];
        k.copy_from_slice(&rng.next().to_be_bytes());
        host.provide_working_keys(
            &tid,
            WorkingKeys {
                pik: PinKey::new([k[0]; 16]),
                mak: MacKey::new(k),
            },
        )?;
        pos.push(TerminalSession::new(TerminalConfig::new(tid, mid, tmk)));
    }
    let mut history: Vec<Vec<JournalEntry>> = vec![vec![]; pos.len()];
    let mut events: BTreeMap<&'static str, usize> = BTreeMap::new();

    for s in &mut pos {
        s.sign_on(now)?;
    }
    for step in 0..120 {
        let i = (step % pos.len() as u64) as usize;
        let lose_response = rng.below(100) < 4;
        let silent_network = rng.below(100) < 3;
        if pos[i].is_ready() {
            let pan = PANS[rng.below(3) as usize];
            let card = CardInput {
                pan: Pan::parse(pan)?,
                track2: None,
                entry_mode: EntryMode::Contactless,
                pin_block: None,
                icc_data: None,
                card_sequence: None,
            };
            let amount = Amount::cny(100 + rng.below(200_000) as i64)?;
            let pick = rng.below(10);
            let orig = |kinds: &[TransactionKind], v: &[JournalEntry]| {
                v.iter()
                    .rev()
                    .find(|e| kinds.contains(&e.kind) && !e.reversed)
                    .cloned()
            };
            let original_ref = |e: &JournalEntry| OriginalRef {
                txn: e.txn,
                date_mmdd: e.date_mmdd,
                rrn: Some(e.rrn.clone()),
                auth_code: Some(e.auth_code.clone()),
            };
            let request = match pick {
                0..=4 => Some(TransactionRequest {
                    kind: TransactionKind::Sale,
                    amount,
                    card,
                    original: None,
                }),
                5 => Some(TransactionRequest {
                    kind: TransactionKind::PreAuth,
                    amount,
                    card,
                    original: None,
                }),
                6 => orig(&[TransactionKind::PreAuth], &history[i]).map(|o| TransactionRequest {
                    kind: TransactionKind::Completion,
                    amount: o.amount,
                    card: CardInput {
                        pan: o.pan.clone(),
                        ..card.clone()
                    },
                    original: Some(original_ref(&o)),
                }),
                7 => orig(&[TransactionKind::Sale], pos[i].journal()).map(|o| TransactionRequest {
                    kind: TransactionKind::Void,
                    amount: o.amount,
                    card: CardInput {
                        pan: o.pan.clone(),
                        ..card.clone()
                    },
                    original: Some(original_ref(&o)),
                }),
                _ => Some(TransactionRequest {
                    kind: TransactionKind::BalanceInquiry,
                    amount,
                    card,
                    original: None,
                }),
            };
            if let Some(r) = request {
                let stan = pos[i].begin(now, r)?;
                println!(
                    "{now} {} begin STAN {}",
                    pos[i].config().terminal_id,
                    stan.stan
                );
            }
        }
        // Deliver: terminal → host → network → host → terminal.
        while let Some(f) = pos[i].poll_transmit() {
            let _ = host.handle_terminal(now, &f);
        }
        while let Some(r) = host.poll_network_request() {
            match r.body {
                NetworkRequestBody::Reversal { .. } => {
                    host.handle_network_reversal_ack(now, r.id)?
                }
                NetworkRequestBody::Transaction { ref pan, .. } if !silent_network => {
                    let brand = if pan.digits().starts_with('4') {
                        CardBrand::Visa
                    } else {
                        CardBrand::UnionPay
                    };
                    let outcome = if rng.below(100) < 92 {
                        NetworkOutcome::Approved {
                            auth_code: format!("{:06}", r.id),
                            settlement_date: None,
                            card: CardProfile {
                                brand,
                                card_type: CardType::Debit,
                            },
                            balance: Some(88_800),
                        }
                    } else {
                        NetworkOutcome::Declined { code: "51".into() }
                    };
                    host.handle_network_response(now, NetworkResponse { id: r.id, outcome })?;
                }
                NetworkRequestBody::Transaction { .. } => {
                    println!("{now}   network silent on request {}", r.id)
                }
            }
        }
        while let Some((t, f)) = host.poll_terminal_transmit() {
            if lose_response {
                println!("{now}   response to {t} lost");
                continue;
            }
            if let Some(s) = pos.iter_mut().find(|s| s.config().terminal_id == t) {
                let _ = s.handle_response(now, &f);
            }
        }
        // Time passes; timers fire.
        now += Duration::seconds(20 + rng.below(400) as i64);
        for s in &mut pos {
            s.handle_timeout(now)?;
        }
        host.handle_timeout(now)?;
        for (j, s) in pos.iter_mut().enumerate() {
            while let Some(e) = s.poll_event() {
                if let TerminalEvent::Approved { txn, kind, .. } = &e
                    && *kind != TransactionKind::BalanceInquiry
                    && let Some(j_entry) = s.journal().iter().find(|x| x.txn == *txn)
                {
                    history[j].push(j_entry.clone());
                }
                println!("{now} {} {e:?}", s.config().terminal_id);
            }
        }
        while let Some(e) = host.poll_event() {
            let name = match &e {
                DomainEvent::Authorised(_) => "authorised",
                DomainEvent::Captured(_) => "captured",
                DomainEvent::Voided(_) => "voided",
                DomainEvent::Refunded(_) => "refunded",
                DomainEvent::Reversed(_) => "reversed",
                DomainEvent::Declined { .. } => "declined",
                DomainEvent::BatchSettled { .. } => "batch settled",
            };
            *events.entry(name).or_default() += 1;
        }
    }
    // Close of business: drain what is outstanding, then settle every batch.
    for round in 0..200 {
        let mut busy = false;
        for i in 0..pos.len() {
            if round > 0 && pos[i].is_ready() && !pos[i].journal().is_empty() {
                pos[i].settle(now)?;
            }
            while let Some(f) = pos[i].poll_transmit() {
                let _ = host.handle_terminal(now, &f);
            }
            while let Some(r) = host.poll_network_request() {
                if let NetworkRequestBody::Reversal { .. } = r.body {
                    host.handle_network_reversal_ack(now, r.id)?;
                }
            }
            while let Some((t, f)) = host.poll_terminal_transmit() {
                if let Some(s) = pos.iter_mut().find(|s| s.config().terminal_id == t) {
                    let _ = s.handle_response(now, &f);
                }
            }
            busy |= pos[i].is_busy() || !pos[i].journal().is_empty();
        }
        now += Duration::seconds(61);
        for s in &mut pos {
            s.handle_timeout(now)?;
        }
        host.handle_timeout(now)?;
        for s in &mut pos {
            while let Some(e) = s.poll_event() {
                println!("{now} {} {e:?}", s.config().terminal_id);
            }
        }
        while let Some(e) = host.poll_event() {
            if let DomainEvent::BatchSettled {
                terminal_id,
                batch,
                host_totals,
                ..
            } = &e
            {
                println!(
                    "{now} host: {terminal_id} batch {batch} settled: {}",
                    serde_json::to_string(host_totals)?
                );
                *events.entry("batch settled").or_default() += 1;
            }
        }
        if !busy && host.is_idle() {
            break;
        }
    }
    println!("\nday summary (seed {seed}): {events:?}");
    Ok(())
}
