//! A fast, deterministic hasher for 128-bit ids, and the compact id index built on it.
//!
//! Why not `std`'s SipHash: it is DoS-resistant but costs ~20 ns per u128 key, which alone
//! would eat the 500 ns budget of a two-leg transfer several times over (three lookups per
//! transfer). Ids are chosen by the host (not by an attacker on the network), so a
//! multiply–xorshift mix (MurmurHash3's finaliser) is enough.
//!
//! **Locality for sequential ids.** Once the transfer table outgrows the CPU caches, every
//! lookup of a new id is a cache miss on the table's control bytes and every insert another
//! on its bucket — with random bucket positions, the two misses dominated the cost of a
//! transfer. Hosts usually allocate ids sequentially (a database sequence) or time-ordered
//! (TigerBeetle recommends that too), so the hash keeps ids that differ only in their low 4
//! bits together: the id's 16-aligned *block* (`id >> 4`) is mixed into a random, 16-aligned
//! bucket position, and the id lands at offset `(id ^ r) & 15` inside it, where `r` is a
//! random function of the block. Sixteen consecutive ids therefore share one control group
//! and six bucket cache lines. The offset is a bijection within a block, so ids with equal
//! low bits (e.g. `x << 64 | 1`) still spread over all offsets, and the tag byte mixes the
//! offset in so that ids of one block never share a tag. Random ids hash as uniformly as
//! before.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

/// Hasher specialised for `u128`/`u64`/`u32` keys; other writes fold bytes in.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher {
    state: u64,
    /// Low 4 bits of the last integer written, plus 16 to mark "set" (0 = none yet).
    low: u64,
}

/// Bits of the hash below hashbrown's 7-bit tag (which is `hash >> 57`).
const POSITION_BITS: u64 = (1 << 57) - 1;

/// MurmurHash3's 64-bit finaliser: a bijection in which every output bit depends on every
/// input bit (xor-multiply mixes alone let structured ids collide).
#[inline]
const fn fmix64(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    h ^= h >> 33;
    h = h.wrapping_mul(0xC4CE_B9FE_1A85_EC53);
    h ^ (h >> 33)
}

impl IdHasher {
    #[inline]
    fn absorb(&mut self, v: u64) {
        self.state = fmix64(self.state.rotate_left(32) ^ v);
    }

    /// Start an integer: an earlier integer of a composite key is folded in whole.
    #[inline]
    fn begin(&mut self, low_word: u64) {
        if self.low != 0 {
            self.absorb(self.low);
        }
        self.low = (low_word & 15) | 16;
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // `state` is the mixed block (`id >> 4`): its bits 0..52 place the 16-aligned group,
        // bits 40..43 permute the offsets inside it, bits 57..63 seed the tag.
        let h = self.state;
        let offset = (self.low ^ (h >> 40)) & 15;
        let tag = ((h >> 57).wrapping_add(offset.wrapping_mul(37))) & 0x7F;
        (tag << 57) | ((h << 4) & POSITION_BITS & !15) | offset
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.absorb(u64::from_le_bytes(buf));
        }
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.begin(i as u64);
        let block = i >> 4;
        // High word first: for ids below 2^64 `fmix64(0) == 0` and the hash equals the
        // `u64` one.
        self.absorb((block >> 64) as u64);
        self.absorb(block as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.begin(i);
        self.absorb(i >> 4);
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.write_u64(u64::from(i));
    }
}

/// `HashMap` keyed by ids with [`IdHasher`].
pub type IdMap<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// A `u128` id as two `u64` halves: 8-byte alignment instead of 16, so an index entry with a
/// `u32` value takes 24 bytes instead of 32 (a quarter less memory and cache traffic).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct IdKey {
    lo: u64,
    hi: u64,
}

impl IdKey {
    #[inline]
    pub(crate) const fn new(id: u128) -> Self {
        Self {
            lo: id as u64,
            hi: (id >> 64) as u64,
        }
    }
    #[inline]
    pub(crate) const fn id(self) -> u128 {
        ((self.hi as u128) << 64) | self.lo as u128
    }
}

impl Hash for IdKey {
    #[inline]
    fn hash<H: Hasher>(&self, state: &mut H) {
        // Same hash as the `u128` itself.
        state.write_u128(self.id());
    }
}

/// Map from `u128` ids to `V`, stored compactly (see [`IdKey`]).
#[derive(Debug, Clone)]
pub(crate) struct IdIndex<V>(HashMap<IdKey, V, BuildHasherDefault<IdHasher>>);

impl<V> Default for IdIndex<V> {
    fn default() -> Self {
        Self(HashMap::default())
    }
}

impl<V> IdIndex<V> {
    #[inline]
    pub(crate) fn get(&self, id: u128) -> Option<&V> {
        self.0.get(&IdKey::new(id))
    }
    #[inline]
    pub(crate) fn get_mut(&mut self, id: u128) -> Option<&mut V> {
        self.0.get_mut(&IdKey::new(id))
    }
    #[inline]
    pub(crate) fn contains_key(&self, id: u128) -> bool {
        self.0.contains_key(&IdKey::new(id))
    }
    #[inline]
    pub(crate) fn insert(&mut self, id: u128, v: V) -> Option<V> {
        self.0.insert(IdKey::new(id), v)
    }
    #[inline]
    pub(crate) fn remove(&mut self, id: u128) -> Option<V> {
        self.0.remove(&IdKey::new(id))
    }
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.0.reserve(additional);
    }
    pub(crate) fn iter(&self) -> impl Iterator<Item = (u128, &V)> {
        self.0.iter().map(|(k, v)| (k.id(), v))
    }
}

impl<V> std::ops::Index<u128> for IdIndex<V> {
    type Output = V;
    #[inline]
    fn index(&self, id: u128) -> &V {
        self.get(id).expect("id in index")
    }
}

#[cfg(test)]
mod tests {
    use std::hash::BuildHasher;

    use super::*;

    fn h(id: u128) -> u64 {
        BuildHasherDefault::<IdHasher>::default().hash_one(id)
    }

    #[test]
    fn key_roundtrips_and_hashes_like_the_id() {
        for id in [
            0,
            1,
            u128::MAX,
            1 << 64,
            (7 << 64) | 3,
            0x1234_5678_9abc_def0,
        ] {
            let k = IdKey::new(id);
            assert_eq!(k.id(), id);
            assert_eq!(BuildHasherDefault::<IdHasher>::default().hash_one(k), h(id));
        }
        assert_eq!(std::mem::size_of::<(IdKey, u32)>(), 24);
    }

    #[test]
    fn a_block_of_sixteen_ids_fills_one_aligned_group_with_distinct_tags() {
        for base in [0u128, 16 * 12_345, (99 << 64) | 0x40, u128::MAX - 15] {
            let hashes: Vec<u64> = (0..16).map(|j| h(base + j)).collect();
            let position = |x: u64| x & POSITION_BITS;
            let group = position(hashes[0]) & !15;
            let mut offsets: Vec<u64> = hashes.iter().map(|x| position(*x) - group).collect();
            offsets.sort_unstable();
            assert_eq!(offsets, (0..16).collect::<Vec<_>>(), "base {base:#x}");
            let mut tags: Vec<u64> = hashes.iter().map(|x| x >> 57).collect();
            tags.sort_unstable();
            tags.dedup();
            assert_eq!(tags.len(), 16, "tags of block {base:#x}");
        }
    }

    #[test]
    fn ids_with_equal_low_bits_still_spread_over_offsets_and_positions() {
        // The chart's ids: `owner << 64 | … | 1` all end in the same nibble.
        let mut offsets = [0usize; 16];
        let mut positions = std::collections::HashSet::new();
        for owner in 0..4096u128 {
            let x = h((owner << 64) | (156 << 32) | (12 << 16) | 1);
            offsets[(x & 15) as usize] += 1;
            positions.insert((x & POSITION_BITS) >> 4 & 0xFFF);
        }
        assert!(
            offsets.iter().all(|n| (160..=352).contains(n)),
            "{offsets:?}"
        );
        // 4096 ids into 4096 groups: a uniform hash covers 1 - 1/e ≈ 63 % of them.
        assert!(positions.len() > 2400, "{}", positions.len());
    }

    #[test]
    fn composite_keys_fold_every_part() {
        let b = BuildHasherDefault::<IdHasher>::default();
        assert_ne!(b.hash_one((1u64, 2u64)), b.hash_one((2u64, 1u64)));
        assert_ne!(b.hash_one((1u64, 2u64)), b.hash_one((0u64, 3u64)));
        assert_ne!(b.hash_one((16u64, 2u64)), b.hash_one((0u64, 2u64)));
    }

    #[test]
    fn index_get_insert_remove() {
        let mut ix = IdIndex::default();
        assert!(ix.is_empty());
        for id in (0..1000u128).map(|i| i * 0x1_0000_0001) {
            assert_eq!(ix.insert(id, id as u32), None);
        }
        assert_eq!(ix.get(5 * 0x1_0000_0001), Some(&5));
        assert_eq!(ix[7 * 0x1_0000_0001], 7);
        *ix.get_mut(7 * 0x1_0000_0001).unwrap() = 70;
        assert_eq!(ix.remove(7 * 0x1_0000_0001), Some(70));
        assert!(!ix.contains_key(7 * 0x1_0000_0001));
        assert_eq!(ix.iter().count(), 999);
    }
}
