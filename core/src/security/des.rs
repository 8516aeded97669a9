//! DES and triple DES (TDEA, EDE with two or three keys), written from FIPS 46-3 and
//! NIST SP 800-67.
//!
//! Why our own: the acquirer's hot path MACs every request and response with single DES (the
//! CUP "ECB" MAC), four block operations per sale. The RustCrypto `des` crate computes E and
//! P with bit tricks in every round and applies the S-boxes one at a time: about 2,500
//! instructions per block (callgrind, x86-64). This engine takes about 680, because
//!
//! * the key schedule runs once per key ([`Des::new`], about 1,300 instructions, PC1 and PC2
//!   by nibble tables) and stores each round key already cut into the eight 6-bit pieces the
//!   S-box look-ups need, laid out so that one XOR keys a whole round; [`Key`] keeps it;
//! * each round is eight look-ups in "SP tables" that combine an S-box with the P permutation
//!   ([`SP`]). The tables are computed at compile time by `const fn` from the standard's
//!   S-boxes and P table below, so the source holds the specification, not opaque numbers;
//! * the E expansion is a rotation, a shift and a mask (E only duplicates neighbouring bits),
//!   and the initial and final permutations are five delta swaps each;
//! * triple DES runs IP once and FP once: `IP ∘ FP` between the three passes cancels.
//!
//! What is left per round is E (a rotation and a shift), the key XOR and mask, eight index
//! extractions (shift and mask each) and eight table XORs: about 37 instructions.
//!
//! # Side channels
//!
//! The SP tables are indexed with secret-dependent values (key XOR data), like every table
//! DES, including the RustCrypto `des` crate this module replaced, which indexes its S-box
//! tables the same way. The tables are 2 KiB and stay in L1 on a busy MAC path, and the
//! code has no secret-dependent branches, but a co-resident attacker who can evict and probe
//! cache lines (same core, SMT sibling, shared VM host) could in principle learn key bits
//! from the access pattern. That is accepted for what this engine does: legacy retail MACs
//! and PIN blocks on a terminal or a processor node whose host is trusted, under working keys
//! that sign-on replaces regularly. When the threat model includes hostile
//! co-tenancy, the keys belong in an HSM and the cryptography with them; MAC comparison
//! stays constant-time regardless (see `mac::verify_mac`).
//!
//! Bit numbering follows the standard: bit 1 is the most significant bit of the first byte.
//!
//! [`Key`]: super::Key

use zeroize::{Zeroize, ZeroizeOnDrop};

/// The eight S-boxes of FIPS 46-3, each as its four rows of sixteen columns. The row is
/// selected by the first and last of the six input bits, the column by the middle four.
const S_BOXES: [[u8; 64]; 8] = [
    [
        14, 4, 13, 1, 2, 15, 11, 8, 3, 10, 6, 12, 5, 9, 0, 7, //
        0, 15, 7, 4, 14, 2, 13, 1, 10, 6, 12, 11, 9, 5, 3, 8, //
        4, 1, 14, 8, 13, 6, 2, 11, 15, 12, 9, 7, 3, 10, 5, 0, //
        15, 12, 8, 2, 4, 9, 1, 7, 5, 11, 3, 14, 10, 0, 6, 13,
    ],
    [
        15, 1, 8, 14, 6, 11, 3, 4, 9, 7, 2, 13, 12, 0, 5, 10, //
        3, 13, 4, 7, 15, 2, 8, 14, 12, 0, 1, 10, 6, 9, 11, 5, //
        0, 14, 7, 11, 10, 4, 13, 1, 5, 8, 12, 6, 9, 3, 2, 15, //
        13, 8, 10, 1, 3, 15, 4, 2, 11, 6, 7, 12, 0, 5, 14, 9,
    ],
    [
        10, 0, 9, 14, 6, 3, 15, 5, 1, 13, 12, 7, 11, 4, 2, 8, //
        13, 7, 0, 9, 3, 4, 6, 10, 2, 8, 5, 14, 12, 11, 15, 1, //
        13, 6, 4, 9, 8, 15, 3, 0, 11, 1, 2, 12, 5, 10, 14, 7, //
        1, 10, 13, 0, 6, 9, 8, 7, 4, 15, 14, 3, 11, 5, 2, 12,
    ],
    [
        7, 13, 14, 3, 0, 6, 9, 10, 1, 2, 8, 5, 11, 12, 4, 15, //
        13, 8, 11, 5, 6, 15, 0, 3, 4, 7, 2, 12, 1, 10, 14, 9, //
        10, 6, 9, 0, 12, 11, 7, 13, 15, 1, 3, 14, 5, 2, 8, 4, //
        3, 15, 0, 6, 10, 1, 13, 8, 9, 4, 5, 11, 12, 7, 2, 14,
    ],
    [
        2, 12, 4, 1, 7, 10, 11, 6, 8, 5, 3, 15, 13, 0, 14, 9, //
        14, 11, 2, 12, 4, 7, 13, 1, 5, 0, 15, 10, 3, 9, 8, 6, //
        4, 2, 1, 11, 10, 13, 7, 8, 15, 9, 12, 5, 6, 3, 0, 14, //
        11, 8, 12, 7, 1, 14, 2, 13, 6, 15, 0, 9, 10, 4, 5, 3,
    ],
    [
        12, 1, 10, 15, 9, 2, 6, 8, 0, 13, 3, 4, 14, 7, 5, 11, //
        10, 15, 4, 2, 7, 12, 9, 5, 6, 1, 13, 14, 0, 11, 3, 8, //
        9, 14, 15, 5, 2, 8, 12, 3, 7, 0, 4, 10, 1, 13, 11, 6, //
        4, 3, 2, 12, 9, 5, 15, 10, 11, 14, 1, 7, 6, 0, 8, 13,
    ],
    [
        4, 11, 2, 14, 15, 0, 8, 13, 3, 12, 9, 7, 5, 10, 6, 1, //
        13, 0, 11, 7, 4, 9, 1, 10, 14, 3, 5, 12, 2, 15, 8, 6, //
        1, 4, 11, 13, 12, 3, 7, 14, 10, 15, 6, 8, 0, 5, 9, 2, //
        6, 11, 13, 8, 1, 4, 10, 7, 9, 5, 0, 15, 14, 2, 3, 12,
    ],
    [
        13, 2, 8, 4, 6, 15, 11, 1, 10, 9, 3, 14, 5, 0, 12, 7, //
        1, 15, 13, 8, 10, 3, 7, 4, 12, 5, 6, 11, 0, 14, 9, 2, //
        7, 11, 4, 1, 9, 12, 14, 2, 0, 6, 10, 13, 15, 3, 5, 8, //
        2, 1, 14, 7, 4, 10, 8, 13, 15, 12, 9, 0, 3, 5, 6, 11,
    ],
];

/// The permutation P applied to the S-box outputs: output bit `i` is input bit `P[i - 1]`.
const P: [u8; 32] = [
    16, 7, 20, 21, 29, 12, 28, 17, 1, 15, 23, 26, 5, 18, 31, 10, //
    2, 8, 24, 14, 32, 27, 3, 9, 19, 13, 30, 6, 22, 11, 4, 25,
];

/// Permuted choice 1: the 56 key bits (parity bits dropped) that form C₀ (first 28) and D₀.
const PC1: [u8; 56] = [
    57, 49, 41, 33, 25, 17, 9, 1, 58, 50, 42, 34, 26, 18, //
    10, 2, 59, 51, 43, 35, 27, 19, 11, 3, 60, 52, 44, 36, //
    63, 55, 47, 39, 31, 23, 15, 7, 62, 54, 46, 38, 30, 22, //
    14, 6, 61, 53, 45, 37, 29, 21, 13, 5, 28, 20, 12, 4,
];

/// Permuted choice 2: round key bit `i` is bit `PC2[i - 1]` of Cₙ‖Dₙ.
const PC2: [u8; 48] = [
    14, 17, 11, 24, 1, 5, 3, 28, 15, 6, 21, 10, //
    23, 19, 12, 4, 26, 8, 16, 7, 27, 20, 13, 2, //
    41, 52, 31, 37, 47, 55, 30, 40, 51, 45, 33, 48, //
    44, 49, 39, 56, 34, 53, 46, 42, 50, 36, 29, 32,
];

/// Left rotations of C and D before each of the 16 rounds.
const SHIFTS: [u8; 16] = [1, 1, 2, 2, 2, 2, 2, 2, 1, 2, 2, 2, 2, 2, 2, 1];

/// Which S-box (0-based) reads byte `b` of the round's 64-bit look-up word.
///
/// E hands S-box `j` (1-based) the bits `4j-4 … 4j+1` of R: the windows of the odd S-boxes
/// start 8 bits apart, and so do those of the even ones. Rotating R right by 3 puts the odd
/// windows on byte boundaries (S1 in the top byte … S7 in the bottom one), rotating by 4 more
/// does the same for the even windows (S8, S2, S4, S6 from the top). The round packs the odd
/// word in the low half of a `u64` and the even word in the high half, so a single mask
/// (`0x3F` per byte) and a single XOR with the round key produce all eight indices.
const SBOX_OF_BYTE: [usize; 8] = [6, 4, 2, 0, 5, 3, 1, 7];

/// How far the round function keeps each half rotated right from the standard's layout, so
/// that the odd S-box windows are byte-aligned (see [`SBOX_OF_BYTE`]).
const ROT: u32 = 3;

/// `P` applied to a 32-bit value whose standard bit `i` is bit `32 - i`.
const fn permute_p(x: u32) -> u32 {
    let mut out = 0;
    let mut i = 0;
    while i < 32 {
        let bit = (x >> (32 - P[i] as u32)) & 1;
        out |= bit << (31 - i);
        i += 1;
    }
    out
}

/// The SP table of S-box `s` (0-based): for each 6-bit input, the S-box output moved to its
/// place in the 32-bit f output, permuted by P, and rotated like the round keeps R.
const fn sp_table(s: usize) -> [u32; 64] {
    let mut table = [0u32; 64];
    let mut v = 0;
    while v < 64 {
        let row = ((v >> 4) & 2) | (v & 1);
        let col = (v >> 1) & 0xF;
        let out = S_BOXES[s][row * 16 + col] as u32;
        // S-box s (0-based) fills bits 4s+1 … 4s+4 of the P input.
        table[v] = permute_p(out << (28 - 4 * s)).rotate_right(ROT);
        v += 1;
    }
    table
}

const fn sp_tables() -> [[u32; 64]; 8] {
    let mut t = [[0u32; 64]; 8];
    let mut b = 0;
    while b < 8 {
        t[b] = sp_table(SBOX_OF_BYTE[b]);
        b += 1;
    }
    t
}

/// The combined S-box + P tables, in look-up-word byte order ([`SBOX_OF_BYTE`]): 8 × 64
/// words, 2 KiB.
static SP: [[u32; 64]; 8] = sp_tables();

/// Where round-key bit `i` (1-based, `1..=48`) sits in the 64-bit round key word: S-box `j`'s
/// six bits fill the low six bits of the byte that S-box reads, first bit highest.
const fn round_key_bit_position(i: usize) -> u32 {
    let sbox = (i - 1) / 6;
    let bit = (i - 1) % 6; // 0 = first (most significant) of the six
    let mut byte = 0;
    while SBOX_OF_BYTE[byte] != sbox {
        byte += 1;
    }
    (byte * 8 + 5 - bit) as u32
}

/// PC2 as look-up tables: `PC2_C[n][v]` is the round-key word made of the bits that
/// nibble `n` (bits `4n … 4n+3`) of C contributes when it holds `v`; same for D.
/// C and D are 28-bit values whose standard bit `k` is bit `28 - k`.
const fn pc2_tables(from_d: bool) -> [[u64; 16]; 7] {
    let mut t = [[0u64; 16]; 7];
    let mut i = 1;
    while i <= 48 {
        let src = PC2[i - 1] as usize; // 1..=56 over C‖D
        let in_d = src > 28;
        if in_d == from_d {
            let k = if in_d { src - 28 } else { src };
            let pos = 28 - k; // bit of the 28-bit half
            let (nibble, bit) = (pos / 4, pos % 4);
            let dest = 1u64 << round_key_bit_position(i);
            let mut v = 0;
            while v < 16 {
                if (v >> bit) & 1 == 1 {
                    t[nibble][v] |= dest;
                }
                v += 1;
            }
        }
        i += 1;
    }
    t
}

/// PC1 as look-up tables: `PC1_NIBBLES[n][v]` is C₀‖D₀ (C₀ in bits 55…28, standard bit 1
/// on top) made of the bits that nibble `n` (bits `4n … 4n+3`) of the big-endian key
/// contributes when it holds `v`.
const fn pc1_tables() -> [[u64; 16]; 16] {
    let mut t = [[0u64; 16]; 16];
    let mut i = 0;
    while i < 56 {
        let pos = 64 - PC1[i] as usize; // bit of the key word
        let (nibble, bit) = (pos / 4, pos % 4);
        let dest = 1u64 << (55 - i);
        let mut v = 0;
        while v < 16 {
            if (v >> bit) & 1 == 1 {
                t[nibble][v] |= dest;
            }
            v += 1;
        }
        i += 1;
    }
    t
}

static PC1_NIBBLES: [[u64; 16]; 16] = pc1_tables();

static PC2_C: [[u64; 16]; 7] = pc2_tables(false);
static PC2_D: [[u64; 16]; 7] = pc2_tables(true);

const MASK_28: u32 = 0x0FFF_FFFF;

/// The 16 round keys of one single-DES key, in the layout [`f`] consumes.
///
/// Key material: wiped on drop, deliberately without `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) struct Des {
    round_keys: [u64; 16],
}

impl Des {
    /// Runs the key schedule (PC1, the rotations, PC2) for an 8-byte key; parity bits are
    /// ignored as the standard says.
    pub(crate) fn new(key: &[u8; 8]) -> Des {
        #[cfg(test)]
        tests::count_key_schedule();
        let mut k = u64::from_be_bytes(*key);
        // PC1 by nibbles: C in the high 28 bits of `cd`, D in the low 28.
        let mut cd = 0u64;
        for (n, table) in PC1_NIBBLES.iter().enumerate() {
            cd |= table[((k >> (4 * n)) & 0xF) as usize];
        }
        let mut c = (cd >> 28) as u32;
        let mut d = (cd as u32) & MASK_28;
        cd.zeroize();
        let mut des = Des {
            round_keys: [0u64; 16],
        };
        for (rk, &s) in des.round_keys.iter_mut().zip(SHIFTS.iter()) {
            let s = u32::from(s);
            c = ((c << s) | (c >> (28 - s))) & MASK_28;
            d = ((d << s) | (d >> (28 - s))) & MASK_28;
            let mut w = 0;
            for n in 0..7 {
                w |= PC2_C[n][((c >> (4 * n)) & 0xF) as usize];
                w |= PC2_D[n][((d >> (4 * n)) & 0xF) as usize];
            }
            *rk = w;
            w.zeroize();
        }
        k.zeroize();
        c.zeroize();
        d.zeroize();
        // Built in place in the value returned (through the caller's return slot), so no
        // second copy of the schedule is left in this frame. Registers and spills cannot
        // be wiped from safe Rust: best effort, like every software key schedule.
        des
    }

    /// Encrypts one block.
    pub(crate) fn encrypt_block(&self, block: &mut [u8; 8]) {
        let (l, r) = initial_permutation(block);
        let (l, r) = self.rounds(l, r, false);
        *block = final_permutation(r, l);
    }

    /// Decrypts one block.
    pub(crate) fn decrypt_block(&self, block: &mut [u8; 8]) {
        let (l, r) = initial_permutation(block);
        let (l, r) = self.rounds(l, r, true);
        *block = final_permutation(r, l);
    }

    /// The 16 rounds on (L₀, R₀), returning (L₁₆, R₁₆); decryption takes the round keys in
    /// reverse order. Two rounds per step, so the halves never need swapping; fully unrolled
    /// (about 6 % fewer instructions than a loop).
    #[inline(always)]
    fn rounds(&self, mut l: u32, mut r: u32, decrypt: bool) -> (u32, u32) {
        let k = &self.round_keys;
        macro_rules! two_rounds {
            ($($i:literal)*) => {$(
                let (a, b) = if decrypt { (15 - $i, 14 - $i) } else { ($i, $i + 1) };
                l ^= f(r, k[a]);
                r ^= f(l, k[b]);
            )*};
        }
        two_rounds!(0 2 4 6 8 10 12 14);
        (l, r)
    }
}

/// The cipher function f(R, K) on a half kept rotated right by [`ROT`]: E (a rotation), the
/// key XOR, a mask that keeps each byte's six index bits, then S-boxes and P through the SP
/// tables. Indexing by bytes of the masked word lets the compiler prove every index is below
/// 64, so there are no bounds checks.
#[inline(always)]
fn f(r: u32, round_key: u64) -> u32 {
    let e = u64::from(r) | (u64::from(r.rotate_right(4)) << 32);
    let w = (e ^ round_key) & 0x3F3F_3F3F_3F3F_3F3F;
    SP[0][w as u8 as usize]
        ^ SP[1][(w >> 8) as u8 as usize]
        ^ SP[2][(w >> 16) as u8 as usize]
        ^ SP[3][(w >> 24) as u8 as usize]
        ^ SP[4][(w >> 32) as u8 as usize]
        ^ SP[5][(w >> 40) as u8 as usize]
        ^ SP[6][(w >> 48) as u8 as usize]
        ^ SP[7][(w >> 56) as u8 as usize]
}

/// Exchanges the bits of `x` selected by `mask` with those `shift` places higher.
#[inline(always)]
fn delta_swap(x: u64, shift: u32, mask: u64) -> u64 {
    let t = ((x >> shift) ^ x) & mask;
    x ^ t ^ (t << shift)
}

/// IP as five exchanges of bit-index bits. Read little-endian, block bit `8b + t` (byte `b`,
/// bit `t` from the top) sits at index `b₂b₁b₀ t̄₂t̄₁t̄₀`; IP sends it to index
/// `t₀ t̄₂ t̄₁ b₂ b₁ b₀` of (L in the low word, R in the high one, each with standard bit 1 on
/// top). That is a cycle over the six index bits, done as the swaps (5,2), (4,1), (3,0)
/// (an 8 × 8 bit transpose) then (5,3) and (4,3).
#[inline(always)]
fn initial_permutation(block: &[u8; 8]) -> (u32, u32) {
    let mut x = u64::from_le_bytes(*block);
    x = delta_swap(x, 28, 0x0000_0000_F0F0_F0F0);
    x = delta_swap(x, 14, 0x0000_CCCC_0000_CCCC);
    x = delta_swap(x, 7, 0x00AA_00AA_00AA_00AA);
    x = delta_swap(x, 24, 0x0000_0000_FF00_FF00);
    x = delta_swap(x, 8, 0x0000_FF00_0000_FF00);
    (
        (x as u32).rotate_right(ROT),
        ((x >> 32) as u32).rotate_right(ROT),
    )
}

/// FP = IP⁻¹ on the pre-output block (left, right) = (R₁₆, L₁₆): the same swaps in reverse.
#[inline(always)]
fn final_permutation(left: u32, right: u32) -> [u8; 8] {
    let mut x = u64::from(left.rotate_left(ROT)) | (u64::from(right.rotate_left(ROT)) << 32);
    x = delta_swap(x, 8, 0x0000_FF00_0000_FF00);
    x = delta_swap(x, 24, 0x0000_0000_FF00_FF00);
    x = delta_swap(x, 7, 0x00AA_00AA_00AA_00AA);
    x = delta_swap(x, 14, 0x0000_CCCC_0000_CCCC);
    x = delta_swap(x, 28, 0x0000_0000_F0F0_F0F0);
    x.to_le_bytes()
}

/// A DES-family key schedule: single DES, or TDEA in EDE mode with two (K1 K2 K1) or three
/// keys (NIST SP 800-67). Key material: wiped on drop, no `Debug`.
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub(crate) enum DesCipher {
    /// Single DES.
    Des(Des),
    /// Two-key TDEA: `E_K1(D_K2(E_K1(x)))`.
    Tdes2(Des, Des),
    /// Three-key TDEA: `E_K3(D_K2(E_K1(x)))`.
    Tdes3(Des, Des, Des),
}

impl DesCipher {
    /// The schedule for an 8-, 16- or 24-byte key; `None` for any other length.
    pub(crate) fn new(key: &[u8]) -> Option<DesCipher> {
        let part = |i: usize| -> Option<Des> {
            let k: &[u8; 8] = key.get(8 * i..8 * i + 8)?.try_into().ok()?;
            Some(Des::new(k))
        };
        Some(match key.len() {
            8 => DesCipher::Des(part(0)?),
            16 => DesCipher::Tdes2(part(0)?, part(1)?),
            24 => DesCipher::Tdes3(part(0)?, part(1)?, part(2)?),
            _ => return None,
        })
    }

    /// Encrypts one block.
    pub(crate) fn encrypt_block(&self, block: &mut [u8; 8]) {
        match self {
            DesCipher::Des(k) => k.encrypt_block(block),
            DesCipher::Tdes2(k1, k2) => ede(k1, k2, k1, block, false),
            DesCipher::Tdes3(k1, k2, k3) => ede(k1, k2, k3, block, false),
        }
    }

    /// Decrypts one block.
    pub(crate) fn decrypt_block(&self, block: &mut [u8; 8]) {
        match self {
            DesCipher::Des(k) => k.decrypt_block(block),
            DesCipher::Tdes2(k1, k2) => ede(k1, k2, k1, block, true),
            DesCipher::Tdes3(k1, k2, k3) => ede(k1, k2, k3, block, true),
        }
    }
}

/// TDEA: encryption is `E_K3 ∘ D_K2 ∘ E_K1`, decryption `D_K1 ∘ E_K2 ∘ D_K3`. The FP at the
/// end of one pass and the IP at the start of the next cancel, leaving the halves swapped.
#[inline(always)]
fn ede(k1: &Des, k2: &Des, k3: &Des, block: &mut [u8; 8], decrypt: bool) {
    let (first, last) = if decrypt { (k3, k1) } else { (k1, k3) };
    let (l, r) = initial_permutation(block);
    let (l, r) = first.rounds(l, r, decrypt);
    let (r, l) = k2.rounds(r, l, !decrypt);
    let (l, r) = last.rounds(l, r, decrypt);
    *block = final_permutation(r, l);
}

#[cfg(test)]
pub(crate) mod tests {
    use std::cell::Cell;

    use super::*;

    thread_local! {
        static KEY_SCHEDULES: Cell<usize> = const { Cell::new(0) };
    }

    pub(super) fn count_key_schedule() {
        KEY_SCHEDULES.with(|c| c.set(c.get() + 1));
    }

    /// Key schedules run on this thread so far (tests only).
    pub(crate) fn key_schedules() -> usize {
        KEY_SCHEDULES.with(Cell::get)
    }

    /// Standard bit `i` (1-based) of a big-endian 64-bit block.
    fn bit64(x: u64, i: u8) -> u64 {
        (x >> (64 - u32::from(i))) & 1
    }

    /// The initial permutation table of FIPS 46-3, for checking the delta swaps.
    const IP: [u8; 64] = [
        58, 50, 42, 34, 26, 18, 10, 2, 60, 52, 44, 36, 28, 20, 12, 4, //
        62, 54, 46, 38, 30, 22, 14, 6, 64, 56, 48, 40, 32, 24, 16, 8, //
        57, 49, 41, 33, 25, 17, 9, 1, 59, 51, 43, 35, 27, 19, 11, 3, //
        61, 53, 45, 37, 29, 21, 13, 5, 63, 55, 47, 39, 31, 23, 15, 7,
    ];

    /// E, the expansion of R to 48 bits.
    const E: [u8; 48] = [
        32, 1, 2, 3, 4, 5, 4, 5, 6, 7, 8, 9, 8, 9, 10, 11, 12, 13, 12, 13, 14, 15, 16, 17, //
        16, 17, 18, 19, 20, 21, 20, 21, 22, 23, 24, 25, 24, 25, 26, 27, 28, 29, 28, 29, 30, 31, 32,
        1,
    ];

    fn table_ip(x: u64) -> u64 {
        IP.iter().fold(0, |acc, &src| (acc << 1) | bit64(x, src))
    }

    /// A slow, table-by-table DES straight from the standard's description.
    fn reference_des(key: u64, block: u64, decrypt: bool) -> u64 {
        let cd = PC1.iter().fold(0u64, |acc, &s| (acc << 1) | bit64(key, s));
        let (mut c, mut d) = ((cd >> 28) as u32, (cd as u32) & MASK_28);
        let mut subkeys = [0u64; 16];
        for (sk, &s) in subkeys.iter_mut().zip(SHIFTS.iter()) {
            for _ in 0..s {
                c = ((c << 1) | (c >> 27)) & MASK_28;
                d = ((d << 1) | (d >> 27)) & MASK_28;
            }
            let cd = (u64::from(c) << 28) | u64::from(d);
            *sk = PC2
                .iter()
                .fold(0, |acc, &s| (acc << 1) | ((cd >> (56 - u32::from(s))) & 1));
        }
        if decrypt {
            subkeys.reverse();
        }
        let ip = table_ip(block);
        let (mut l, mut r) = ((ip >> 32) as u32, ip as u32);
        for k in subkeys {
            let e = E
                .iter()
                .fold(0u64, |acc, &s| (acc << 1) | u64::from((r >> (32 - s)) & 1));
            let x = e ^ k;
            let mut s_out = 0u32;
            for (j, sbox) in S_BOXES.iter().enumerate() {
                let v = ((x >> (42 - 6 * j)) & 0x3F) as usize;
                let row = ((v >> 4) & 2) | (v & 1);
                s_out = (s_out << 4) | u32::from(sbox[row * 16 + ((v >> 1) & 0xF)]);
            }
            let f = P
                .iter()
                .fold(0u32, |acc, &s| (acc << 1) | ((s_out >> (32 - s)) & 1));
            (l, r) = (r, l ^ f);
        }
        let pre = (u64::from(r) << 32) | u64::from(l);
        // FP = IP⁻¹: output bit IP[i] is input bit i.
        let mut out = 0u64;
        for (i, &dst) in IP.iter().enumerate() {
            out |= bit64(pre, i as u8 + 1) << (64 - u32::from(dst));
        }
        out
    }

    fn lcg(state: &mut u64) -> u64 {
        *state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        *state ^ (*state >> 29)
    }

    #[test]
    fn delta_swaps_are_the_standard_ip_and_fp() {
        let mut seed = 7;
        let mut inputs: Vec<u64> = (0..64).map(|i| 1u64 << i).collect();
        inputs.extend((0..64).map(|_| lcg(&mut seed)));
        for x in inputs {
            let (l, r) = initial_permutation(&x.to_be_bytes());
            let got = (u64::from(l.rotate_left(ROT)) << 32) | u64::from(r.rotate_left(ROT));
            assert_eq!(got, table_ip(x), "IP of {x:016X}");
            // FP takes (R16, L16); feeding it IP's halves swapped back must return x.
            assert_eq!(
                u64::from_be_bytes(final_permutation(l, r)),
                x,
                "FP(IP({x:016X}))"
            );
        }
    }

    #[test]
    fn sp_tables_are_sbox_then_p() {
        for (b, table) in SP.iter().enumerate() {
            let s = SBOX_OF_BYTE[b];
            for (v, &entry) in table.iter().enumerate() {
                let row = ((v >> 4) & 2) | (v & 1);
                let out = u32::from(S_BOXES[s][row * 16 + ((v >> 1) & 0xF)]);
                let pre = out << (28 - 4 * s);
                // Undo the rotation, then check each output bit against P directly.
                let entry = entry.rotate_left(ROT);
                for (i, &src) in P.iter().enumerate() {
                    assert_eq!(
                        (entry >> (31 - i)) & 1,
                        (pre >> (32 - u32::from(src))) & 1,
                        "S{} input {v} output bit {}",
                        s + 1,
                        i + 1
                    );
                }
            }
        }
    }

    #[test]
    fn every_sbox_row_is_a_permutation_of_0_to_15() {
        for (s, sbox) in S_BOXES.iter().enumerate() {
            for row in sbox.chunks(16) {
                let mut seen = 0u16;
                for &v in row {
                    seen |= 1 << v;
                }
                assert_eq!(seen, 0xFFFF, "S{}", s + 1);
            }
        }
    }

    #[test]
    fn fast_des_matches_the_reference_des() {
        let mut seed = 42;
        for _ in 0..200 {
            let (key, block) = (lcg(&mut seed), lcg(&mut seed));
            let des = Des::new(&key.to_be_bytes());
            let mut b = block.to_be_bytes();
            des.encrypt_block(&mut b);
            assert_eq!(u64::from_be_bytes(b), reference_des(key, block, false));
            let mut b = block.to_be_bytes();
            des.decrypt_block(&mut b);
            assert_eq!(u64::from_be_bytes(b), reference_des(key, block, true));
        }
    }

    #[test]
    fn reference_des_knows_the_fips_example() {
        // "Now is t" under 0123456789ABCDEF.
        assert_eq!(
            reference_des(0x0123456789ABCDEF, 0x4E6F772069732074, false),
            0x3FA40E8A984D4815
        );
    }

    #[test]
    fn tdes_is_three_des_passes() {
        let mut seed = 9;
        for _ in 0..50 {
            let keys = [lcg(&mut seed), lcg(&mut seed), lcg(&mut seed)];
            let block = lcg(&mut seed).to_be_bytes();
            let d: Vec<Des> = keys.iter().map(|k| Des::new(&k.to_be_bytes())).collect();
            let mut three = [0u8; 24];
            for (i, k) in keys.iter().enumerate() {
                three[8 * i..8 * i + 8].copy_from_slice(&k.to_be_bytes());
            }
            for (cipher, k3) in [
                (DesCipher::new(&three[..16]).unwrap(), &d[0]),
                (DesCipher::new(&three).unwrap(), &d[2]),
            ] {
                let mut expect = block;
                d[0].encrypt_block(&mut expect);
                d[1].decrypt_block(&mut expect);
                k3.encrypt_block(&mut expect);
                let mut got = block;
                cipher.encrypt_block(&mut got);
                assert_eq!(got, expect);
                cipher.decrypt_block(&mut got);
                assert_eq!(got, block);
            }
        }
    }

    #[test]
    fn only_8_16_and_24_byte_keys_have_a_schedule() {
        for len in [0, 7, 9, 15, 17, 23, 25, 32] {
            assert!(DesCipher::new(&vec![0x11; len]).is_none(), "{len}");
        }
        assert!(matches!(DesCipher::new(&[1; 8]), Some(DesCipher::Des(_))));
        assert!(matches!(
            DesCipher::new(&[1; 16]),
            Some(DesCipher::Tdes2(..))
        ));
        assert!(matches!(
            DesCipher::new(&[1; 24]),
            Some(DesCipher::Tdes3(..))
        ));
    }

    #[test]
    fn macs_pin_blocks_and_check_values_reuse_the_key_schedule() {
        use crate::security::{
            CupEcbMacEngine, Key, MacAlgorithm, PinBlock, PinBlockFormat, cup_ecb_mac, kcv_legacy,
            verify_mac, x99_mac, x919_mac,
        };
        let des = Key::des(&[0x13, 0x57, 0x9B, 0xDF, 0x02, 0x46, 0x8A, 0xCE]).unwrap();
        let tdes = Key::des(&[0x3C; 16]).unwrap();
        let tdes3 = Key::des(&[0x5A; 24]).unwrap();
        // Schedules are computed on first use, not for keys that are only passed on.
        assert_eq!(key_schedules(), 0);
        let engine = CupEcbMacEngine::new(&des).unwrap();
        assert_eq!(key_schedules(), 1);
        let msg = [0x42u8; 100];
        for round in 0..3 {
            x99_mac(&des, &msg).unwrap();
            x919_mac(&tdes, &msg).unwrap();
            cup_ecb_mac(&des, &msg).unwrap();
            cup_ecb_mac(&tdes3, &msg).unwrap();
            engine.mac(&msg);
            let mac = x919_mac(&tdes, &msg).unwrap();
            verify_mac(MacAlgorithm::X919, &tdes, &msg, &mac).unwrap();
            crate::security::cmac(&tdes, &msg);
            kcv_legacy(&tdes3, 3).unwrap();
            let pb =
                PinBlock::build(PinBlockFormat::Iso0, "1234", Some("4012345678909"), &[]).unwrap();
            let enc = pb.encrypt(&tdes).unwrap();
            PinBlock::decrypt(PinBlockFormat::Iso0, &tdes, &enc, Some("4012345678909")).unwrap();
            tdes.encrypt_ecb(&msg[..16]).unwrap();
            // One schedule per single-DES key, 1 + 2 + 3, all in the first round.
            assert_eq!(
                key_schedules(),
                6,
                "round {round}: a MAC/PIN/KCV path re-keyed"
            );
        }
        // Cloning a key copies its schedule rather than recomputing it.
        let copy = tdes.clone();
        x919_mac(&copy, &msg).unwrap();
        assert_eq!(key_schedules(), 6);
    }

    #[test]
    fn zeroize_wipes_the_round_keys() {
        let mut c = DesCipher::new(&[0x5A; 16]).unwrap();
        c.zeroize();
        let DesCipher::Tdes2(a, b) = &c else {
            panic!("variant changed")
        };
        assert_eq!(a.round_keys, [0; 16]);
        assert_eq!(b.round_keys, [0; 16]);
        // Zero round keys are exactly the schedule of the all-zero key.
        assert_eq!(Des::new(&[0; 8]).round_keys, [0; 16]);
    }
}
