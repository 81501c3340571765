"""``python -m tqaudit`` runs the command line."""

from tqaudit.cli import main

main()
