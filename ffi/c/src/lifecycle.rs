//! The transaction lifecycle: the terminal session a POS app embeds and the acquirer processor
//! a switch embeds (China UnionPay POS dialect).
//!
//! Both are opaque, caller-owned objects (`paycore_terminal`, `paycore_processor`), not
//! thread-safe (one thread at a time), released with their `_free`. Neither does I/O or reads
//! a clock: every input carries the current time as **Unix milliseconds** (`now_ms`), frames
//! go in as byte strings, and outputs are drained with the `_poll_` functions:
//!
//! - `_poll_transmit` / `_poll_terminal_transmit`: the next frame (starting at the MTI) into a
//!   caller buffer. `*out_available` is `false` when there is nothing to send. When the buffer
//!   is too small the call returns `PAYCORE_ERR_BUFFER_TOO_SMALL` with the size needed in
//!   `*out_len` and **keeps** the frame for the next call: nothing is lost.
//! - `_poll_event` / `_poll_network_request`: the next event or network request as JSON text
//!   (the core's serde form, e.g. `{"Approved":{"txn":{"batch":1,"stan":2},…}}`), with the
//!   same buffer rule. Terminal events never contain a PAN; processor events carry
//!   `pan_masked`; a network request carries the full PAN because the network needs it.
//! - `_poll_timeout`: when to call `_handle_timeout` next.
//!
//! Keys (TMK, PIK, MAK) go in as bytes and are never printed; the core wipes them on drop.
//! `paycore_terminal_to_json` **does** contain the keys (hex) and the journal's PANs: it is
//! what an app persists to resume a pending reversal after a restart, so store it encrypted.
//! Integer enums (`paycore_txn_kind`, `paycore_entry_mode`) are range-checked.

use crate::boundary::{FfiError, guard, guard_value, str_arg, text_out, write_out};
use crate::paycore_result;
use chrono::{DateTime, NaiveTime, Utc};
use paycore::card::MaskStyle;
use paycore::lifecycle::keys::{MacKey, MasterKey, PinKey, WorkingKeys};
use paycore::lifecycle::{
    AcquirerProcessor, Amount, BatchNo, BatchTotals, CardInput, CutOff, EntryMode, InMemoryStore,
    LifecycleError, MerchantId, NetworkResponse, OriginalRef, Pan, ProcessorConfig, SideTotals,
    Stan, TerminalConfig, TerminalId, TerminalProfile, TerminalSession, TransactionKind,
    TransactionRequest, TxnRef,
};
use std::os::raw::c_char;

impl From<LifecycleError> for FfiError {
    fn from(e: LifecycleError) -> Self {
        use paycore_result::*;
        let code = match e {
            LifecycleError::OutOfRange { .. } => PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
            LifecycleError::InvalidIdentifier { .. } => PAYCORE_ERR_LIFECYCLE_IDENTIFIER,
            LifecycleError::Wire(_) => PAYCORE_ERR_LIFECYCLE_MALFORMED_MESSAGE,
            LifecycleError::Field { .. } => PAYCORE_ERR_LIFECYCLE_FIELD,
            LifecycleError::KeyBlock { .. } => PAYCORE_ERR_LIFECYCLE_KEY_BLOCK,
            LifecycleError::IllegalState { .. } => PAYCORE_ERR_LIFECYCLE_ILLEGAL_STATE,
            LifecycleError::InvalidRequest { .. } => PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST,
            LifecycleError::UnexpectedMessage { .. } => PAYCORE_ERR_LIFECYCLE_UNEXPECTED_MESSAGE,
            LifecycleError::Mismatch { .. } => PAYCORE_ERR_LIFECYCLE_MISMATCH,
            LifecycleError::LateResponse { .. } => PAYCORE_ERR_LIFECYCLE_LATE_RESPONSE,
            LifecycleError::ReversalNotAcknowledged => {
                PAYCORE_ERR_LIFECYCLE_REVERSAL_NOT_ACKNOWLEDGED
            }
            LifecycleError::MacInvalid => PAYCORE_ERR_LIFECYCLE_MAC_INVALID,
            LifecycleError::UnknownTerminal => PAYCORE_ERR_LIFECYCLE_UNKNOWN_TERMINAL,
            LifecycleError::UnknownNetworkRequest { .. } => {
                PAYCORE_ERR_LIFECYCLE_UNKNOWN_NETWORK_REQUEST
            }
        };
        FfiError::new(code, e.to_string())
    }
}

/// Card transactions a terminal can start (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_txn_kind {
    /// 消费 sale (0200).
    PAYCORE_TXN_SALE = 0,
    /// 余额查询 balance inquiry (0200).
    PAYCORE_TXN_BALANCE_INQUIRY = 1,
    /// 预授权 pre-authorisation (0100).
    PAYCORE_TXN_PREAUTH = 2,
    /// 预授权撤销 pre-authorisation cancel (0100).
    PAYCORE_TXN_PREAUTH_CANCEL = 3,
    /// 预授权完成 completion (0200).
    PAYCORE_TXN_COMPLETION = 4,
    /// 预授权完成撤销 completion void (0200).
    PAYCORE_TXN_COMPLETION_VOID = 5,
    /// 消费撤销 void (0200).
    PAYCORE_TXN_VOID = 6,
    /// 退货 refund (0220 notification).
    PAYCORE_TXN_REFUND = 7,
}

/// How the card was read (passed as `uint32_t`).
#[repr(u32)]
#[derive(Debug, Clone, Copy)]
pub enum paycore_entry_mode {
    /// Key entry (F22 `01`).
    PAYCORE_ENTRY_MANUAL = 0,
    /// Magnetic stripe (`02`).
    PAYCORE_ENTRY_MAGSTRIPE = 1,
    /// Contact chip (`05`).
    PAYCORE_ENTRY_CHIP = 2,
    /// Contactless (`07`).
    PAYCORE_ENTRY_CONTACTLESS = 3,
    /// QR code (`03`).
    PAYCORE_ENTRY_QR = 4,
}

fn bad_enum(what: &str, value: u32, max: u32) -> FfiError {
    FfiError::new(
        paycore_result::PAYCORE_ERR_INVALID_ARGUMENT,
        format!("{what} {value} out of range 0..={max}"),
    )
}

fn txn_kind(v: u32) -> Result<TransactionKind, FfiError> {
    use TransactionKind::*;
    Ok(match v {
        0 => Sale,
        1 => BalanceInquiry,
        2 => PreAuth,
        3 => PreAuthCancel,
        4 => Completion,
        5 => CompletionVoid,
        6 => Void,
        7 => Refund,
        _ => return Err(bad_enum("transaction kind", v, 7)),
    })
}

fn entry_mode(v: u32) -> Result<EntryMode, FfiError> {
    use EntryMode::*;
    Ok(match v {
        0 => Manual,
        1 => Magstripe,
        2 => Chip,
        3 => Contactless,
        4 => Qr,
        _ => return Err(bad_enum("entry mode", v, 4)),
    })
}

/// Unix milliseconds → UTC time.
fn time_arg(ms: i64) -> Result<DateTime<Utc>, FfiError> {
    DateTime::from_timestamp_millis(ms).ok_or_else(|| {
        FfiError::new(
            paycore_result::PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
            format!("time {ms} ms is outside the representable range"),
        )
    })
}

/// Borrows a `(ptr, len)` byte-string argument (NULL allowed when `len` is 0).
///
/// # Safety
/// `ptr` must be valid for reads of `len` bytes (or NULL).
unsafe fn bytes_arg<'a>(ptr: *const u8, len: usize, name: &str) -> Result<&'a [u8], FfiError> {
    if ptr.is_null() {
        if len == 0 {
            return Ok(&[]);
        }
        return Err(FfiError::null(name));
    }
    // SAFETY: the caller promises `ptr` is valid for `len` bytes.
    Ok(unsafe { std::slice::from_raw_parts(ptr, len) })
}

/// Copies key bytes into a fixed array, refusing other lengths (the message never shows them).
fn key_array<const N: usize>(bytes: &[u8], what: &str) -> Result<[u8; N], FfiError> {
    bytes.try_into().map_err(|_| {
        FfiError::new(
            paycore_result::PAYCORE_ERR_KEY_LENGTH,
            format!("{what} must be {N} bytes, got {}", bytes.len()),
        )
    })
}

fn json_error(what: &str, e: &serde_json::Error) -> FfiError {
    // serde_json's message names line and column; for keys it says only "key: …".
    FfiError::new(
        paycore_result::PAYCORE_ERR_LIFECYCLE_JSON,
        format!("{what}: {e}"),
    )
}

/// Serialises a core value (concrete types only: the crate does not depend on serde).
macro_rules! to_json {
    ($value:expr) => {
        serde_json::to_string($value).map_err(|e| json_error("serialising", &e))
    };
}

/// A frame or text waiting to be delivered (kept when the caller's buffer is too small).
#[derive(Default)]
struct Pending<T>(Option<T>);

impl<T: AsRef<[u8]>> Pending<T> {
    /// Delivers the pending item (or the next from `next`) into the caller buffer.
    ///
    /// # Safety
    /// `buf` valid for `buf_len` bytes or NULL; `out_len` and `out_available` NULL or valid.
    unsafe fn deliver(
        &mut self,
        next: impl FnOnce() -> Result<Option<T>, FfiError>,
        buf: *mut u8,
        buf_len: usize,
        out_len: *mut usize,
        out_available: *mut bool,
        terminate: bool,
    ) -> Result<(), FfiError> {
        if out_len.is_null() {
            return Err(FfiError::null("out_len"));
        }
        if out_available.is_null() {
            return Err(FfiError::null("out_available"));
        }
        if self.0.is_none() {
            self.0 = next()?;
        }
        let Some(item) = self.0.as_ref() else {
            // SAFETY: both checked non-NULL above.
            unsafe {
                out_len.write(0);
                out_available.write(false);
            }
            return Ok(());
        };
        let bytes = item.as_ref();
        // SAFETY: checked non-NULL above.
        unsafe { out_len.write(bytes.len()) };
        if buf.is_null() || buf_len < bytes.len() {
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
                format!("output buffer needs {} bytes", bytes.len()),
            ));
        }
        // SAFETY: `buf` holds at least `bytes.len()` bytes; distinct regions.
        unsafe {
            std::ptr::copy_nonoverlapping(bytes.as_ptr(), buf, bytes.len());
            if terminate && buf_len > bytes.len() {
                buf.add(bytes.len()).write(0);
            }
            out_available.write(true);
        }
        self.0 = None;
        Ok(())
    }
}

/// Totals of one card origin (F48 half).
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_side_totals {
    /// Σ sales and completions, minor units.
    pub debit_amount: i64,
    /// Number of sales and completions.
    pub debit_count: u32,
    /// Σ voids, completion voids and refunds, minor units.
    pub credit_amount: i64,
    /// Number of voids, completion voids and refunds.
    pub credit_count: u32,
}

/// Batch totals: domestic (UnionPay) and foreign cards.
#[repr(C)]
#[derive(Debug, Clone, Copy, Default)]
pub struct paycore_batch_totals {
    /// 内卡.
    pub domestic: paycore_side_totals,
    /// 外卡.
    pub foreign: paycore_side_totals,
}

impl From<SideTotals> for paycore_side_totals {
    fn from(t: SideTotals) -> Self {
        paycore_side_totals {
            debit_amount: t.debit_amount,
            debit_count: t.debit_count,
            credit_amount: t.credit_amount,
            credit_count: t.credit_count,
        }
    }
}

impl From<BatchTotals> for paycore_batch_totals {
    fn from(t: BatchTotals) -> Self {
        paycore_batch_totals {
            domestic: t.domestic.into(),
            foreign: t.foreign.into(),
        }
    }
}

/// Optional terminal settings; start from `paycore_terminal_options_default`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct paycore_terminal_options {
    /// How long to wait for any response, in milliseconds (default 60 000).
    pub response_timeout_ms: u32,
    /// Waits before successive reversal retransmissions, ms (the last repeats forever);
    /// NULL with length 0 = the default 0/5 000/30 000/60 000.
    pub reversal_backoff_ms: *const u32,
    /// Number of entries in `reversal_backoff_ms` (at most 32).
    pub reversal_backoff_len: usize,
    /// The network's UTC offset in seconds (default 28 800, Asia/Shanghai).
    pub cutoff_utc_offset_seconds: i32,
    /// The network's day cut-off, seconds after local midnight (default 82 800 = 23:00).
    pub cutoff_seconds_of_day: u32,
}

/// Settings of an acquirer processor; start from `paycore_processor_config_default`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct paycore_processor_config {
    /// The network's UTC offset in seconds (default 28 800).
    pub cutoff_utc_offset_seconds: i32,
    /// The network's day cut-off, seconds after local midnight (default 82 800 = 23:00).
    pub cutoff_seconds_of_day: u32,
    /// Pre-auth completion/cancel window in days (default 30).
    pub preauth_window_days: u32,
    /// Completion tolerance above the authorised amount, basis points (default 0).
    pub completion_tolerance_bp: u32,
    /// How long to wait for the network, ms (default 30 000).
    pub network_timeout_ms: u32,
    /// Delay between network reversal retransmissions, ms (default 10 000).
    pub network_reversal_retry_ms: u32,
}

fn cutoff(offset: i32, seconds: u32) -> Result<CutOff, FfiError> {
    let at = NaiveTime::from_num_seconds_from_midnight_opt(seconds, 0).ok_or_else(|| {
        FfiError::new(
            paycore_result::PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
            format!("cut-off {seconds} s is not a time of day (0..86400)"),
        )
    })?;
    if !(-14 * 3600..=14 * 3600).contains(&offset) {
        return Err(FfiError::new(
            paycore_result::PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
            format!("UTC offset {offset} s outside ±14 h"),
        ));
    }
    Ok(CutOff {
        utc_offset_seconds: offset,
        at,
    })
}

fn cutoff_parts(c: &CutOff) -> (i32, u32) {
    use chrono::Timelike;
    (c.utc_offset_seconds, c.at.num_seconds_from_midnight())
}

/// A card transaction to start with `paycore_terminal_begin`.
#[repr(C)]
#[derive(Debug, Clone, Copy)]
pub struct paycore_transaction_request {
    /// A `paycore_txn_kind`.
    pub kind: u32,
    /// Amount in minor units (fen); ignored for a balance inquiry.
    pub amount_minor: i64,
    /// ISO 4217 numeric currency (156 = CNY).
    pub currency: u16,
    /// PAN digits (UTF-8, not NUL-terminated).
    pub pan: *const c_char,
    /// Length of `pan`.
    pub pan_len: usize,
    /// F35 track 2 (`PAN=YYMM…`, `D` also accepted as separator; UTF-8, not NUL-terminated),
    /// or NULL/0. Its PAN must equal `pan`; F14 is taken from its expiry.
    pub track2: *const c_char,
    /// Length of `track2`.
    pub track2_len: usize,
    /// A `paycore_entry_mode`.
    pub entry_mode: u32,
    /// F52: the PIN block already encrypted under the PIK by the PIN pad (8 bytes), or NULL.
    pub pin_block: *const u8,
    /// 8, or 0 when no PIN was entered.
    pub pin_block_len: usize,
    /// F55 EMV data (BER-TLV, at most 255 bytes), or NULL.
    pub icc_data: *const u8,
    /// Length of `icc_data`.
    pub icc_data_len: usize,
    /// F23 card sequence number, or -1 for none.
    pub card_sequence: i32,
    /// Whether the `original_*` fields name the original (void, refund, completion, cancel).
    pub has_original: bool,
    /// Original batch (F60.2).
    pub original_batch: u32,
    /// Original STAN (F11).
    pub original_stan: u32,
    /// Original local date MMDD (e.g. 302 for 2 March).
    pub original_date_mmdd: u16,
    /// Original RRN (F37), or NULL/0.
    pub original_rrn: *const c_char,
    /// Length of `original_rrn`.
    pub original_rrn_len: usize,
    /// Original authorisation code (F38), or NULL/0.
    pub original_auth_code: *const c_char,
    /// Length of `original_auth_code`.
    pub original_auth_code_len: usize,
}

/// Optional text: empty means none.
///
/// # Safety
/// As for [`str_arg`].
unsafe fn opt_str(ptr: *const c_char, len: usize, name: &str) -> Result<Option<String>, FfiError> {
    // SAFETY: forwarded caller contract.
    let s = unsafe { str_arg(ptr, len, name) }?;
    Ok((!s.is_empty()).then(|| s.to_owned()))
}

/// # Safety
/// Every pointer in `r` valid for its length (or NULL with length 0).
unsafe fn request_arg(r: &paycore_transaction_request) -> Result<TransactionRequest, FfiError> {
    let kind = txn_kind(r.kind)?;
    let entry = entry_mode(r.entry_mode)?;
    // SAFETY: caller contract for each pointer + length pair.
    let pan = Pan::parse(unsafe { str_arg(r.pan, r.pan_len, "pan") }?)?;
    // SAFETY: as above.
    let track2 = match unsafe { opt_str(r.track2, r.track2_len, "track2") }? {
        Some(t) => Some(paycore::card::Track2::parse(&t)?),
        None => None,
    };
    // SAFETY: as above.
    let pin = unsafe { bytes_arg(r.pin_block, r.pin_block_len, "pin_block") }?;
    let pin_block = match pin.len() {
        0 => None,
        _ => Some(pin.try_into().map_err(|_| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_LIFECYCLE_INVALID_REQUEST,
                format!("pin_block must be 8 bytes, got {}", pin.len()),
            )
        })?),
    };
    // SAFETY: as above.
    let icc = unsafe { bytes_arg(r.icc_data, r.icc_data_len, "icc_data") }?;
    let card_sequence = match r.card_sequence {
        s if s < 0 => None,
        s => Some(u16::try_from(s).map_err(|_| {
            FfiError::new(
                paycore_result::PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
                format!("card_sequence {s} out of range 0..=999"),
            )
        })?),
    };
    let original = if r.has_original {
        Some(OriginalRef {
            txn: TxnRef {
                batch: BatchNo::new(r.original_batch)?,
                stan: Stan::new(r.original_stan)?,
            },
            date_mmdd: r.original_date_mmdd,
            // SAFETY: as above.
            rrn: unsafe { opt_str(r.original_rrn, r.original_rrn_len, "original_rrn") }?,
            // SAFETY: as above.
            auth_code: unsafe {
                opt_str(
                    r.original_auth_code,
                    r.original_auth_code_len,
                    "original_auth_code",
                )
            }?,
        })
    } else {
        None
    };
    Ok(TransactionRequest {
        kind,
        amount: Amount::new(r.amount_minor, r.currency)?,
        card: CardInput {
            pan,
            track2,
            entry_mode: entry,
            pin_block,
            icc_data: (!icc.is_empty()).then(|| icc.to_vec()),
            card_sequence,
        },
        original,
    })
}

// ---------------------------------------------------------------------------------------------
// Terminal session
// ---------------------------------------------------------------------------------------------

/// A POS terminal session (opaque). Create with `paycore_terminal_new` or
/// `paycore_terminal_from_json`; release with `paycore_terminal_free` (keys are wiped).
/// Not thread-safe: one thread at a time.
pub struct paycore_terminal {
    session: TerminalSession,
    frame: Pending<Vec<u8>>,
    event: Pending<String>,
}

impl paycore_terminal {
    fn wrap(session: TerminalSession) -> Self {
        paycore_terminal {
            session,
            frame: Pending(None),
            event: Pending(None),
        }
    }
}

/// # Safety
/// `ptr` NULL or a live object.
unsafe fn terminal_mut<'a>(
    ptr: *mut paycore_terminal,
) -> Result<&'a mut paycore_terminal, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_mut() }.ok_or_else(|| FfiError::null("terminal"))
}

/// # Safety
/// `ptr` NULL or a live object.
unsafe fn terminal_ref<'a>(ptr: *const paycore_terminal) -> Option<&'a TerminalSession> {
    // SAFETY: caller contract.
    unsafe { ptr.as_ref() }.map(|t| &t.session)
}

/// Writes the default terminal options (60 s timeout, 0/5/30/60 s reversal schedule,
/// UnionPay cut-off 23:00 UTC+8).
///
/// # Safety
/// `out` must be valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_options_default(
    out: *mut paycore_terminal_options,
) -> paycore_result {
    guard(|| {
        let (offset, secs) = cutoff_parts(&CutOff::unionpay());
        let o = paycore_terminal_options {
            response_timeout_ms: 60_000,
            reversal_backoff_ms: std::ptr::null(),
            reversal_backoff_len: 0,
            cutoff_utc_offset_seconds: offset,
            cutoff_seconds_of_day: secs,
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, o, "out") }
    })
}

/// Creates a signed-off terminal session. `terminal_id` is 8 and `merchant_id` 15 printable
/// ASCII characters; `tmk` is the 16-byte terminal master key (copied, wiped on free).
/// `options` may be NULL for the defaults.
///
/// # Safety
/// Strings and `tmk` valid for their lengths; `options` NULL or valid; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_new(
    terminal_id: *const c_char,
    terminal_id_len: usize,
    merchant_id: *const c_char,
    merchant_id_len: usize,
    tmk: *const u8,
    tmk_len: usize,
    options: *const paycore_terminal_options,
    out: *mut *mut paycore_terminal,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract for every pointer.
        let tid =
            TerminalId::new(unsafe { str_arg(terminal_id, terminal_id_len, "terminal_id") }?)?;
        // SAFETY: as above.
        let mid =
            MerchantId::new(unsafe { str_arg(merchant_id, merchant_id_len, "merchant_id") }?)?;
        // SAFETY: as above.
        let tmk = MasterKey::new(key_array(
            unsafe { bytes_arg(tmk, tmk_len, "tmk") }?,
            "TMK",
        )?);
        let mut cfg = TerminalConfig::new(tid, mid, tmk);
        // SAFETY: as above.
        if let Some(o) = unsafe { options.as_ref() } {
            if o.response_timeout_ms == 0 {
                return Err(FfiError::new(
                    paycore_result::PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
                    "response_timeout_ms must be positive",
                ));
            }
            cfg.response_timeout_ms = o.response_timeout_ms;
            if o.reversal_backoff_len > 32 {
                return Err(FfiError::new(
                    paycore_result::PAYCORE_ERR_LIFECYCLE_OUT_OF_RANGE,
                    format!("reversal_backoff_len {} exceeds 32", o.reversal_backoff_len),
                ));
            }
            if o.reversal_backoff_len > 0 {
                if o.reversal_backoff_ms.is_null() {
                    return Err(FfiError::null("reversal_backoff_ms"));
                }
                // SAFETY: non-NULL and valid for `reversal_backoff_len` entries per contract.
                cfg.reversal_backoff_ms = unsafe {
                    std::slice::from_raw_parts(o.reversal_backoff_ms, o.reversal_backoff_len)
                }
                .to_vec();
            }
            cfg.cutoff = cutoff(o.cutoff_utc_offset_seconds, o.cutoff_seconds_of_day)?;
        }
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let raw = Box::into_raw(Box::new(paycore_terminal::wrap(TerminalSession::new(cfg))));
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, raw, "out") }
    })
}

/// Releases a terminal session (NULL is fine); its keys are wiped.
///
/// # Safety
/// `terminal` NULL or a live object not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_free(terminal: *mut paycore_terminal) {
    guard_value((), || {
        if !terminal.is_null() {
            // SAFETY: created by Box::into_raw in this module; freed once per contract.
            drop(unsafe { Box::from_raw(terminal) });
        }
    });
}

/// Serialises the whole session (configuration, keys as hex, STAN, batch, pending reversal,
/// journal, queued frames and events — except one held back by a too-small buffer) as JSON. Contains secrets: store it encrypted.
///
/// # Safety
/// `terminal` live; `buf`/`out_len` per the buffer convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_to_json(
    terminal: *const paycore_terminal,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let s = unsafe { terminal_ref(terminal) }.ok_or_else(|| FfiError::null("terminal"))?;
        let text = to_json!(s)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Restores a session saved with `paycore_terminal_to_json` (e.g. after an app restart; a
/// pending reversal resumes at the next `paycore_terminal_handle_timeout`).
///
/// # Safety
/// `json` valid for `json_len` bytes; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut *mut paycore_terminal,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(json, json_len, "json") }?;
        let session: TerminalSession =
            serde_json::from_str(text).map_err(|e| json_error("saved terminal session", &e))?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let raw = Box::into_raw(Box::new(paycore_terminal::wrap(session)));
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, raw, "out") }
    })
}

/// Runs a time-only session input.
///
/// # Safety
/// `terminal` NULL or live.
unsafe fn terminal_action(
    terminal: *mut paycore_terminal,
    now_ms: i64,
    f: fn(&mut TerminalSession, DateTime<Utc>) -> Result<(), LifecycleError>,
) -> Result<(), FfiError> {
    // SAFETY: caller contract.
    let t = unsafe { terminal_mut(terminal) }?;
    f(&mut t.session, time_arg(now_ms)?)?;
    Ok(())
}

/// Starts a sign-on (0800): poll the frame and send it; the 0810 installs the working keys.
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_sign_on(
    terminal: *mut paycore_terminal,
    now_ms: i64,
) -> paycore_result {
    // SAFETY: caller contract.
    guard(|| unsafe { terminal_action(terminal, now_ms, TerminalSession::sign_on) })
}

/// Starts a sign-off (0820, 60.3 `002`).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_sign_off(
    terminal: *mut paycore_terminal,
    now_ms: i64,
) -> paycore_result {
    // SAFETY: caller contract.
    guard(|| unsafe { terminal_action(terminal, now_ms, TerminalSession::sign_off) })
}

/// Starts an echo test (0820, 60.3 `301`).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_echo(
    terminal: *mut paycore_terminal,
    now_ms: i64,
) -> paycore_result {
    // SAFETY: caller contract.
    guard(|| unsafe { terminal_action(terminal, now_ms, TerminalSession::echo) })
}

/// Starts the batch close (0500 with the F48 totals).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_settle(
    terminal: *mut paycore_terminal,
    now_ms: i64,
) -> paycore_result {
    // SAFETY: caller contract.
    guard(|| unsafe { terminal_action(terminal, now_ms, TerminalSession::settle) })
}

/// Call at (or after) `paycore_terminal_poll_timeout`: a lost response becomes an
/// `OutcomeUnknown` event and a reversal (0400) that is retried until acknowledged.
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_handle_timeout(
    terminal: *mut paycore_terminal,
    now_ms: i64,
) -> paycore_result {
    // SAFETY: caller contract.
    guard(|| unsafe { terminal_action(terminal, now_ms, TerminalSession::handle_timeout) })
}

/// The app failed after an approval (e.g. the card refused the second GENERATE AC): the
/// last approved reversible transaction is reversed (F39 `06`).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_handle_local_failure(
    terminal: *mut paycore_terminal,
    now_ms: i64,
) -> paycore_result {
    // SAFETY: caller contract.
    guard(|| unsafe { terminal_action(terminal, now_ms, TerminalSession::handle_local_failure) })
}

/// Feeds a response frame (starting at the MTI). Malformed bytes give
/// `PAYCORE_ERR_LIFECYCLE_MALFORMED_MESSAGE` (the message names field and byte offset) and
/// change nothing.
///
/// # Safety
/// `terminal` live; `frame` valid for `frame_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_handle_response(
    terminal: *mut paycore_terminal,
    now_ms: i64,
    frame: *const u8,
    frame_len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { terminal_mut(terminal) }?;
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(frame, frame_len, "frame") }?;
        t.session.handle_response(time_arg(now_ms)?, bytes)?;
        Ok(())
    })
}

/// Starts a card transaction; writes its batch and STAN. Refused (`ILLEGAL_STATE`) unless
/// signed on and idle.
///
/// # Safety
/// `terminal` live; `request` valid with valid pointers; out-pointers valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_begin(
    terminal: *mut paycore_terminal,
    now_ms: i64,
    request: *const paycore_transaction_request,
    out_batch: *mut u32,
    out_stan: *mut u32,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { terminal_mut(terminal) }?;
        // SAFETY: caller contract.
        let r = unsafe { request.as_ref() }.ok_or_else(|| FfiError::null("request"))?;
        // SAFETY: caller contract for the request's pointers.
        let req = unsafe { request_arg(r) }?;
        if out_batch.is_null() || out_stan.is_null() {
            return Err(FfiError::null("out_batch/out_stan"));
        }
        let txn = t.session.begin(time_arg(now_ms)?, req)?;
        // SAFETY: checked non-NULL.
        unsafe {
            write_out(out_batch, txn.batch.value(), "out_batch")?;
            write_out(out_stan, txn.stan.value(), "out_stan")
        }
    })
}

/// The next frame to send (starting at the MTI; add length, TPDU and header for the wire).
///
/// # Safety
/// `terminal` live; `buf` valid for `buf_len` bytes (or NULL); `out_len`, `out_available` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_poll_transmit(
    terminal: *mut paycore_terminal,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
    out_available: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { terminal_mut(terminal) }?;
        let session = &mut t.session;
        // SAFETY: caller contract.
        unsafe {
            t.frame.deliver(
                || Ok(session.poll_transmit()),
                buf,
                buf_len,
                out_len,
                out_available,
                false,
            )
        }
    })
}

/// The next event as JSON (NUL-terminated when room allows), e.g. `{"SignedOn":{"batch":1}}`,
/// `{"Approved":{"txn":{"batch":1,"stan":2},"kind":"Sale","amount":{"minor":12345,
/// "currency":156},"auth_code":"…","rrn":"…","brand":"UnionPay","balance":null}}`,
/// `{"Declined":{…,"code":"61"}}`, `{"OutcomeUnknown":{…,"reason":"Timeout","reversing":true}}`,
/// `{"Reversed":{…}}`, `{"BatchSettled":{"batch":1,"totals":{…},"uploaded":false}}`,
/// `"SignedOff"`, `{"EchoAnswered":{"ok":true}}`, `{"SignOnDeclined":{"code":"…"}}`,
/// `{"SettlementDeclined":{"code":"…"}}`.
///
/// # Safety
/// As for `paycore_terminal_poll_transmit`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_poll_event(
    terminal: *mut paycore_terminal,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
    out_available: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let t = unsafe { terminal_mut(terminal) }?;
        let session = &mut t.session;
        // SAFETY: caller contract.
        unsafe {
            t.event.deliver(
                || session.poll_event().map(|e| to_json!(&e)).transpose(),
                buf.cast(),
                buf_len,
                out_len,
                out_available,
                true,
            )
        }
    })
}

/// When to call `paycore_terminal_handle_timeout` (Unix ms); `*out_has` is false when no
/// timer is needed.
///
/// # Safety
/// `terminal` live; out-pointers valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_poll_timeout(
    terminal: *const paycore_terminal,
    out_has: *mut bool,
    out_ms: *mut i64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let s = unsafe { terminal_ref(terminal) }.ok_or_else(|| FfiError::null("terminal"))?;
        if out_has.is_null() || out_ms.is_null() {
            return Err(FfiError::null("out_has/out_ms"));
        }
        let at = s.poll_timeout();
        // SAFETY: checked non-NULL.
        unsafe {
            write_out(out_has, at.is_some(), "out_has")?;
            write_out(out_ms, at.map_or(0, |t| t.timestamp_millis()), "out_ms")
        }
    })
}

/// Whether working keys are installed (false for NULL).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_is_signed_on(terminal: *const paycore_terminal) -> bool {
    // SAFETY: caller contract.
    guard_value(false, || {
        unsafe { terminal_ref(terminal) }.is_some_and(|s| s.is_signed_on())
    })
}

/// Whether a reversal is outstanding (nothing else can start) (false for NULL).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_is_reversing(terminal: *const paycore_terminal) -> bool {
    // SAFETY: caller contract.
    guard_value(false, || {
        unsafe { terminal_ref(terminal) }.is_some_and(|s| s.is_reversing())
    })
}

/// Whether any exchange is outstanding (false for NULL).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_is_busy(terminal: *const paycore_terminal) -> bool {
    // SAFETY: caller contract.
    guard_value(false, || {
        unsafe { terminal_ref(terminal) }.is_some_and(|s| s.is_busy())
    })
}

/// Whether the session is signed on and idle, ready for `paycore_terminal_begin`.
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_is_ready(terminal: *const paycore_terminal) -> bool {
    // SAFETY: caller contract.
    guard_value(false, || {
        unsafe { terminal_ref(terminal) }.is_some_and(|s| s.is_ready())
    })
}

/// The current batch number, or 0 before the first sign-on (and for NULL).
///
/// # Safety
/// `terminal` NULL or live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_batch(terminal: *const paycore_terminal) -> u32 {
    guard_value(0, || {
        // SAFETY: caller contract.
        unsafe { terminal_ref(terminal) }
            .and_then(|s| s.batch())
            .map_or(0, |b| b.value())
    })
}

/// The current batch's totals (approved, not reversed).
///
/// # Safety
/// `terminal` live; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_totals(
    terminal: *const paycore_terminal,
    out: *mut paycore_batch_totals,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let s = unsafe { terminal_ref(terminal) }.ok_or_else(|| FfiError::null("terminal"))?;
        // SAFETY: caller contract.
        unsafe { write_out(out, s.totals().into(), "out") }
    })
}

/// The current batch's journal as a JSON array of `{"batch","stan","kind","amount_minor",
/// "currency","pan_masked","brand","auth_code","rrn","date_mmdd","reversed"}` (PAN masked
/// first 6 + last 4).
///
/// # Safety
/// `terminal` live; `buf`/`out_len` per the buffer convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_terminal_journal_json(
    terminal: *const paycore_terminal,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let s = unsafe { terminal_ref(terminal) }.ok_or_else(|| FfiError::null("terminal"))?;
        let rows: Vec<serde_json::Value> = s
            .journal()
            .iter()
            .map(|j| {
                serde_json::json!({
                    "batch": j.txn.batch.value(),
                    "stan": j.txn.stan.value(),
                    "kind": j.kind,
                    "amount_minor": j.amount.minor,
                    "currency": j.amount.currency,
                    "pan_masked": j.pan.masked(MaskStyle::First6Last4),
                    "brand": j.brand,
                    "auth_code": j.auth_code,
                    "rrn": j.rrn,
                    "date_mmdd": j.date_mmdd,
                    "reversed": j.reversed,
                })
            })
            .collect();
        let text = to_json!(&rows)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

// ---------------------------------------------------------------------------------------------
// Acquirer processor
// ---------------------------------------------------------------------------------------------

/// An acquirer processor over the in-memory transaction store (opaque). Create with
/// `paycore_processor_new`; release with `paycore_processor_free` (keys are wiped).
/// Not thread-safe: one thread at a time.
pub struct paycore_processor {
    processor: AcquirerProcessor<InMemoryStore>,
    frame: Pending<Vec<u8>>,
    frame_terminal: Option<String>,
    request: Pending<String>,
    event: Pending<String>,
}

/// # Safety
/// `ptr` NULL or a live object.
unsafe fn processor_mut<'a>(
    ptr: *mut paycore_processor,
) -> Result<&'a mut paycore_processor, FfiError> {
    // SAFETY: caller contract.
    unsafe { ptr.as_mut() }.ok_or_else(|| FfiError::null("processor"))
}

/// Writes the default processor configuration (UnionPay cut-off 23:00 UTC+8, 30-day
/// pre-auth window, no completion tolerance, 30 s network timeout, 10 s reversal retry).
///
/// # Safety
/// `out` valid for a write.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_config_default(
    out: *mut paycore_processor_config,
) -> paycore_result {
    guard(|| {
        let d = ProcessorConfig::default();
        let (offset, secs) = cutoff_parts(&d.cutoff);
        let c = paycore_processor_config {
            cutoff_utc_offset_seconds: offset,
            cutoff_seconds_of_day: secs,
            preauth_window_days: d.preauth_window_days,
            completion_tolerance_bp: d.completion_tolerance_bp,
            network_timeout_ms: d.network_timeout_ms,
            network_reversal_retry_ms: d.network_reversal_retry_ms,
        };
        // SAFETY: caller contract.
        unsafe { write_out(out, c, "out") }
    })
}

/// Creates a processor with an empty in-memory store; `config` NULL = defaults.
///
/// # Safety
/// `config` NULL or valid; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_new(
    config: *const paycore_processor_config,
    out: *mut *mut paycore_processor,
) -> paycore_result {
    guard(|| {
        let mut cfg = ProcessorConfig::default();
        // SAFETY: caller contract.
        if let Some(c) = unsafe { config.as_ref() } {
            cfg.cutoff = cutoff(c.cutoff_utc_offset_seconds, c.cutoff_seconds_of_day)?;
            cfg.preauth_window_days = c.preauth_window_days;
            cfg.completion_tolerance_bp = c.completion_tolerance_bp;
            cfg.network_timeout_ms = c.network_timeout_ms;
            cfg.network_reversal_retry_ms = c.network_reversal_retry_ms;
        }
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let p = paycore_processor {
            processor: AcquirerProcessor::new(cfg, InMemoryStore::default()),
            frame: Pending(None),
            frame_terminal: None,
            request: Pending(None),
            event: Pending(None),
        };
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, Box::into_raw(Box::new(p)), "out") }
    })
}

/// Releases a processor (NULL is fine); its keys are wiped.
///
/// # Safety
/// `processor` NULL or a live object not used afterwards.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_free(processor: *mut paycore_processor) {
    guard_value((), || {
        if !processor.is_null() {
            // SAFETY: created by Box::into_raw in this module; freed once per contract.
            drop(unsafe { Box::from_raw(processor) });
        }
    });
}

/// Serialises the processor (configuration, terminals with their keys as hex, the in-memory
/// store, outstanding network requests and queued outputs — except one held back by a
/// too-small buffer) as JSON, so a restarted switch resumes. Contains secrets: encrypt it.
///
/// # Safety
/// `processor` live; `buf`/`out_len` per the buffer convention.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_to_json(
    processor: *const paycore_processor,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor.as_ref() }.ok_or_else(|| FfiError::null("processor"))?;
        let text = to_json!(&p.processor)?;
        // SAFETY: caller contract.
        unsafe { text_out(&text, buf, buf_len, out_len) }
    })
}

/// Restores a processor saved with `paycore_processor_to_json`.
///
/// # Safety
/// `json` valid for `json_len` bytes; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_from_json(
    json: *const c_char,
    json_len: usize,
    out: *mut *mut paycore_processor,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let text = unsafe { str_arg(json, json_len, "json") }?;
        let processor: AcquirerProcessor<InMemoryStore> =
            serde_json::from_str(text).map_err(|e| json_error("saved processor", &e))?;
        if out.is_null() {
            return Err(FfiError::null("out"));
        }
        let p = paycore_processor {
            processor,
            frame: Pending(None),
            frame_terminal: None,
            request: Pending(None),
            event: Pending(None),
        };
        // SAFETY: checked non-NULL.
        unsafe { write_out(out, Box::into_raw(Box::new(p)), "out") }
    })
}

/// Registers (or replaces) a deployed terminal with its merchant and 16-byte TMK.
///
/// # Safety
/// `processor` live; strings and `tmk` valid for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_register_terminal(
    processor: *mut paycore_processor,
    terminal_id: *const c_char,
    terminal_id_len: usize,
    merchant_id: *const c_char,
    merchant_id_len: usize,
    tmk: *const u8,
    tmk_len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        // SAFETY: as above.
        let tid =
            TerminalId::new(unsafe { str_arg(terminal_id, terminal_id_len, "terminal_id") }?)?;
        // SAFETY: as above.
        let mid =
            MerchantId::new(unsafe { str_arg(merchant_id, merchant_id_len, "merchant_id") }?)?;
        // SAFETY: as above.
        let tmk = MasterKey::new(key_array(
            unsafe { bytes_arg(tmk, tmk_len, "tmk") }?,
            "TMK",
        )?);
        p.processor.register_terminal(TerminalProfile {
            terminal_id: tid,
            merchant_id: mid,
            tmk,
        });
        Ok(())
    })
}

/// Provides the working keys the next sign-on of this terminal delivers: a 16-byte PIK and an
/// 8-byte MAK (generated by the host's HSM).
///
/// # Safety
/// `processor` live; pointers valid for their lengths.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_provide_working_keys(
    processor: *mut paycore_processor,
    terminal_id: *const c_char,
    terminal_id_len: usize,
    pik: *const u8,
    pik_len: usize,
    mak: *const u8,
    mak_len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        // SAFETY: as above.
        let tid =
            TerminalId::new(unsafe { str_arg(terminal_id, terminal_id_len, "terminal_id") }?)?;
        // SAFETY: as above.
        let pik = PinKey::new(key_array(
            unsafe { bytes_arg(pik, pik_len, "pik") }?,
            "PIK",
        )?);
        // SAFETY: as above.
        let mak = MacKey::new(key_array(
            unsafe { bytes_arg(mak, mak_len, "mak") }?,
            "MAK",
        )?);
        p.processor
            .provide_working_keys(&tid, WorkingKeys { pik, mak })?;
        Ok(())
    })
}

/// Feeds a frame received from a terminal (starting at the MTI).
///
/// # Safety
/// `processor` live; `frame` valid for `frame_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_handle_terminal(
    processor: *mut paycore_processor,
    now_ms: i64,
    frame: *const u8,
    frame_len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        // SAFETY: caller contract.
        let bytes = unsafe { bytes_arg(frame, frame_len, "frame") }?;
        p.processor.handle_terminal(time_arg(now_ms)?, bytes)?;
        Ok(())
    })
}

/// Feeds the network's answer as JSON, e.g.
/// `{"id":1,"outcome":{"Approved":{"auth_code":"A12345","settlement_date":null,
/// "card":{"brand":"UnionPay","card_type":"Debit"},"balance":null}}}` or
/// `{"id":1,"outcome":{"Declined":{"code":"51"}}}`.
///
/// # Safety
/// `processor` live; `json` valid for `json_len` bytes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_handle_network_response_json(
    processor: *mut paycore_processor,
    now_ms: i64,
    json: *const c_char,
    json_len: usize,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        // SAFETY: caller contract.
        let text = unsafe { str_arg(json, json_len, "json") }?;
        let response: NetworkResponse =
            serde_json::from_str(text).map_err(|e| json_error("network response", &e))?;
        p.processor
            .handle_network_response(time_arg(now_ms)?, response)?;
        Ok(())
    })
}

/// The network acknowledged the reversal request `id`.
///
/// # Safety
/// `processor` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_handle_network_reversal_ack(
    processor: *mut paycore_processor,
    now_ms: i64,
    id: u64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        p.processor
            .handle_network_reversal_ack(time_arg(now_ms)?, id)?;
        Ok(())
    })
}

/// Call at (or after) `paycore_processor_poll_timeout`: a silent network gives the terminal a
/// `98` and a network reversal.
///
/// # Safety
/// `processor` live.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_handle_timeout(
    processor: *mut paycore_processor,
    now_ms: i64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        p.processor.handle_timeout(time_arg(now_ms)?)?;
        Ok(())
    })
}

/// The next frame for a terminal: its id (8 characters, NUL-terminated when room allows) into
/// `terminal_id_buf` and the frame into `buf`. Both buffers must be large enough (else
/// `BUFFER_TOO_SMALL`, with the frame length in `*out_len`, and the frame is kept).
///
/// # Safety
/// `processor` live; buffers valid for their lengths; out-pointers valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_poll_terminal_transmit(
    processor: *mut paycore_processor,
    terminal_id_buf: *mut c_char,
    terminal_id_buf_len: usize,
    buf: *mut u8,
    buf_len: usize,
    out_len: *mut usize,
    out_available: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        if p.frame.0.is_none()
            && let Some((tid, frame)) = p.processor.poll_terminal_transmit()
        {
            p.frame.0 = Some(frame);
            p.frame_terminal = Some(tid.as_str().to_owned());
        }
        if let Some(tid) = &p.frame_terminal
            && (terminal_id_buf.is_null() || terminal_id_buf_len < tid.len())
        {
            return Err(FfiError::new(
                paycore_result::PAYCORE_ERR_BUFFER_TOO_SMALL,
                format!("terminal_id_buf needs {} bytes", tid.len()),
            ));
        }
        // SAFETY: caller contract.
        unsafe {
            p.frame
                .deliver(|| Ok(None), buf, buf_len, out_len, out_available, false)
        }?;
        if let Some(tid) = p.frame_terminal.take() {
            let mut n = 0usize;
            // SAFETY: buffer checked above to hold the id.
            unsafe { text_out(&tid, terminal_id_buf, terminal_id_buf_len, &mut n) }?;
        }
        Ok(())
    })
}

/// The next request for the card network as JSON, e.g.
/// `{"id":1,"body":{"Transaction":{"kind":"Sale","amount":{"minor":12345,"currency":156},
/// "pan":"6228…","terminal_id":"…","merchant_id":"…","original_network_id":null}}}` or
/// `{"id":2,"body":{"Reversal":{"reverses":1}}}`. Carries the **full PAN** (the network needs
/// it): do not log it.
///
/// # Safety
/// As for `paycore_terminal_poll_event`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_poll_network_request(
    processor: *mut paycore_processor,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
    out_available: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        let inner = &mut p.processor;
        // SAFETY: caller contract.
        unsafe {
            p.request.deliver(
                || {
                    inner
                        .poll_network_request()
                        .map(|r| to_json!(&r))
                        .transpose()
                },
                buf.cast(),
                buf_len,
                out_len,
                out_available,
                true,
            )
        }
    })
}

/// The next domain event as JSON: `{"Captured":{…}}`, `{"Authorised":{…}}`, `{"Voided":{…}}`,
/// `{"Refunded":{…}}`, `{"Reversed":{…}}` (each with `key`, `kind`, `merchant_id`,
/// `pan_masked`, `card`, `channel`, `amount`, `received_at`, `at`, `settlement_date`,
/// `auth_code`, `rrn`, `original`), `{"Declined":{"data":{…},"reason":"AmountExceeded",
/// "code":"61"}}`, `{"BatchSettled":{…}}`.
///
/// # Safety
/// As for `paycore_terminal_poll_event`.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_poll_event(
    processor: *mut paycore_processor,
    buf: *mut c_char,
    buf_len: usize,
    out_len: *mut usize,
    out_available: *mut bool,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor_mut(processor) }?;
        let inner = &mut p.processor;
        // SAFETY: caller contract.
        unsafe {
            p.event.deliver(
                || inner.poll_event().map(|e| to_json!(&e)).transpose(),
                buf.cast(),
                buf_len,
                out_len,
                out_available,
                true,
            )
        }
    })
}

/// When to call `paycore_processor_handle_timeout` (Unix ms); `*out_has` false if never.
///
/// # Safety
/// `processor` live; out-pointers valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_poll_timeout(
    processor: *const paycore_processor,
    out_has: *mut bool,
    out_ms: *mut i64,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor.as_ref() }.ok_or_else(|| FfiError::null("processor"))?;
        if out_has.is_null() || out_ms.is_null() {
            return Err(FfiError::null("out_has/out_ms"));
        }
        let at = p.processor.poll_timeout();
        // SAFETY: checked non-NULL.
        unsafe {
            write_out(out_has, at.is_some(), "out_has")?;
            write_out(out_ms, at.map_or(0, |t| t.timestamp_millis()), "out_ms")
        }
    })
}

/// The host's totals of a terminal's batch (approved, not reversed).
///
/// # Safety
/// `processor` live; `terminal_id` valid; `out` valid.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn paycore_processor_batch_totals(
    processor: *const paycore_processor,
    terminal_id: *const c_char,
    terminal_id_len: usize,
    batch: u32,
    out: *mut paycore_batch_totals,
) -> paycore_result {
    guard(|| {
        // SAFETY: caller contract.
        let p = unsafe { processor.as_ref() }.ok_or_else(|| FfiError::null("processor"))?;
        // SAFETY: as above.
        let tid =
            TerminalId::new(unsafe { str_arg(terminal_id, terminal_id_len, "terminal_id") }?)?;
        let totals = p.processor.batch_totals(&tid, BatchNo::new(batch)?);
        // SAFETY: caller contract.
        unsafe { write_out(out, totals.into(), "out") }
    })
}
