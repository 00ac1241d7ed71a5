"""Every text a person reads, one catalogue per flow; a school overrides any text with <data_dir>/texts.toml.

The catalogues (one module per flow, named after the handler module or the service push that uses
it) hold only data: an UPPER_CASE str, or a dict of str, is a text a school may override; a name
starting with OPT_ (or listed in the module's LABELS) is a label a command parses: defined once,
shown by the reply and matched by the parser, and never overridden. Code reads a text through its
module at call time (`T.GREETING`, never `from bot.texts.menu import GREETING`) so an override is
seen everywhere. `catalogue.py` reads, checks and applies the overrides; `safe_rules.py` holds the
safe-reply rules the crisis texts must pass (docs/SAFE_REPLIES.md). This package imports nothing
of the project but bot.config.
"""
