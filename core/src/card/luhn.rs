//! The Luhn (mod 10) check of ISO/IEC 7812-1 Annex B.

/// True when `digits` is all ASCII digits, non-empty, and passes the Luhn check.
pub fn luhn_valid(digits: &str) -> bool {
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && luhn_sum(digits.bytes().rev(), false).is_multiple_of(10)
}

/// The check digit to append to `partial` so that the result passes Luhn, or `None` if
/// `partial` is empty or not all digits.
pub fn luhn_check_digit(partial: &str) -> Option<u8> {
    if partial.is_empty() || !partial.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum = luhn_sum(partial.bytes().rev(), true);
    Some(((10 - sum % 10) % 10) as u8)
}

/// Sums digits from the right, doubling every second one (starting with the first when
/// `double_first`, i.e. when the check digit is not yet present).
fn luhn_sum(rev_digits: impl Iterator<Item = u8>, double_first: bool) -> u32 {
    rev_digits
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if (i % 2 == 0) == double_first {
                let dd = d * 2;
                if dd > 9 { dd - 9 } else { dd }
            } else {
                d
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reference_vectors() {
        for ok in [
            "79927398713",
            "4111111111111111",
            "4012345678909",
            "6263600100713672",
            "6230606601007726888",
            "6224242900000113",
            "5413330089020011",
        ] {
            assert!(luhn_valid(ok), "{ok}");
            let (body, check) = ok.split_at(ok.len() - 1);
            assert_eq!(luhn_check_digit(body), Some(check.as_bytes()[0] - b'0'));
        }
        for bad in [
            "5555555551234567",
            "1234567890123458",
            "",
            "4111x11111111111",
        ] {
            assert!(!luhn_valid(bad), "{bad}");
        }
        assert_eq!(luhn_check_digit("123456789012345"), Some(2));
    }
}
