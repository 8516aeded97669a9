//! The acquirer's cost side (interchange++): issuer fee, network fee and brand fee, each a
//! rule list priced by the same engine as the merchant fee.

use super::schedule::{FeeFormula, FeeRule};
use super::{CardType, MerchantType};
use serde::{Deserialize, Serialize};

/// The cost components of a transaction, as rule lists in the pricing currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CostModel {
    /// Issuer service fee (发卡行服务费).
    pub issuer: Vec<FeeRule>,
    /// The acquirer's share of the network service fee (网络服务费).
    pub network: Vec<FeeRule>,
    /// Brand service fee (品牌服务费); empty = none.
    #[serde(default)]
    pub brand: Vec<FeeRule>,
}

fn rule(
    id: &str,
    cards: &[CardType],
    merchants: &[MerchantType],
    rate: &str,
    cap: Option<&str>,
) -> FeeRule {
    let mut r = FeeRule::new(
        id,
        FeeFormula::Percentage {
            rate: rate.parse().expect("literal rate"),
        },
    );
    r.card_types = cards.to_vec();
    r.merchant_types = merchants.to_vec();
    r.cap = cap.map(|c| c.parse().expect("literal cap"));
    r
}

impl CostModel {
    /// The 2016 China swipe-fee reform (NDRC/PBOC, effective 2016-09-06), in CNY: issuer fee
    /// debit 0.35 % capped at 13.00, credit (and quasi-credit) 0.45 % uncapped; network fee
    /// 0.065 % shared 50/50, so the acquirer pays 0.0325 % capped at 3.25; no brand fee.
    /// Prepaid cards are priced like debit (assumption: the notice names only debit and
    /// credit). Waived merchants (non-profit medical, education, welfare) pay no issuer or
    /// network fee.
    pub fn china_2016() -> CostModel {
        use CardType::*;
        use MerchantType::*;
        let paying = [Standard, Preferential];
        CostModel {
            issuer: vec![
                rule(
                    "issuer-debit",
                    &[Debit, Prepaid],
                    &paying,
                    "0.0035",
                    Some("13.00"),
                ),
                rule(
                    "issuer-credit",
                    &[Credit, QuasiCredit],
                    &paying,
                    "0.0045",
                    None,
                ),
                rule("issuer-waived", &[], &[Waived], "0", None),
            ],
            network: vec![
                rule(
                    "network-acquirer-half",
                    &[],
                    &paying,
                    "0.000325",
                    Some("3.25"),
                ),
                rule("network-waived", &[], &[Waived], "0", None),
            ],
            brand: Vec::new(),
        }
    }
}

impl Default for CostModel {
    fn default() -> Self {
        CostModel::china_2016()
    }
}
