"""Reading segments from files and writing reports atomically."""

from tqaudit.io.readers import FORMATS, read_segments
from tqaudit.io.writers import atomic_write, neutralize_formula

__all__ = ["FORMATS", "atomic_write", "neutralize_formula", "read_segments"]
