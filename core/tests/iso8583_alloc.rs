//! Proves that borrowed decoding of a typical CUP EMV sale allocates nothing, using a counting
//! global allocator (this file is its own test binary so the count is not disturbed).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use paycore::iso8583::{Message, Mti, Spec, decode_ref};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: forwards to the system allocator and only counts calls.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

#[test]
fn borrowed_decode_allocates_nothing() {
    let spec = Spec::builtin("cup-pos").unwrap();
    let mut m = Message::new(Mti::parse("0200").unwrap());
    m.set_text(2, "6228480402564890018")
        .set_text(3, "000000")
        .set_text(4, "000000000100")
        .set_text(11, "000123")
        .set_text(14, "2512")
        .set_text(22, "051")
        .set_text(23, "001")
        .set_text(25, "00")
        .set_text(26, "12")
        .set_text(35, "6228480402564890018=25122201234500000")
        .set_text(41, "12345678")
        .set_text(42, "123456789012345")
        .set_text(49, "156")
        .set_bytes(52, &[0x11; 8])
        .set_text(53, "2600000000000000")
        .set_bytes(55, &[0x9F; 140])
        .set_text(60, "22000024000600")
        .set_bytes(64, &[0x31; 8]);
    // F55 must only be bytes for the codec; a TLV-valid value is not required here.
    let bytes = m.encode(&spec).unwrap();

    let before = ALLOCS.load(Ordering::SeqCst);
    let view = decode_ref(&spec, &bytes).unwrap();
    let amount = view.field(4).and_then(|f| f.to_u64());
    let tid = view.field(41).and_then(|f| f.as_str());
    let icc_len = view.field(55).map(|f| f.raw().len());
    let mac_input_len = view.mac_input().map(<[u8]>::len);
    let count = view.fields().count();
    let after = ALLOCS.load(Ordering::SeqCst);

    assert_eq!(after - before, 0, "borrowed decode allocated");
    assert_eq!(amount, Some(100));
    assert_eq!(tid, Some("12345678"));
    assert_eq!(icc_len, Some(140));
    assert_eq!(mac_input_len, Some(bytes.len() - 8));
    assert_eq!(count, 18);
}
