"""The house rules that keep layers apart, checked on the source (ast, no imports run).

Handlers and services never import a channel SDK (wechatpy, telegram) or bot.channels; the SDKs are
imported only under bot/channels/; an adapter never imports the outbox, the router's internals or a
handler (Reply comes from bot/events.py).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SDKS = ("wechatpy", "telegram")
ROUTER_PUBLIC = {"Router"}  # what an adapter may name from bot.router: the type of the object it is given


def _modules(where: str) -> list[Path]:
    files = sorted((ROOT / where).rglob("*.py"))
    assert files, f"no Python files under {where}: is ROOT ({ROOT}) the repo root?"
    return files


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(path: Path) -> str:
    return _module_name(path) if path.name == "__init__.py" else _module_name(path).rpartition(".")[0]


def _imports(path: Path, package: str | None = None) -> Iterator[tuple[int, str, str | None]]:
    """(line, module, name) for every import in the file, relative ones resolved; name is None for `import x`."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = _package(path) if package is None else package
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, None
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                yield node.lineno, module, alias.name


def _under(module: str, name: str | None, prefix: str) -> bool:
    """Whether `import module` / `from module import name` reaches prefix (a module or a package)."""
    full = f"{module}.{name}" if name else module
    return any(m == prefix or m.startswith(prefix + ".") for m in (module, full))


def _where(path: Path, line: int, what: str) -> str:
    return f"{path.relative_to(ROOT)}:{line}: {what}"


def test_handlers_and_services_import_no_channel_sdk_and_no_channel() -> None:
    bad = [_where(p, line, f"imports {m}{'.' + n if n else ''}")
           for where in ("handlers", "bot/services") for p in _modules(where)
           for line, m, n in _imports(p)
           if any(_under(m, n, banned) for banned in (*SDKS, "bot.channels"))]
    assert not bad, "handlers and services must not know channels:\n" + "\n".join(bad)


def test_channel_sdks_are_imported_only_in_bot_channels() -> None:
    bad = [_where(p, line, f"imports {m}")
           for where in ("bot", "handlers", "keywords") for p in _modules(where)
           if not p.is_relative_to(ROOT / "bot" / "channels")
           for line, m, n in _imports(p) if any(_under(m, None, sdk) for sdk in SDKS)]
    assert not bad, "wechatpy and telegram belong in bot/channels/ only:\n" + "\n".join(bad)


def test_adapters_do_not_import_the_outbox() -> None:
    bad = [_where(p, line, f"imports {m}{'.' + n if n else ''}")
           for p in _modules("bot/channels") for line, m, n in _imports(p)
           if (f"{m}.{n}" if n else m).startswith("bot.services")
           and "outbox" in (f"{m}.{n}" if n else m).split(".")]
    assert not bad, "the router queues every reply; an adapter never writes to the outbox:\n" + "\n".join(bad)


def test_adapters_do_not_reach_into_the_router() -> None:
    bad = []
    for p in _modules("bot/channels"):
        for line, m, n in _imports(p):
            if _under(m, n, "bot.router") and (n is None or m != "bot.router" or n not in ROUTER_PUBLIC):
                bad.append(_where(p, line, f"imports {m}{'.' + n if n else ''}"))
        for node in ast.walk(ast.parse(p.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr.startswith("_") and not node.attr.startswith("__"):
                owner = node.value
                name = owner.attr if isinstance(owner, ast.Attribute) else getattr(owner, "id", "")
                if "router" in name.lower():
                    bad.append(_where(p, node.lineno, f"uses the router's {node.attr}"))
    assert not bad, "an adapter calls Router.handle and nothing inside the router:\n" + "\n".join(bad)


def test_adapters_import_no_handler() -> None:
    bad = [_where(p, line, f"imports {m}{'.' + n if n else ''}")
           for p in _modules("bot/channels") for line, m, n in _imports(p) if _under(m, n, "handlers")]
    assert not bad, "Reply lives in bot/events.py; adapters import nothing from handlers/:\n" + "\n".join(bad)


def test_the_checks_see_every_kind_of_import(tmp_path: Path) -> None:
    src = tmp_path / "adapter.py"
    src.write_text("from . import base\nfrom telegram import Bot\nimport bot.router\n\n\n"
                   "def f():\n    from ..services import outbox\n", encoding="utf-8")
    found = list(_imports(src, package="bot.channels"))
    assert found == [(1, "bot.channels", "base"), (2, "telegram", "Bot"), (3, "bot.router", None),
                     (7, "bot.services", "outbox")]
    assert _under("bot.channels", "base", "bot.channels") and _under("telegram.error", None, "telegram")
    assert not _under("bot.servicesx", None, "bot.services") and not _under("telegramx", None, "telegram")
    assert _module_name(ROOT / "bot" / "channels" / "__init__.py") == "bot.channels"


def test_handlers_write_rows_only_through_services() -> None:
    writes = {"add", "add_all", "delete", "merge"}
    bad = [_where(p, node.lineno, f"session.{node.func.attr}")
           for p in _modules("handlers") for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
           if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in writes
           and "session" in ast.unparse(node.func.value)]
    assert not bad, "a handler writes a row through a service (bot/services/):\n" + "\n".join(bad)


def test_the_text_catalogues_sit_below_everything() -> None:
    """bot/texts/ is read by handlers, services and channels alike, so it imports none of them."""
    bad = [_where(p, line, f"imports {m}{'.' + n if n else ''}")
           for p in _modules("bot/texts") for line, m, n in _imports(p)
           if any(_under(m, n, top) for top in ("bot", "handlers", "keywords"))
           and not (_under(m, n, "bot.texts") or _under(m, n, "bot.config"))]
    assert not bad, "the catalogues hold data; they import only bot.config and each other:\n" + "\n".join(bad)


def test_the_console_calls_services_and_never_channels() -> None:
    """bot/console/ is a floor of its own: it talks to services (and the chat's text catalogues), never to a
    channel, an SDK, the router or the outbox directly, and writes rows only through services."""
    banned = (*SDKS, "bot.channels", "bot.router", "bot.services.messaging.outbox", "bot.services.messaging.delivery")
    bad = [_where(p, line, f"imports {m}{'.' + n if n else ''}")
           for p in _modules("bot/console") for line, m, n in _imports(p)
           if any(_under(m, n, b) for b in banned)]
    writes = {"add", "add_all", "delete", "merge"}
    bad += [_where(p, node.lineno, f"session.{node.func.attr}")
            for p in _modules("bot/console") for node in ast.walk(ast.parse(p.read_text(encoding="utf-8")))
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in writes
            and "session" in ast.unparse(node.func.value)]
    handler_imports = [(p, line, m) for p in _modules("bot/console") for line, m, n in _imports(p)
                       if _under(m, n, "handlers")]
    bad += [_where(p, line, f"imports {m} (only text catalogues and case words)") for p, line, m in handler_imports
            if m not in {"handlers.bind", "handlers.counsellor", "handlers.crisis", "handlers.mailbox",
                         "handlers.staff_text", "handlers.case_words"}]
    assert not bad, "the console calls services only:\n" + "\n".join(bad)
