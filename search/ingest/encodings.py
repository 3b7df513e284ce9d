"""Bytes to text, for a corpus that is mostly UTF-8 but not all.

`decode` tries the named steps in `STEPS` in order; the first that answers wins:

    byte_order_mark       UTF-8/16/32 with a BOM: decoded as it says
    utf16_without_bom     every other byte NUL (ASCII in UTF-16): decoded as UTF-16 LE or BE
    strict_utf8           the normal case
    declared_charset      HTML that names its charset (<meta charset>, http-equiv): decoded as
                          declared (GB2312/GBK read as their superset GB18030); a few bad bytes
                          become U+FFFD rather than refusing the page
    mostly_utf8           UTF-8 with a few stray bytes (a Latin-1 "é" pasted in): the bad bytes
                          become U+FFFD; one broken byte never costs a whole article
    windows_1258          Microsoft's Vietnamese code page, tone marks as combining characters:
                          decoded and NFC-composed, if the result reads as Vietnamese
    legacy_font_encoding  TCVN3 (ABC) and VNI: 8-bit "font" encodings that reuse Latin-1 byte
                          values for Vietnamese letters; recognised and refused with their name,
                          so the file can be converted (UniKey's converter does it) rather than
                          indexed as mojibake
    detected_charset      charset-normalizer's guess for the rest (Big5, KOI8-R, Shift-JIS…),
                          taken only when it is confident

Anything else is refused, naming the first byte that is not UTF-8.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from bs4.dammit import EncodingDetector
from charset_normalizer import from_bytes

from search.model import IngestError

BOMS = [(b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")]
# Letters of the Vietnamese alphabet beyond ASCII (lower case; upper case is compared folded).
VIETNAMESE_LETTERS = set(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")
SAMPLE = 64 * 1024  # bytes looked at when guessing
# Declared names whose bytes are better read by a superset codec (browsers do the same).
SUPERSETS = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "iso-8859-1": "cp1252",
             "latin-1": "cp1252", "ascii": "cp1252", "us-ascii": "cp1252", "big5": "big5hkscs",
             "shift-jis": "cp932", "euc-kr": "cp949"}
MULTI_BYTE = ["gb18030", "big5hkscs", "cp932", "cp949"]
# A page is "mostly" in an encoding when at most this share of its bytes fail to decode.
MAX_BAD_SHARE = 0.001
MAX_BAD_BYTES_DECLARED = 16  # the page named its charset: a few broken characters are just that
UTF8_GOOD_PER_BAD = 20
MAX_BAD_BYTES_ALWAYS_OK = 1  # more than one in a short file is not "a few": a TCVN3 note has dozens
# ...and at least this "coherence" (how well the letters fit a language it knows): four stray
# bytes decode "cleanly" as cp1250 too, but read as no language.
CONFIDENT_COHERENCE = 0.2
CONFIDENT_CHAOS = 0.05  # charset-normalizer's "mess" ratio above which its guess is not taken


def decode(data: bytes, rel: str, is_html: bool = False) -> str:
    """The text of a file's bytes, or an IngestError that names the file and the reason."""
    if not data.strip():
        raise IngestError(rel, "empty file")
    for step in STEPS:
        text = step(data, rel, is_html)
        if text is not None:
            return text
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise IngestError(rel, f"not valid UTF-8 (byte 0x{data[e.start]:02x} at offset {e.start}) and no "
                               "other encoding reads it; save the file as UTF-8") from None
    raise AssertionError("strict_utf8 accepts valid UTF-8")  # pragma: no cover


def byte_order_mark(data: bytes, rel: str, is_html: bool) -> str | None:
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError as e:
                raise IngestError(rel, f"invalid {encoding} after its byte-order mark (offset {e.start})") from None
    return None


def utf16_without_bom(data: bytes, rel: str, is_html: bool) -> str | None:
    """UTF-16 text (mostly ASCII markup, digits, spaces) has NULs regularly at odd or even
    offsets; other binary data is refused here, before any guessing."""
    if b"\x00" not in data[:8192]:
        return None
    encoding = utf16_byte_order(data)
    if encoding is None:
        raise IngestError(rel, "binary file (contains NUL bytes), not a text or HTML page")
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as e:
        raise IngestError(rel, f"looks like {encoding} without a byte-order mark, but is not valid "
                               f"{encoding} (offset {e.start})") from None


def utf16_byte_order(data: bytes) -> str | None:
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


def strict_utf8(data: bytes, rel: str, is_html: bool) -> str | None:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def declared_charset(data: bytes, rel: str, is_html: bool) -> str | None:
    """HTML decoded by the charset its own <meta> declares; None when it declares none (or a
    charset that does not read it, save for a few bad bytes)."""
    if not is_html:
        return None
    declared = EncodingDetector.find_declared_encoding(data[:SAMPLE], is_html=True)
    if not declared:
        return None
    name = declared.lower().strip().replace("_", "-")
    codec = SUPERSETS.get(name, name)
    text = _mostly(data, codec, floor=MAX_BAD_BYTES_DECLARED)
    if text is None:
        return None
    return unicodedata.normalize("NFC", text) if codec.replace("_", "-") in ("windows-1258", "cp1258") else text


def mostly_utf8(data: bytes, rel: str, is_html: bool) -> str | None:
    """UTF-8 with a few stray bytes: few by count, or few beside the many good multi-byte
    characters around them (a Vietnamese page with three Latin-1 bytes pasted in). Text in an
    8-bit or GBK encoding forms almost no valid UTF-8 sequences, so it never passes."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    good = _non_ascii(text) - bad
    if bad <= max(MAX_BAD_BYTES_ALWAYS_OK, len(data) * MAX_BAD_SHARE) or good >= UTF8_GOOD_PER_BAD * bad:
        return text
    return None


def _mostly(data: bytes, codec: str, floor: int = 0) -> str | None:
    """`data` decoded with `codec`, bad bytes replaced, if they are few; else None. `floor`: bad
    sequences always tolerated (more when the page itself declared the codec)."""
    try:
        return data.decode(codec)
    except LookupError:
        return None
    except UnicodeDecodeError:
        pass
    text = data.decode(codec, errors="replace")
    bad = text.count("\ufffd")  # one per undecodable sequence
    return text if bad <= max(floor, MAX_BAD_BYTES_ALWAYS_OK, len(data) * MAX_BAD_SHARE) else None


def windows_1258(data: bytes, rel: str, is_html: bool) -> str | None:
    """The text if the bytes are Vietnamese in Windows-1258 (decoded, marks composed); else None."""
    try:
        text = unicodedata.normalize("NFC", data.decode("cp1258"))
    except UnicodeDecodeError:
        return None
    return text if _reads_as_vietnamese(text) else None


def _reads_as_vietnamese(text: str) -> bool:
    """Nearly every non-ASCII letter is a Vietnamese one, and there are enough to tell."""
    letters = [c for c in _NON_ASCII.findall(text[:SAMPLE].lower()) if c.isalpha() or unicodedata.combining(c)]
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


def legacy_font_encoding(data: bytes, rel: str, is_html: bool) -> str | None:
    name = legacy_font_encoding_name(data)
    if name is not None:
        raise IngestError(rel, f"Vietnamese in the legacy {name} encoding; convert the file to UTF-8 "
                               "(for example with UniKey's converter) and reindex")
    return None


def legacy_font_encoding_name(data: bytes) -> str | None:
    """'VNI' or 'TCVN3 (ABC)' when 8-bit bytes sit inside words as those encodings put them."""
    sample = data[:SAMPLE]
    high = len(sample) - len(sample.translate(None, _HIGH_BYTES))
    letters = len(sample) - len(sample.translate(None, _ASCII_LETTERS))
    if high < 3 or high / max(1, letters + high) < 0.04 or len(_WORD_HIGH.findall(sample)) < high * 0.5:
        return None
    if len(_AFTER_VOWEL.findall(sample)) / high > 0.5:
        return "VNI"
    if len(_TCVN3_LETTERS.findall(sample)) / high > 0.3:
        return "TCVN3 (ABC)"
    return None


def detected_charset(data: bytes, rel: str, is_html: bool) -> str | None:
    """charset-normalizer's best guess, when its decoding reads as text (little "chaos"); else
    the East Asian multi-byte codec that reads all but a few bytes (charset-normalizer only
    proposes codecs that decode every byte, so a GBK page with two broken characters is missed)."""
    best = from_bytes(data[:SAMPLE]).best()
    if (best is not None and best.chaos <= CONFIDENT_CHAOS and best.coherence >= CONFIDENT_COHERENCE
            and best.encoding not in ("utf_8", "ascii")):
        codec = best.encoding.replace("_", "-")
        if (text := _mostly(data, SUPERSETS.get(codec, codec))) is not None:
            return text
    for codec in MULTI_BYTE:
        if (text := _mostly(data, codec)) is not None and _reads_as_cjk(text):
            return text
    return None


_CJK = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af]")


def _reads_as_cjk(text: str) -> bool:
    """Enough Han, kana or Hangul, and most of the non-ASCII text is that."""
    sample = text[:SAMPLE]
    cjk = len(_CJK.findall(sample))
    return cjk >= 10 and cjk >= 0.6 * _non_ascii(sample)


# The counts above are made in C (a regex, `str.encode`, `bytes.translate`): the pages that reach
# these steps (no UTF-8, no usable declared charset: 10 of the 250 shared pages) cost 30-80 ms
# each with a Python loop over every character.
_NON_ASCII = re.compile("[^\x00-\x7f]")
_HIGH_BYTES = bytes(range(128, 256))
_ASCII_LETTERS = bytes(range(65, 91)) + bytes(range(97, 123))


def _non_ascii(text: str) -> int:
    """How many characters of `text` are not ASCII."""
    return len(text) - len(text.encode("ascii", "ignore"))


Step = Callable[[bytes, str, bool], "str | None"]
STEPS: list[Step] = [
    byte_order_mark,
    utf16_without_bom,
    strict_utf8,
    declared_charset,
    mostly_utf8,
    windows_1258,
    legacy_font_encoding,
    detected_charset,
]
