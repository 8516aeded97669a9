"""paycore: an embeddable payment core for card acquiring.

Amounts are exact: ``Money`` holds integer minor units and takes ``decimal.Decimal``, ``int``
or decimal ``str`` — never ``float``. Every error raised by paycore derives from
``PaycoreError``. Card numbers are masked in ``repr()`` and ``str()``.
"""

from ._paycore import (
    AllocationError,
    AmountFormatError,
    AmountOverflowError,
    Brand,
    CardError,
    Currency,
    CurrencyMismatchError,
    ExpiryError,
    InvalidPanError,
    MaskStyle,
    Money,
    MoneyError,
    Pan,
    PaycoreError,
    Rounding,
    Track2,
    Track2Error,
    UnknownCurrencyError,
    __version__,
    detect_brand,
    luhn_valid,
    mask_digits,
    parse_expiry,
    rounding_from_name,
)

__all__ = [
    "AllocationError",
    "AmountFormatError",
    "AmountOverflowError",
    "Brand",
    "CardError",
    "Currency",
    "CurrencyMismatchError",
    "ExpiryError",
    "InvalidPanError",
    "MaskStyle",
    "Money",
    "MoneyError",
    "Pan",
    "PaycoreError",
    "Rounding",
    "Track2",
    "Track2Error",
    "UnknownCurrencyError",
    "__version__",
    "detect_brand",
    "luhn_valid",
    "mask_digits",
    "parse_expiry",
    "rounding_from_name",
]
