//! CRC-16/CCITT-FALSE (a.k.a. CRC-16/IBM-3740, CRC-16/AUTOSAR): poly 0x1021, init 0xFFFF,
//! no reflection, no final XOR. Check value for `"123456789"` is `0x29B1`.

/// `TABLES[k][b]`: the CRC contribution of byte `b` followed by `k` zero bytes
/// ("slicing-by-16": sixteen bytes per step instead of one). Only the first two bytes of a
/// step depend on the running CRC, so the other fourteen lookups run in parallel and the
/// dependency chain is one lookup per 16 bytes; the 8 KiB of tables stay in L1.
const TABLES: [[u16; 256]; 16] = {
    let mut t = [[0u16; 256]; 16];
    let mut i = 0;
    while i < 256 {
        let mut crc = (i as u16) << 8;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 0x8000 != 0 {
                (crc << 1) ^ 0x1021
            } else {
                crc << 1
            };
            bit += 1;
        }
        t[0][i] = crc;
        i += 1;
    }
    let mut k = 1;
    while k < 16 {
        let mut i = 0;
        while i < 256 {
            let prev = t[k - 1][i];
            t[k][i] = (prev << 8) ^ t[0][(prev >> 8) as usize];
            i += 1;
        }
        k += 1;
    }
    t
};

/// CRC-16/CCITT-FALSE of `bytes`, as used by EMVCo QR (ID `63`).
pub fn crc16_ccitt_false(bytes: &[u8]) -> u16 {
    let t = &TABLES;
    let mut crc: u16 = 0xFFFF;
    let mut chunks = bytes.chunks_exact(16);
    for c in &mut chunks {
        let b0 = c[0] ^ (crc >> 8) as u8;
        let b1 = c[1] ^ crc as u8;
        // The fourteen crc-independent lookups, XORed pairwise to keep the tree shallow.
        let rest = (t[13][c[2] as usize] ^ t[12][c[3] as usize])
            ^ (t[11][c[4] as usize] ^ t[10][c[5] as usize])
            ^ (t[9][c[6] as usize] ^ t[8][c[7] as usize])
            ^ (t[7][c[8] as usize] ^ t[6][c[9] as usize])
            ^ (t[5][c[10] as usize] ^ t[4][c[11] as usize])
            ^ (t[3][c[12] as usize] ^ t[2][c[13] as usize])
            ^ (t[1][c[14] as usize] ^ t[0][c[15] as usize]);
        crc = t[15][b0 as usize] ^ t[14][b1 as usize] ^ rest;
    }
    chunks.remainder().iter().fold(crc, |crc, &b| {
        (crc << 8) ^ t[0][((crc >> 8) as u8 ^ b) as usize]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_value() {
        assert_eq!(crc16_ccitt_false(b"123456789"), 0x29B1);
        assert_eq!(crc16_ccitt_false(b""), 0xFFFF);
    }

    /// Bit-by-bit reference implementation of the same CRC.
    fn bitwise(bytes: &[u8]) -> u16 {
        let mut crc = 0xFFFFu16;
        for &b in bytes {
            crc ^= (b as u16) << 8;
            for _ in 0..8 {
                crc = if crc & 0x8000 != 0 {
                    (crc << 1) ^ 0x1021
                } else {
                    crc << 1
                };
            }
        }
        crc
    }

    #[test]
    fn sliced_matches_bitwise() {
        let data: Vec<u8> = (0..300u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for len in 0..data.len() {
            assert_eq!(
                crc16_ccitt_false(&data[..len]),
                bitwise(&data[..len]),
                "{len}"
            );
        }
    }
}
