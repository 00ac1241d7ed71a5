"""`python -m bot` is the `xinqiao` command."""

from bot.cli import main

main()
