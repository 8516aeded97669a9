//! EMV data: the tag dictionary, value formats, bit-field decoders, DOLs and field 55.
//!
//! The dictionary is data generated from EMV 4.4 Book 3 Annex A plus the UnionPay/PBOC tags
//! (see `core/tools/gen_emv_tags.py`); decoders are tables of named bits, so each field can be
//! explained *and* built from flags (a terminal sets TVR bits, a test builds an AIP).

mod bits;
mod cvm;
mod dictionary;
mod dol;
mod explain;
mod field55;
mod fields;
mod response;
mod tags_data;

pub use bits::{
    AdditionalTerminalCapabilities, AdditionalTerminalCapabilitiesBit, Aip, AipBit, Auc, AucBit,
    TerminalCapabilities, TerminalCapabilitiesBit, Tsi, TsiBit, Tvr, TvrBit,
};
pub use cvm::{CvRule, CvmCondition, CvmList, CvmMethod, CvmResult, CvmResults};
pub use dictionary::{
    DecodedValue, Format, Source, TagInfo, ValueError, decode_value, lookup, lookup_in, tags,
};
pub use dol::{DolEntry, DolError, TagSource, TagValues, build_dol, build_dol_data, parse_dol};
pub use explain::{ExplainError, ExplainedItem, Explanation, encode_flags, explain};
pub use field55::{
    FIELD55_MANDATORY, FIELD55_ORDER, Field55Error, Field55Kind, Field55Options, Field55Response,
    IssuerAuthenticationData, IssuerScript, ScriptResult, build_field55, encode_script_results,
    parse_field55_response,
};
pub use fields::{
    AcType, Cid, CidReason, CupIad, TerminalCapability, TerminalOperator, TerminalType,
    TransactionType,
};
pub use response::{AflEntry, GenerateAcResponse, GpoResponse, parse_afl, parse_tag_list};
