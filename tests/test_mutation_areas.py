"""`make mutation` names the functions it mutates by module and name (scripts/mutation.py).

When code moves or a function is renamed, a stale name is silently never mutated (it happened
twice: csv-guard named `spreadsheet_safe` in its old module, page-cache `_wants_fragment` after
it moved), and the area's score then counts nothing. Each name must exist, in a file mutmut is
told to mutate (pyproject.toml, [tool.mutmut] only_mutate).
"""

import importlib
import importlib.util
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def areas() -> dict[str, list[str]]:
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "scripts" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AREAS


def missing(name: str, only_mutate: list[str]) -> str | None:
    """Why ``name`` would never be mutated, or None when it will be."""
    module_name, _, function = name.rpartition(".")
    path = module_name.replace(".", "/") + ".py"
    if path not in only_mutate:
        return f"{path} is not in only_mutate"
    module = importlib.import_module(module_name)
    if function.startswith("xǁ"):
        _, owner, method = function.split("ǁ")
        found = hasattr(getattr(module, owner, None), method)
    else:
        found = hasattr(module, function.removeprefix("x_"))
    return None if found else "is not in the code"


def test_every_mutated_function_exists_in_a_mutated_file():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    stale = {
        f"{area}: {name}": why
        for area, names in areas().items()
        for name in names
        if (why := missing(name, config["only_mutate"]))
    }
    assert stale == {}
