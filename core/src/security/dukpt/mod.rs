//! Derived Unique Key Per Transaction (ANSI X9.24-1 TDES and X9.24-3 AES).
//!
//! Both variants derive a fresh key for every transaction from a base derivation key (BDK,
//! host side) or from a set of future-key registers that the terminal advances after each
//! use, so that a key compromised in a terminal reveals neither past keys nor the BDK.

pub mod aes;
pub mod tdes;

/// The terminal's future-key registers, shared by both DUKPT variants.
///
/// Register `b` holds the key for the counter value obtained by setting bit `b` in the current
/// counter. After each transaction the terminal fills the registers below the lowest set bit
/// of the counter (derived from the key just used) and wipes the used one, exactly the
/// "New Key" procedure of X9.24-1 A.2 and X9.24-3 6.x.
#[derive(Clone, zeroize::Zeroize, zeroize::ZeroizeOnDrop)]
pub(crate) struct FutureKeys<const N: usize> {
    keys: [[u8; 32]; N],
    #[zeroize(skip)]
    valid: u64,
    #[zeroize(skip)]
    counter: u64,
    #[zeroize(skip)]
    max_ones: u32,
}

impl<const N: usize> FutureKeys<N> {
    /// Fills every register from the initial key (counter 0) and sets the counter to 1.
    pub(crate) fn load(
        initial: &[u8],
        max_ones: u32,
        derive: impl Fn(&[u8], u64) -> [u8; 32],
    ) -> Self {
        let mut fk = FutureKeys {
            keys: [[0u8; 32]; N],
            valid: 0,
            counter: 0,
            max_ones,
        };
        for b in (0..N).rev() {
            fk.keys[b] = derive(initial, 1u64 << b);
            fk.valid |= 1u64 << b;
        }
        fk.counter = 1;
        fk
    }

    /// The counter of the next transaction.
    pub(crate) fn counter(&self) -> u64 {
        self.counter
    }

    /// Returns the current counter and its key, then advances the registers. `None` when the
    /// counter space is exhausted.
    pub(crate) fn next(
        &mut self,
        derive: impl Fn(&[u8], u64) -> [u8; 32],
    ) -> Option<(u64, [u8; 32])> {
        let c = self.counter;
        if c == 0 || c >> N != 0 {
            return None;
        }
        let idx = c.trailing_zeros() as usize;
        if self.valid & (1u64 << idx) == 0 {
            return None;
        }
        let key = self.keys[idx];
        if c.count_ones() < self.max_ones {
            for b in (0..idx).rev() {
                self.keys[b] = derive(&key, c | (1u64 << b));
                self.valid |= 1u64 << b;
            }
            self.counter = c + 1;
        } else {
            self.counter = c + (1u64 << idx);
        }
        zeroize::Zeroize::zeroize(&mut self.keys[idx]);
        self.valid &= !(1u64 << idx);
        Some((c, key))
    }
}
