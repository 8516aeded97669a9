//! A fast, deterministic hasher for 128-bit ids.
//!
//! Why not `std`'s SipHash: it is DoS-resistant but costs ~20 ns per u128 key, which alone
//! would eat the 500 ns budget of a two-leg transfer several times over (three lookups per
//! transfer). Ids are chosen by the host (not by an attacker on the network), so a
//! multiply–xorshift mix is enough. The mixing constant is the 64-bit golden ratio.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// Hasher specialised for `u128`/`u64`/`u32` keys; other writes fold bytes in.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher {
    state: u64,
}

const K: u64 = 0x9E37_79B9_7F4A_7C15;

impl IdHasher {
    #[inline]
    fn mix(&mut self, v: u64) {
        self.state = (self.state.rotate_left(5) ^ v).wrapping_mul(K);
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // Final avalanche so that the top bits (used by hashbrown's control bytes) depend on
        // every input bit.
        let mut h = self.state;
        h ^= h >> 32;
        h = h.wrapping_mul(K);
        h ^ (h >> 29)
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.mix(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.mix(i as u64);
        self.mix((i >> 64) as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.mix(i);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.mix(u64::from(i));
    }
}

/// `HashMap` keyed by ids with [`IdHasher`].
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;
