"""``python -m scheduler`` is the ``newsmon`` command."""

from scheduler.cli import main

main()
