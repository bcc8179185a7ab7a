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

import pytest

ROOT = Path(__file__).resolve().parent.parent


def areas() -> dict[str, list[str]]:
    spec = importlib.util.spec_from_file_location("mutation", ROOT / "scripts" / "mutation.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.AREAS


NAMES = [(area, name) for area, names in areas().items() for name in names]


@pytest.mark.parametrize(("area", "name"), NAMES)
def test_each_mutated_function_exists_in_a_mutated_file(area, name):
    module_name, _, function = name.rpartition(".")
    module = importlib.import_module(module_name)
    if function.startswith("xǁ"):
        _, owner, method = function.split("ǁ")
        assert hasattr(getattr(module, owner, None), method), f"{area}: {name} is not in the code"
    else:
        assert hasattr(module, function.removeprefix("x_")), f"{area}: {name} is not in the code"
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mutmut"]
    path = module_name.replace(".", "/") + ".py"
    assert path in config["only_mutate"], f"{area}: {path} is not in only_mutate"
