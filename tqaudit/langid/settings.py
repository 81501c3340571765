"""The ``[tool.tqaudit.langid]`` options: ``Settings``, validated, and ``OPTION_DOCS``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from tqaudit.errors import ConfigError
from tqaudit.langid.backends import BACKENDS
from tqaudit.scripts import CJK_WEIGHT


@dataclass(frozen=True)
class Settings:
    """The ``[tool.tqaudit.langid]`` options, validated; hashable so it keys an identifier."""

    backend: str = "langdetect"
    fallback: str = ""
    min_letters: int = 12
    min_letter_ratio: float = 0.5
    max_name_ratio: float = 0.6
    script_decides: float = 0.8
    declared_prior: float = 0.5
    function_words: int = 3

    @classmethod
    def from_options(cls, options: Mapping[str, Any] | None) -> Settings:
        """Settings from user options; unknown keys or bad values raise ``ConfigError``."""
        given = {str(k).replace("-", "_"): v for k, v in (options or {}).items()}
        known = {f.name: f for f in fields(cls)}
        for key, value in given.items():
            if key not in known:
                raise ConfigError(
                    f"unknown langid option {key!r} (known options: {', '.join(sorted(known))})"
                )
            default = known[key].default
            ok = isinstance(value, type(default)) or (isinstance(default, float) and isinstance(value, int))
            if not ok or isinstance(value, bool):
                raise ConfigError(f"langid option {key!r} must be {type(default).__name__}, got {value!r}")
        values: dict[str, Any] = {
            k: (float(v) if isinstance(known[k].default, float) else v) for k, v in given.items()
        }
        settings = cls(**values)
        settings._check()
        return settings

    def _check(self) -> None:
        if self.backend not in BACKENDS:
            raise ConfigError(f"unknown langid backend {self.backend!r} (known: {', '.join(BACKENDS)})")
        if self.fallback and self.fallback not in BACKENDS:
            raise ConfigError(f"unknown langid fallback {self.fallback!r} (known: {', '.join(BACKENDS)})")
        for key in ("min_letters", "function_words"):
            if getattr(self, key) < 0:
                raise ConfigError(f"langid option {key!r} must be >= 0, got {getattr(self, key)}")
        for key in ("min_letter_ratio", "max_name_ratio", "script_decides"):
            value = getattr(self, key)
            if not 0.0 <= value <= 1.0:
                raise ConfigError(f"langid option {key!r} must be between 0 and 1, got {value}")
        if not 0.0 <= self.declared_prior < 1.0:
            # A prior of 1 would make every verdict agree with the declaration.
            raise ConfigError(
                f"langid option 'declared_prior' must be at least 0 and below 1, got {self.declared_prior}"
            )


OPTION_DOCS: dict[str, str] = {
    "backend": "detector used where the script does not decide: langdetect (default), "
    "py3langid, lingua or fasttext when installed",
    "fallback": "backend for the declared languages the main one does not know (Kazakh for "
    "langdetect): fasttext, py3langid or lingua when installed; empty (default): only their "
    "script is checked",
    "min_letters": "fewer letters than this gives no verdict (a Han, kana or hangul "
    f"character counts as {CJK_WEIGHT})",
    "min_letter_ratio": "no verdict when letters are fewer than this share of the "
    "non-space characters (numbers, codes, punctuation)",
    "max_name_ratio": "no verdict when more than this share of the words of a cased script "
    "start with a capital (lists of names, titles)",
    "script_decides": "share of letters in a script used by one language alone (Thai, "
    "hangul, kana) above which that language is given without a model",
    "declared_prior": "prior probability given to the declared language when the model first "
    "disagrees with it (0 turns this off): short sentences are often misread, and the "
    "declaration is evidence too",
    "function_words": "marker function words of the declared language (language.function-words "
    "pack) that let it be accepted without a model, when they are also a fifth of the words and "
    "every letter is in its alphabet (0 turns this off)",
}
