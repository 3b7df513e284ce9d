"""Bytes to text, for a corpus that is mostly UTF-8 but not all.

Vietnamese text older than Unicode's spread comes in other encodings. Each is handled by one
named step, tried in this order:

    byte-order mark       UTF-8/16/32 with a BOM: decoded as it says
    utf16_without_bom     every other byte NUL (ASCII in UTF-16): decoded as UTF-16 LE or BE
    utf-8                 the normal case
    declared_charset      HTML that names its charset (<meta charset>): decoded as declared
    windows_1258          Microsoft's Vietnamese code page, tone marks as combining characters:
                          decoded and NFC-composed, if the result reads as Vietnamese
    legacy_font_encoding  TCVN3 (ABC) and VNI: 8-bit "font" encodings that reuse Latin-1 byte
                          values for Vietnamese letters; recognised and refused with their name,
                          so the file can be converted (UniKey's converter does it) rather than
                          indexed as mojibake

Anything else that is not UTF-8 is refused, naming the first bad byte.
"""

from __future__ import annotations

import re
import unicodedata

from bs4.dammit import EncodingDetector

from search.model import IngestError

BOMS = [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
# Letters of the Vietnamese alphabet beyond ASCII (lower case; upper case is compared folded).
VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
SAMPLE = 64 * 1024  # bytes looked at when guessing


def decode(data: bytes, rel: str, is_html: bool = False) -> str:
    if not data.strip():
        raise IngestError(rel, "empty file")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise IngestError(rel, f"invalid {encoding} after its byte-order mark (offset {e.start})") from None
    if b"\x00" in data[:8192]:
        encoding = utf16_without_bom(data)
        if encoding is None:
            raise IngestError(rel, "binary file (contains NUL bytes), not a text or HTML page")
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as e:
            raise IngestError(rel, f"looks like {encoding} without a byte-order mark, but is not valid "
                                   f"{encoding} (offset {e.start})") from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        utf8_error = e
    if is_html and (text := declared_charset(data)) is not None:
        return text
    if (text := windows_1258(data)) is not None:
        return text
    if (name := legacy_font_encoding(data)) is not None:
        raise IngestError(rel, f"Vietnamese in the legacy {name} encoding; convert the file to UTF-8 "
                               "(for example with UniKey's converter) and reindex")
    raise IngestError(rel, f"not valid UTF-8 (byte 0x{data[utf8_error.start]:02x} at offset {utf8_error.start}); "
                           "save the file as UTF-8") from None


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when NULs sit regularly at odd or even offsets, as they do in
    UTF-16 text that is mostly ASCII (markup, digits, spaces); None for other binary data."""
    sample = data[:SAMPLE - SAMPLE % 2]
    if len(sample) < 4 or len(sample) % 2:
        return None
    pairs = len(sample) // 2
    even_nul = sample[0::2].count(0) / pairs
    odd_nul = sample[1::2].count(0) / pairs
    if odd_nul > 0.3 and even_nul < 0.05:
        return "utf-16-le"
    if even_nul > 0.3 and odd_nul < 0.05:
        return "utf-16-be"
    return None


def declared_charset(data: bytes) -> str | None:
    """HTML decoded by the charset its own <meta> declares; None when it declares none (or a
    charset that does not decode it)."""
    declared = EncodingDetector.find_declared_encoding(data, is_html=True)
    if not declared:
        return None
    try:
        text = data.decode(declared)
    except (LookupError, UnicodeDecodeError):
        return None
    return unicodedata.normalize("NFC", text) if declared.lower().replace("_", "-") in ("windows-1258", "cp1258") \
        else text


def windows_1258(data: bytes) -> str | None:
    """The text if the bytes are Vietnamese in Windows-1258 (decoded, marks composed); else None."""
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    return text if _reads_as_vietnamese(text) else None


def _reads_as_vietnamese(text: str) -> bool:
    """Nearly every non-ASCII letter is a Vietnamese one, and there are enough to tell."""
    letters = [c for c in text[:SAMPLE].lower() if ord(c) > 127 and (c.isalpha() or unicodedata.combining(c))]
    if len(letters) < 3:
        return False
    vietnamese = sum(1 for c in letters if c in VIETNAMESE_LETTERS)
    return vietnamese / len(letters) >= 0.95


# VNI keeps the ASCII vowel and adds the marks as a following Latin-1 byte ("Vieät" = Việt), so
# most of its high bytes follow a vowel. TCVN3 replaces the whole letter by one byte ("ViÖt" =
# Việt) and puts its commonest letters (à á ả ã ạ ă â đ…) at 0xA1-0xBF, where Latin-1 has symbols
# (µ ¶ · ¸ ®) that Western text almost never has inside a word.
_WORD_HIGH = re.compile(rb"[A-Za-z][\x80-\xff]|[\x80-\xff][A-Za-z]")
_AFTER_VOWEL = re.compile(rb"[aeiouyAEIOUY][\x80-\xff]")
_TCVN3_LETTERS = re.compile(rb"[\xa1-\xbf]")


def legacy_font_encoding(data: bytes) -> str | None:
    """'VNI' or 'TCVN3 (ABC)' when 8-bit bytes sit inside words as those encodings put them."""
    sample = data[:SAMPLE]
    high = sum(1 for b in sample if b > 127)
    letters = sum(1 for b in sample if 65 <= b <= 90 or 97 <= b <= 122)
    if high < 3 or high / max(1, letters + high) < 0.04 or len(_WORD_HIGH.findall(sample)) < high * 0.5:
        return None
    if len(_AFTER_VOWEL.findall(sample)) / high > 0.5:
        return "VNI"
    if len(_TCVN3_LETTERS.findall(sample)) / high > 0.3:
        return "TCVN3 (ABC)"
    return None
