//! The main demo: one merchant's small day of card sales, priced and split exactly.
//!
//! It reads card data the way a terminal sees it (track 2), checks and masks the PAN, parses
//! the amounts exactly, charges a 0.6 % merchant discount rate rounded half-up per sale
//! (四舍五入), and splits the day's fee between acquirer and two agent levels so the parts
//! add back to the fee to the fen. Later issues grow it into the full acquiring day.

use paycore::card::{Brand, MaskStyle, Track2};
use paycore::money::{Currency, Money, MoneyError, Rounding};
use rust_decimal::Decimal;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cny = Currency::CNY;
    let mdr: Decimal = "0.006".parse()?;
    let sales = [
        ("6228480012345676782=29122011234567", "123.45"),
        ("4111111111111111=27121010000000000", "9.99"),
        ("6230606601007726888D30062201000000F", "10000.00"),
        ("5413330089020011=26092010000000", "0.50"),
    ];
    println!("paycore demo — merchant 898110070110001, terminal 10000001, MDR 0.60 % half-up\n");
    println!(
        "{:<22} {:<10} {:>10} {:>8}",
        "card", "brand", "amount", "fee"
    );
    let mut total = Money::zero(cny);
    let mut fees = Money::zero(cny);
    for (track, amount) in sales {
        let t = Track2::parse(track)?;
        let amount = Money::parse(amount, cny)?;
        let fee = amount.mul_rate(mdr, Rounding::HalfUp)?;
        total = total.checked_add(amount)?;
        fees = fees.checked_add(fee)?;
        let brand = t.pan().brand().map_or("unknown", Brand::name);
        println!(
            "{:<22} {:<10} {:>10} {:>8}{}",
            t.pan().masked(MaskStyle::First6Last4),
            brand,
            amount.to_plain_string(),
            fee.to_plain_string(),
            if t.pan().luhn_valid() {
                ""
            } else {
                "  (Luhn fails)"
            }
        );
    }
    let net = total.checked_sub(fees)?;
    println!("\ntotal {total}   fees {fees}   net to merchant {net}");

    // The fee split: acquirer 60 %, agent level 1 25 %, level 2 15 % — exact to the fen.
    let shares = fees.allocate(&[60, 25, 15])?;
    println!("\nfee split 60/25/15 (largest remainder, parts sum to the fee):");
    for (who, part) in ["acquirer", "agent L1", "agent L2"].iter().zip(&shares) {
        println!("  {who:<9} {part}");
    }
    let check = Money::sum(cny, shares.iter().copied())?;
    assert_eq!(check, fees);

    // What bad input looks like: typed errors that say what and where.
    println!("\nbad input:");
    for bad in ["1.234", "12,00", "1e3", ""] {
        let err: MoneyError = Money::parse(bad, cny).unwrap_err();
        println!("  {bad:>7?} -> {err}");
    }
    if let Err(e) = Track2::parse("62284800123x5676789=2912201") {
        println!("  track 2 -> {e}");
    }
    Ok(())
}
