"""One module per input format, each with its reader and its ``write_targets``.

A format's reader and writer share one parse of the file, so "segment 7" means the same
unit to both: ``tqaudit fix`` can then change the target texts it fixed and leave every
other byte of the input as it was.
"""
