//! A fast, deterministic hasher for 128-bit ids, and the compact id index built on it.
//!
//! Why not `std`'s SipHash: it is DoS-resistant but costs ~20 ns per u128 key, which alone
//! would eat the 500 ns budget of a two-leg transfer several times over (three lookups per
//! transfer). Ids are chosen by the host (not by an attacker on the network), so one folded
//! 64×64→128-bit multiply of the id's two words (the mixing step of foldhash) is enough.
//! Unlike foldhash the hash is not seeded per process — the ledger is deterministic and has
//! no randomness of its own — so it is *not* flood-resistant: a party that can choose ids
//! freely can compute colliding ones. Hosts that accept idempotency keys from clients should
//! map them to ids through their own keyed hash or a sequence, never pass them through raw.
//!
//! **Locality for sequential ids.** Once the transfer table outgrows the CPU caches, every
//! lookup of a new id is a cache miss on the table's control bytes and every insert another
//! on its bucket — with random bucket positions, the two misses dominated the cost of a
//! transfer. Hosts usually allocate ids sequentially (a database sequence) or time-ordered
//! (TigerBeetle recommends that too), so the hash keeps ids that differ only in their low 4
//! bits together: the id's 16-aligned *block* (`id >> 4`) is mixed into a random, 16-aligned
//! bucket position, and the id lands at offset `(id ^ r) & 15` inside it, where `r` is a
//! random function of the block. The sixteen ids of a 16-aligned block therefore share one
//! control group and its buckets (six cache lines of 24-byte [`IdIndex`] entries, two of
//! 8-byte [`TransferIndex`] entries). The offset is a bijection within a block, so ids with equal
//! low bits (e.g. `x << 64 | 1`) still spread over all offsets, and the tag byte mixes the
//! offset in so that ids of one block never share a tag. Random ids hash as uniformly as
//! before.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};

use hashbrown::HashTable;

use super::transfer::Transfer;

/// Hasher specialised for `u128`/`u64`/`u32` keys; other writes fold bytes in.
#[derive(Debug, Default, Clone, Copy)]
pub struct IdHasher {
    state: u64,
    /// Low 4 bits of the last integer written, plus 16 to mark "set" (0 = none yet).
    low: u64,
}

/// Bits of the hash below hashbrown's 7-bit tag (which is `hash >> 57`).
const POSITION_BITS: u64 = (1 << 57) - 1;

/// Arbitrary odd constants (digits of π) that keep a zero word from zeroing the product.
const SEED_LO: u64 = 0x243F_6A88_85A3_08D3;
const SEED_HI: u64 = 0x1319_8A2E_0370_7344;

/// Folded multiply: the full 128-bit product of the two words, its halves xor-ed. For nonzero
/// factors every output bit depends on every input bit of both words (the high half carries the mixing
/// of the low bits upwards, the fold brings it back down) at the cost of one `mul`; the
/// two fmix64 rounds it replaces cost four multiplies and a dozen shifts and xors, and were
/// about a tenth of a transfer's instructions (four ids hashed per transfer).
#[inline]
const fn fold_mul(a: u64, b: u64) -> u64 {
    let p = (a as u128).wrapping_mul(b as u128);
    (p as u64) ^ ((p >> 64) as u64)
}

/// The mix of a 124-bit block number (`id >> 4`) given as two words.
///
/// The words are xor-ed back in after the multiply: a product with a zero factor is zero, so
/// without them every block whose low word equals `SEED_LO` (or high word `SEED_HI`) would
/// hash alike — a ready-made family of colliding ids.
#[inline]
const fn mix_block(lo: u64, hi: u64) -> u64 {
    fold_mul(lo ^ SEED_LO, hi ^ SEED_HI) ^ lo ^ hi.rotate_left(32)
}

impl IdHasher {
    /// Start an integer: an earlier integer of a composite key is folded in whole.
    #[inline]
    fn begin(&mut self, low_word: u64) {
        if self.low != 0 {
            self.state = mix_block(self.state ^ self.low, self.state.rotate_left(29));
        }
        self.low = (low_word & 15) | 16;
    }
}

impl Hasher for IdHasher {
    #[inline]
    fn finish(&self) -> u64 {
        // `state` is the mixed block (`id >> 4`): its bits 0..52 place the 16-aligned group,
        // bits 40..43 permute the offsets inside it, bits 57..63 seed the tag.
        // The offset, times 8, is xor-ed into the tag: distinct offsets, distinct tags.
        let h = self.state;
        let offset = (self.low ^ (h >> 40)) & 15;
        ((h & !POSITION_BITS) ^ (offset << 60)) | ((h << 4) & POSITION_BITS & !15) | offset
    }
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut buf = [0u8; 8];
            buf[..chunk.len()].copy_from_slice(chunk);
            self.state = mix_block(self.state ^ u64::from_le_bytes(buf), self.state);
        }
    }
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.begin(i as u64);
        let block = i >> 4;
        self.state ^= mix_block(block as u64, (block >> 64) as u64);
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        // Same hash as the `u128` of the same value.
        self.begin(i);
        self.state ^= mix_block(i >> 4, 0);
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

/// Transfer id → index into the ledger's transfer log, in 8 bytes per entry.
///
/// Why not an [`IdIndex`]: the transfer index is the ledger's largest table (one entry per
/// transfer ever stored) and is probed for every new transfer. An `IdIndex<u32>` entry
/// holds the 16-byte id beside the index (24 bytes); here an entry holds the transfer's
/// log index and a 32-bit *check* — the low 32 bits of the id's [`IdHasher`] hash — and
/// the id itself is read from the log only when the check matches. A third of the bytes
/// means a third of the memory to page in and to move when the table doubles, and a third
/// of the cache lines per probed group; the table's hash is a function of the check alone,
/// so growing never reads the log.
///
/// Lookups therefore take the log (`&[Transfer]`) as an argument. An entry may point one
/// past its end: [`Ledger::create_transfer`](super::Ledger) enters a new id before it
/// stores the transfer, and such an entry matches no lookup until the transfer is there.
#[derive(Debug, Clone, Default)]
pub(crate) struct TransferIndex {
    table: HashTable<TransferEntry>,
}

#[derive(Debug, Clone, Copy)]
struct TransferEntry {
    /// Position in the transfer log.
    index: u32,
    /// Low 32 bits of the id's hash: group position and offset (see the module doc).
    check: u32,
}

impl TransferEntry {
    /// The table's hash, rebuilt from the check: its low 32 bits are the check, so
    /// positions are those of the id's [`IdHasher`] hash (the ids of a 16-aligned block
    /// share a group) in any table below 2^32 buckets. hashbrown takes its 7-bit tag from bits
    /// 57..63, which are mixed from the check's group bits with the in-group offset xor-ed
    /// into the top four: the ids of one block get distinct tags.
    #[inline]
    fn hash(check: u32) -> u64 {
        let group = u64::from(check >> 4);
        let offset = u64::from(check & 15);
        let high = (group.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 32) ^ (offset << 28);
        (high << 32) | u64::from(check)
    }
}

/// The check of an id: the low 32 bits of its [`IdHasher`] hash.
#[inline]
fn transfer_check(id: u128) -> u32 {
    let mut h = IdHasher::default();
    h.write_u128(id);
    h.finish() as u32
}

impl TransferIndex {
    /// The log index of transfer `id`.
    #[inline]
    pub(crate) fn get(&self, id: u128, log: &[Transfer]) -> Option<u32> {
        let check = transfer_check(id);
        self.table
            .find(TransferEntry::hash(check), |e| {
                e.check == check && log.get(e.index as usize).is_some_and(|t| t.id == id)
            })
            .map(|e| e.index)
    }
    /// Enter `id` at log index `index` unless it is present; then return the present
    /// index. One probe where `get` followed by `insert` would take two.
    #[inline]
    pub(crate) fn try_insert(&mut self, id: u128, index: u32, log: &[Transfer]) -> Result<(), u32> {
        let check = transfer_check(id);
        match self.table.entry(
            TransferEntry::hash(check),
            |e| e.check == check && log.get(e.index as usize).is_some_and(|t| t.id == id),
            |e| TransferEntry::hash(e.check),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => Err(e.get().index),
            hashbrown::hash_table::Entry::Vacant(e) => {
                e.insert(TransferEntry { index, check });
                Ok(())
            }
        }
    }
    /// Take out the entry of `id` at log index `index` (whether or not the log still holds
    /// it). Returns whether it was there.
    #[inline]
    pub(crate) fn remove(&mut self, id: u128, index: u32) -> bool {
        let check = transfer_check(id);
        match self.table.find_entry(TransferEntry::hash(check), |e| {
            e.check == check && e.index == index
        }) {
            Ok(e) => {
                e.remove();
                true
            }
            Err(_) => false,
        }
    }
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.table.len()
    }
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.table
            .reserve(additional, |e| TransferEntry::hash(e.check));
    }
}

/// Account ids below this may be indexed densely (see [`AccountIndex`]): at most 4 MB of
/// `u32`s, reached only when the host has that many accounts numbered that high.
pub(crate) const DENSE_ID_LIMIT: u128 = 1 << 20;

/// Ids below this are always in the dense vector (64 slots: 256 bytes).
const DENSE_MIN: usize = 64;

/// Sentinel of a dense slot without an account.
const NO_ACCOUNT: u32 = u32::MAX;

/// Account id → index into the ledger's account table.
///
/// Why two representations: every transfer looks up two accounts, and hosts commonly number
/// accounts from a sequence (TigerBeetle's advice, and the natural choice for a database
/// key), so small ids are looked up in a plain vector indexed by the id — one bounds check
/// and one load, no hashing or probing. Other ids (e.g. the chart's structured ids) live in
/// the hash index.
///
/// The split point is the *dense range*, `max(dense.len(), 64)`: every id below it is in the
/// vector and only there (so a miss in the vector is a definite "no such account"), every id
/// at or above it is in the hash index. The vector doubles to take a new id only while that
/// keeps it proportional to the number of accounts (at most 8 slots per account, plus 64)
/// and below [`DENSE_ID_LIMIT`]; a lone account numbered 1,000,000 therefore costs one hash
/// entry, not a 4 MB vector. When the vector grows, the hash entries it now covers move
/// into it.
#[derive(Debug, Clone, Default)]
pub(crate) struct AccountIndex {
    dense: Vec<u32>,
    sparse: IdIndex<u32>,
    /// Accounts indexed, dense and sparse.
    count: usize,
}

impl AccountIndex {
    /// The ids below this are dense.
    #[inline]
    fn dense_range(&self) -> u128 {
        self.dense.len().max(DENSE_MIN) as u128
    }
    #[inline]
    pub(crate) fn get(&self, id: u128) -> Option<&u32> {
        if id < self.dense_range() {
            self.dense.get(id as usize).filter(|i| **i != NO_ACCOUNT)
        } else {
            self.sparse.get(id)
        }
    }
    /// Insert or replace; returns the previous index.
    pub(crate) fn insert(&mut self, id: u128, index: u32) -> Option<u32> {
        debug_assert_ne!(index, NO_ACCOUNT);
        if id >= self.dense_range() {
            let cap = (self.count + 1).saturating_mul(8).saturating_add(DENSE_MIN) as u128;
            if id >= DENSE_ID_LIMIT || id >= cap {
                let old = self.sparse.insert(id, index);
                self.count += usize::from(old.is_none());
                return old;
            }
            self.grow_dense((id as usize + 1).next_power_of_two());
        }
        let at = id as usize;
        if at >= self.dense.len() {
            self.dense.resize(DENSE_MIN, NO_ACCOUNT);
        }
        let old = std::mem::replace(&mut self.dense[at], index);
        self.count += usize::from(old == NO_ACCOUNT);
        (old != NO_ACCOUNT).then_some(old)
    }
    /// Extend the dense vector to `len` slots and move the hash entries it now covers.
    fn grow_dense(&mut self, len: usize) {
        let from = self.dense_range();
        self.dense.resize(len.max(DENSE_MIN), NO_ACCOUNT);
        let to = self.dense.len() as u128;
        let moved: Vec<(u128, u32)> = self
            .sparse
            .iter()
            .filter(|(id, _)| (from..to).contains(id))
            .map(|(id, i)| (id, *i))
            .collect();
        for (id, i) in moved {
            self.sparse.remove(id);
            self.dense[id as usize] = i;
        }
    }
    pub(crate) fn remove(&mut self, id: u128) -> Option<u32> {
        let old = if id < self.dense_range() {
            let slot = self.dense.get_mut(id as usize)?;
            let old = std::mem::replace(slot, NO_ACCOUNT);
            (old != NO_ACCOUNT).then_some(old)
        } else {
            self.sparse.remove(id)
        };
        self.count -= usize::from(old.is_some());
        old
    }
}

impl AccountIndex {
    /// [`AccountIndex::get`] through a batch's memo of recent hash-index hits: a batch of
    /// postings comes back to the same few platform accounts (receivable, fee revenue,
    /// scheme cost) in every chain, and to the merchant's accounts within a chain. The flag
    /// tells whether the memo answered.
    #[inline]
    pub(crate) fn get_recent(&self, id: u128, recent: &mut RecentAccounts) -> Option<(u32, bool)> {
        if id < self.dense_range() {
            let i = self.dense.get(id as usize).copied()?;
            return (i != NO_ACCOUNT).then_some((i, false));
        }
        let slot = &mut recent.slots[RecentAccounts::slot(id)];
        if slot.0 == id {
            return Some((slot.1, true));
        }
        let i = *self.sparse.get(id)?;
        *slot = (id, i);
        Some((i, false))
    }
}

/// A direct-mapped memo of account-index hits for ids beyond the dense range, kept for one
/// batch (accounts are neither created nor removed during a batch of transfers, so an entry
/// cannot go stale). Id 0 marks an empty slot: it is never a sparse id (ids below 64 are
/// always dense).
#[derive(Debug)]
pub(crate) struct RecentAccounts {
    slots: [(u128, u32); RecentAccounts::SLOTS],
}

impl RecentAccounts {
    const SLOTS: usize = 64;

    pub(crate) fn new() -> Self {
        Self {
            slots: [(0, 0); Self::SLOTS],
        }
    }

    #[inline]
    fn slot(id: u128) -> usize {
        let x = (id as u64) ^ ((id >> 64) as u64).rotate_left(23);
        (x.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 58) as usize
    }
}

impl std::ops::Index<u128> for AccountIndex {
    type Output = u32;
    #[inline]
    fn index(&self, id: u128) -> &u32 {
        self.get(id).expect("account id in index")
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
    fn account_index_dense_and_sparse_ids() {
        let mut ix = AccountIndex::default();
        let big = DENSE_ID_LIMIT + 5;
        let ids = [
            1u128,
            0,
            63,
            64,
            1000,
            DENSE_ID_LIMIT - 1,
            big,
            (9 << 64) | 1,
        ];
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(ix.get(*id), None);
            assert_eq!(ix.insert(*id, n as u32), None);
        }
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(ix.get(*id), Some(&(n as u32)), "id {id}");
            assert_eq!(ix[*id], n as u32);
        }
        // Neighbours of stored ids, inside and beyond the dense vector, are absent.
        for id in [
            2u128,
            65,
            999,
            1001,
            DENSE_ID_LIMIT - 2,
            DENSE_ID_LIMIT,
            big + 1,
        ] {
            assert_eq!(ix.get(id), None, "id {id}");
        }
        assert_eq!(ix.insert(1000, 77), Some(4));
        assert_eq!(ix.remove(1000), Some(77));
        assert_eq!(ix.remove(1000), None);
        assert_eq!(ix.get(1000), None);
        assert_eq!(ix.remove(big), Some(6));
        assert_eq!(ix.get(big), None);
        assert_eq!(ix.remove(DENSE_ID_LIMIT - 3), None);
        assert_eq!(ix.get(1), Some(&0));
    }

    #[test]
    fn a_lone_high_id_stays_sparse_and_moves_when_the_vector_reaches_it() {
        let mut ix = AccountIndex::default();
        ix.insert(DENSE_ID_LIMIT - 1, 7);
        ix.insert(1_000, 8);
        assert!(ix.dense.len() <= DENSE_MIN, "{}", ix.dense.len());
        assert_eq!(ix.get(1_000), Some(&8));
        assert_eq!(ix.get(DENSE_ID_LIMIT - 1), Some(&7));
        // Sequential ids grow the vector; the sparse 1,000 moves into it on the way.
        for id in 0..2_000u128 {
            if id != 1_000 {
                assert_eq!(ix.insert(id, id as u32 + 100), None, "id {id}");
            }
        }
        assert!(ix.dense.len() >= 2_000 && ix.dense.len() <= 4_096);
        assert!(ix.sparse.get(1_000).is_none());
        assert_eq!(ix.get(1_000), Some(&8));
        assert_eq!(ix.count, 2_001);
        for id in 0..2_000u128 {
            let want = if id == 1_000 { 8 } else { id as u32 + 100 };
            assert_eq!(ix.get(id), Some(&want), "id {id}");
        }
        assert_eq!(ix.get(DENSE_ID_LIMIT - 1), Some(&7));
        assert_eq!(ix.remove(DENSE_ID_LIMIT - 1), Some(7));
        assert_eq!(ix.count, 2_000);
        assert_eq!(ix.get(2_000), None);
        assert_eq!(ix.get(DENSE_ID_LIMIT - 1), None);
        let mut recent = RecentAccounts::new();
        assert_eq!(ix.get_recent(0, &mut recent), Some((100, false)));
        assert_eq!(ix.get_recent(1_000, &mut recent), Some((8, false)));
    }

    #[test]
    fn recent_accounts_memo_agrees_with_the_index() {
        let mut ix = AccountIndex::default();
        let ids: Vec<u128> = (0..500u128)
            .map(|n| (n << 64) | (156 << 32) | ((n % 7) << 16) | 1)
            .chain([3, 70])
            .collect();
        for (n, id) in ids.iter().enumerate() {
            ix.insert(*id, n as u32);
        }
        let mut recent = RecentAccounts::new();
        for round in 0..3 {
            for (n, id) in ids.iter().enumerate().rev() {
                assert_eq!(
                    ix.get_recent(*id, &mut recent).map(|x| x.0),
                    Some(n as u32),
                    "{round}"
                );
                assert_eq!(
                    ix.get_recent(*id, &mut recent).map(|x| x.0),
                    Some(n as u32),
                    "{round}"
                );
                assert_eq!(ix.get_recent(id | (1 << 40), &mut recent), None);
            }
        }
        assert_eq!(ix.get_recent(0, &mut recent), None);
        assert_eq!(ix.get_recent(4, &mut recent), None);
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
        assert_eq!(ix.insert(7 * 0x1_0000_0001, 70), Some(7));
        assert_eq!(ix.remove(7 * 0x1_0000_0001), Some(70));
        assert!(!ix.contains_key(7 * 0x1_0000_0001));
        assert_eq!(ix.iter().count(), 999);
    }

    fn log(ids: impl IntoIterator<Item = u128>) -> Vec<Transfer> {
        ids.into_iter()
            .map(|id| Transfer {
                id,
                ..Transfer::default()
            })
            .collect()
    }

    #[test]
    fn transfer_index_finds_what_the_log_holds() {
        // Sequential ids, the chart's `event << 64 | kind << 8 | leg` ids, and ids whose
        // checks collide (equal low 32 hash bits) must all be told apart by the log.
        let mut ids: Vec<u128> = (1..=5_000u128).collect();
        ids.extend(
            (1..=2_000u128).flat_map(|e| (1..=4).map(move |leg| (e << 64) | (1 << 8) | leg)),
        );
        let pairs = colliding_pairs(8);
        for (a, b) in &pairs {
            ids.push(*a);
            ids.push(*b);
        }
        let mut ix = TransferIndex::default();
        let mut stored = Vec::new();
        for (n, id) in ids.iter().enumerate() {
            // Entered one past the log's end, as `create_transfer` does, then stored.
            assert_eq!(ix.get(*id, &stored), None, "id {id:#x}");
            assert_eq!(ix.try_insert(*id, n as u32, &stored), Ok(()));
            assert_eq!(ix.get(*id, &stored), None, "not yet stored");
            stored.extend(log([*id]));
            assert_eq!(ix.try_insert(*id, 99, &stored), Err(n as u32));
        }
        assert_eq!(ix.len(), ids.len());
        for (n, id) in ids.iter().enumerate() {
            assert_eq!(ix.get(*id, &stored), Some(n as u32), "id {id:#x}");
            assert_eq!(ix.get(id ^ (1 << 90), &stored), None);
        }
        // Removal goes by id and position: the colliding partner stays.
        let (a, b) = pairs[0];
        let at = |id: u128| ids.iter().position(|x| *x == id).unwrap() as u32;
        assert!(!ix.remove(a, u32::MAX - 1));
        assert!(ix.remove(a, at(a)));
        assert!(!ix.remove(a, at(a)));
        assert_eq!(ix.get(a, &stored), None);
        assert_eq!(ix.get(b, &stored), Some(at(b)));
        // An entry whose transfer left the log (a rolled-back chain) is removable.
        let last = *ids.last().unwrap();
        stored.pop();
        assert_eq!(ix.get(last, &stored), None);
        assert!(ix.remove(last, (ids.len() - 1) as u32));
        assert_eq!(ix.len(), ids.len() - 2);
    }

    #[test]
    fn transfer_entries_of_one_block_share_a_group_with_distinct_tags() {
        assert_eq!(std::mem::size_of::<TransferEntry>(), 8);
        for base in [0u128, 16 * 12_345, (99 << 64) | 0x40] {
            let hashes: Vec<u64> = (0..16)
                .map(|j| TransferEntry::hash(transfer_check(base + j)))
                .collect();
            let mut groups: Vec<u64> = hashes.iter().map(|h| (h & 0xFFFF_FFFF) >> 4).collect();
            groups.dedup();
            assert_eq!(groups.len(), 1, "base {base:#x}");
            let mut tags: Vec<u64> = hashes.iter().map(|x| x >> 57).collect();
            tags.sort_unstable();
            tags.dedup();
            assert_eq!(tags.len(), 16, "tags of block {base:#x}");
        }
    }

    /// `n` pairs of distinct ids with equal checks (equal low 32 hash bits), from spread
    /// ids (birthday bound: ~40 pairs expected among the first 600k, ~460 among 2M).
    fn colliding_pairs(n: usize) -> Vec<(u128, u128)> {
        let mut seen = std::collections::HashMap::<u32, u128>::new();
        let mut pairs = Vec::new();
        for k in 1..2_000_000u128 {
            let id = k.wrapping_mul(0x9E37_79B9_7F4A_7C15_F39C_C060_5CED_C835) | 1 << 127;
            if let Some(other) = seen.insert(transfer_check(id), id) {
                pairs.push((other, id));
                if pairs.len() == n {
                    break;
                }
            }
        }
        assert_eq!(pairs.len(), n);
        pairs
    }

    #[test]
    fn a_ledger_tells_ids_with_equal_checks_apart_through_chains_and_rollbacks() {
        use crate::ledger::{
            Account, CreateTransferResult as R, Ledger, PendingStatus, Transfer, TransferFlags,
        };
        let mut l = Ledger::new();
        let accounts: Vec<Account> = (1..=2u128)
            .map(|id| Account {
                id,
                ledger: 1,
                code: 1,
                ..Account::default()
            })
            .collect();
        l.create_accounts(&accounts, 1);
        let t = |id: u128, amount: u128, flags: TransferFlags| Transfer {
            id,
            debit_account_id: 1,
            credit_account_id: 2,
            amount,
            ledger: 1,
            code: 1,
            flags,
            ..Transfer::default()
        };
        let pairs = colliding_pairs(3);
        let (a, b) = pairs[0];
        // `a` is stored; `b` (same check) heads a chain that fails at its second event and
        // is rolled back: `b` must leave the index, `a` must stay.
        assert_eq!(
            l.create_transfers(&[t(a, 5, TransferFlags::PENDING)], 10),
            [R::Created]
        );
        let chain = [
            t(b, 7, TransferFlags::LINKED),
            t(pairs[1].0, 0, TransferFlags::NONE),
        ];
        assert_eq!(
            l.create_transfers(&chain, 20),
            [R::LinkedEventFailed, R::AmountMustNotBeZero]
        );
        assert_eq!(l.transfer(a).map(|x| x.amount), Some(5));
        assert_eq!(l.transfer(b), None);
        assert_eq!(l.pending_status(a), Some(PendingStatus::Pending));
        // Now `b` goes in for real, then both of the second pair, and a retry of each.
        let batch = [
            t(b, 7, TransferFlags::NONE),
            t(pairs[1].0, 1, TransferFlags::NONE),
            t(pairs[1].1, 2, TransferFlags::PENDING),
        ];
        assert_eq!(l.create_transfers(&batch, 30), [R::Created; 3]);
        assert_eq!(l.create_transfers(&batch, 40), [R::Exists; 3]);
        assert_eq!(
            l.create_transfers(&[t(pairs[1].1, 3, TransferFlags::PENDING)], 50),
            [R::ExistsWithDifferentAmount]
        );
        // Post `a` and void the colliding pending transfer: each status lands on its own id.
        let post = Transfer {
            id: pairs[2].0,
            pending_id: a,
            amount: crate::ledger::AMOUNT_MAX,
            flags: TransferFlags::POST_PENDING_TRANSFER,
            ..Transfer::default()
        };
        let void = Transfer {
            id: pairs[2].1,
            pending_id: pairs[1].1,
            flags: TransferFlags::VOID_PENDING_TRANSFER,
            ..Transfer::default()
        };
        assert_eq!(l.create_transfers(&[post, void], 60), [R::Created; 2]);
        assert_eq!(l.pending_status(a), Some(PendingStatus::Posted));
        assert_eq!(l.pending_status(pairs[1].1), Some(PendingStatus::Voided));
        assert_eq!(l.pending_status(b), Some(PendingStatus::None));
        for (id, amount) in [
            (a, 5),
            (b, 7),
            (pairs[1].0, 1),
            (pairs[1].1, 2),
            (pairs[2].0, 5),
        ] {
            assert_eq!(l.transfer(id).map(|x| x.amount), Some(amount), "{id:#x}");
        }
        l.check_invariants().unwrap();
        let restored = Ledger::restore(l.snapshot()).unwrap();
        assert_eq!(restored.digest(), l.digest());
        assert_eq!(
            restored.pending_status(pairs[1].1),
            Some(PendingStatus::Voided)
        );
    }
}
