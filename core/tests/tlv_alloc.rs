//! The TLV iterator path allocates nothing: a counting global allocator proves it.
//!
//! This file has its own global allocator, so it is its own test binary.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

use paycore::tlv::{ParseOptions, TlvIter};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates every call to the system allocator unchanged; only counts.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCATIONS.fetch_add(1, Ordering::SeqCst);
        // SAFETY: same contract as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// A typical CUP sale field 55 (~140 bytes).
const FIELD55: &str = "9F2608A1B2C3D4E5F607189F2701809F101307010103A0A802010A010000000000ABCDEF019F3704DEADBEEF9F36020012950500000800009A032402179C01009F02060000000001005F2A02015682027C009F1A0201569F03060000000000009F3303E0F8C89F34034203009F3501229F1E0831323334353637388407A00000033301019F0902008C9F410400000001";

#[test]
fn iterator_path_allocates_nothing() {
    let data = paycore::hex::decode(FIELD55).unwrap();
    assert_eq!(data.len(), 144);
    let options = ParseOptions::emv();
    let before = ALLOCATIONS.load(Ordering::SeqCst);
    let mut count = 0usize;
    let mut value_bytes = 0usize;
    for _ in 0..100 {
        for tlv in TlvIter::new(&data, options) {
            let tlv = tlv.expect("valid field 55");
            count += 1;
            value_bytes += tlv.value().len();
            if tlv.is_constructed() {
                for child in tlv.children(options) {
                    value_bytes += child.expect("valid").value().len();
                }
            }
        }
    }
    let after = ALLOCATIONS.load(Ordering::SeqCst);
    assert_eq!(after - before, 0, "the iterator allocated");
    assert_eq!(count, 100 * 20);
    assert!(value_bytes > 0);
}
