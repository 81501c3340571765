"""Text from the input made safe to print on a terminal or into a CI log.

A segment, a message quoting it or a file name can hold ESC, BEL or C1 control characters;
printed raw they would recolour, retitle or rewrite the reader's terminal (and a CI log is
replayed on one). Each such character is shown as a visible ``\\xNN`` escape instead.
"""

from __future__ import annotations

import re

# C0 controls, DEL and C1 controls (U+0080–U+009F, among them CSI U+009B), and lone
# surrogates (a file name that is not UTF-8), which no UTF-8 stream can print.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def printable(text: str, keep: str = "\t\n") -> str:
    """``text`` with every control character outside ``keep`` written as ``\\xNN``."""

    def visible(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"

    return _CONTROL.sub(visible, text)


def json_c1_escaped(text: str) -> str:
    """JSON text with DEL and C1 controls written as ``\\u00NN`` (the same JSON value; ``json``
    escapes C0 itself but leaves C1, which a terminal may act on, raw with ``ensure_ascii=False``)."""
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)
