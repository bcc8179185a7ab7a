"""List the tests whose only assertion about an HTTP response is its status code.

    .venv/bin/python scripts/status_only_tests.py          # the list and the count
    .venv/bin/python scripts/status_only_tests.py --count  # the count only

A static reading of tests/ (ast; nothing is run). In each test function, every assertion
(`assert`, an `assert*` call, a module helper that asserts) is sorted into one of:

- "status": it reads a response only through `.status_code` (`assert r.status_code == 200`,
  `assert client.get(url).status_code == 404`, `assert statuses == [...]` where `statuses`
  holds status codes, a helper such as `page(client, url)` that asserts only the status);
- "content": it reads anything else of a response (`.content`, `.json()`, `["Location"]`,
  `.context`, `.url` ...) or a value taken from one (the decoded HTML, a parsed feed);
- "other": it asserts something that is not a response (the database, the session, a cache,
  a query count, `pytest.raises`).

A test is listed when it has a "status" assertion and no "content" one: whatever else it checks,
it never looks at what a user would get from the page. `+other` marks those that assert other
things too (typically a POST followed by a database check, or a query count). Each listed test
was judged: where the content is the point, the test now asserts it; where the status is the
point (a 404 for a missing record, 200-or-400 on hostile input, permissions, a query count
with a 200 so that an error page is not what was counted), it is in docs/status-only-tests.md
with the reason, and is shown but not counted as "to fix".

Heuristics, not a proof: a response is what `<something>client<something>.get/.post/...(...)`
returns (or a module helper that returns one), or a name containing "resp", `r` or `head`.
"""

import ast
import re
import sys
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent / "tests"

HTTP = {"get", "post", "put", "patch", "delete", "head", "options", "generic", "request", "trace"}

ACCEPTED = Path(__file__).resolve().parent.parent / "docs" / "status-only-tests.md"


def accepted() -> dict[str, str]:
    """The tests judged 'the status is the point', with the reason, from docs/status-only-tests.md.

    Each line: "- `tests/file.py::test_name`: the reason".
    """
    found = {}
    if ACCEPTED.exists():
        for line in ACCEPTED.read_text().splitlines():
            match = re.match(r"- `([^`]+)`: (.+)", line)
            if match:
                found[match.group(1)] = match.group(2)
    return found


def is_client_call(node: ast.AST) -> bool:
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in HTTP
        and not (isinstance(node.func.value, ast.Name) and node.func.value.id in {"os", "dict"})
        and _looks_like_client(node.func.value)
    )


def _looks_like_client(node: ast.AST) -> bool:
    text = ast.unparse(node).lower()
    return "client" in text or text in {"c", "browser", "anon", "anonymous", "editor", "admin"}


RESPONSE, CONTENT, STATUS = "response", "content", "status"


class Names:
    """What the names of one function hold: responses, things read from them, status codes."""

    def __init__(self):
        self.kind: dict[str, str] = {}

    def of(self, name: str) -> str | None:
        return self.kind.get(name)


class Reader:
    def __init__(self, module: ast.Module):
        self.helpers = {
            n.name: n
            for n in module.body
            if isinstance(n, ast.FunctionDef) and not n.name.startswith("test_")
        }
        self._helper_asserts: dict[str, str | None] = {}
        self._helper_returns: dict[str, str | None] = {}

    # --- what a name holds
    def names(self, func: ast.FunctionDef) -> Names:
        names = Names()
        for node in ast.walk(func):
            if isinstance(node, ast.Name) and _is_raw_response(node.id):
                names.kind[node.id] = RESPONSE
        for _ in range(3):  # let assignments through loops settle
            for node in ast.walk(func):
                targets: list[ast.AST] = []
                value = None
                if isinstance(node, ast.Assign):
                    targets, value = node.targets, node.value
                elif isinstance(node, (ast.AnnAssign, ast.AugAssign)) and node.value is not None:
                    targets, value = [node.target], node.value
                elif isinstance(node, (ast.For, ast.comprehension)):
                    targets, value = [node.target], node.iter
                elif isinstance(node, ast.withitem) and node.optional_vars is not None:
                    targets, value = [node.optional_vars], node.context_expr
                elif (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Attribute)
                    and node.func.attr in {"append", "add", "extend"}
                    and isinstance(node.func.value, ast.Name)
                    and node.args
                ):
                    targets, value = [node.func.value], node.args[0]
                if value is None:
                    continue
                kind = self.kind_of_value(value, names)
                if kind is None:
                    continue
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name) and names.of(name.id) != RESPONSE:
                            names.kind[name.id] = kind
        return names

    def kind_of_value(self, value: ast.AST, names: Names) -> str | None:
        """RESPONSE for a response, CONTENT for something read from one, STATUS for a code."""
        if self.is_response(value, names):
            return RESPONSE
        reads = self.reads(value, names)
        if reads == {STATUS}:
            return STATUS
        if CONTENT in reads:
            return CONTENT
        return None

    def is_response(self, node: ast.AST, names: Names) -> bool:
        if is_client_call(node):
            return True
        if isinstance(node, ast.Name):
            return names.of(node.id) == RESPONSE
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            return node.func.id in self.helpers and self.helper_returns(node.func.id) == RESPONSE
        return False

    def helper_returns(self, name: str) -> str | None:
        """What the module's helper `name` returns (or yields): a response, its content, a code."""
        if name in self._helper_returns:
            return self._helper_returns[name]
        self._helper_returns[name] = None  # recursion guard
        helper = self.helpers[name]
        names = self.names(helper)
        kinds = {
            self.kind_of_value(node.value, names)
            for node in ast.walk(helper)
            if isinstance(node, (ast.Return, ast.Yield)) and node.value is not None
        }
        kind = next((k for k in (RESPONSE, CONTENT, STATUS) if k in kinds), None)
        self._helper_returns[name] = kind
        return kind

    # --- what an expression reads
    def reads(self, expr: ast.AST, names: Names) -> set[str]:
        """What of a response `expr` looks at: {STATUS}, {CONTENT, ...} or nothing."""
        found: set[str] = set()
        parents = {
            child: parent for parent in ast.walk(expr) for child in ast.iter_child_nodes(parent)
        }
        for node in ast.walk(expr):
            if isinstance(node, ast.Name) and names.of(node.id) in (STATUS, CONTENT):
                found.add(names.of(node.id))
                continue
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in self.helpers
                and self.helper_returns(node.func.id) in (STATUS, CONTENT)
            ):
                found.add(self.helper_returns(node.func.id))
                continue
            if not self.is_response(node, names):
                continue
            parent = parents.get(node)
            if isinstance(parent, ast.Call) and parent.func is not node and is_client_call(parent):
                continue  # a client handed to a request, not read
            if isinstance(parent, ast.Attribute) and parent.attr == "status_code":
                found.add(STATUS)
            elif isinstance(parent, (ast.Attribute, ast.Subscript)) and parent.value is node:
                found.add(CONTENT)  # .content, .json(), ["Location"], .context, .url ...
            elif isinstance(parent, ast.Compare):
                found.add(CONTENT)  # `"x" in response` and the like
            elif isinstance(parent, ast.Call) and node in parent.args:
                found.add(CONTENT)  # handed to something that reads it
        return found

    def helper_asserts(self, name: str) -> str | None:
        if name in self._helper_asserts:
            return self._helper_asserts[name]
        self._helper_asserts[name] = None  # recursion guard
        kinds = self.assertion_kinds(self.helpers[name])
        kind = next((k for k in (CONTENT, STATUS, "other") if k in kinds), None)
        self._helper_asserts[name] = kind
        return kind

    def assertion_kinds(self, func: ast.FunctionDef) -> list[str]:
        names = self.names(func)
        kinds: list[str] = []
        for node in ast.walk(func):
            if isinstance(node, ast.Assert):
                reads = self.reads(node.test, names)
                kinds.append(CONTENT if CONTENT in reads else STATUS if reads else "other")
            elif isinstance(node, ast.Call):
                name = (
                    node.func.attr
                    if isinstance(node.func, ast.Attribute)
                    else getattr(node.func, "id", "")
                )
                if name in self.helpers and name != func.name:
                    kind = self.helper_asserts(name)
                    if kind:
                        kinds.append(kind)
                elif name.lower().startswith("assert"):
                    reads = self.reads(node, names)
                    kinds.append(STATUS if reads == {STATUS} else CONTENT if reads else "other")
                elif name in {"raises", "fail", "warns"}:
                    kinds.append("other")
            elif isinstance(node, ast.withitem):
                text = ast.unparse(node.context_expr)
                if "raises" in text or "num_queries" in text.lower():
                    kinds.append("other")
        return kinds


def _is_raw_response(name: str) -> bool:
    return "resp" in name.lower() or name in {"r", "head"}


def status_only_tests() -> list[tuple[str, int, bool]]:
    found = []
    for path in sorted(TESTS.rglob("test_*.py")):
        module = ast.parse(path.read_text(), str(path))
        reader = Reader(module)
        functions = [n for n in module.body if isinstance(n, ast.FunctionDef)]
        for cls in (n for n in module.body if isinstance(n, ast.ClassDef)):
            functions += [n for n in cls.body if isinstance(n, ast.FunctionDef)]
        for func in functions:
            if not func.name.startswith("test_"):
                continue
            kinds = reader.assertion_kinds(func)
            if STATUS in kinds and CONTENT not in kinds:
                test_id = f"{path.relative_to(TESTS.parent)}::{func.name}"
                found.append((test_id, func.lineno, "other" in kinds))
    return found


def main() -> int:
    """Print the list (or, with --count, the count); exit 1 while any listed test is not judged."""
    found = status_only_tests()
    reasons = accepted()
    counted = [f for f in found if f[0] not in reasons]
    stale = sorted(set(reasons) - {test_id for test_id, _, _ in found})
    if "--count" not in sys.argv:
        for test_id, line, other in found:
            reason = reasons.get(test_id)
            mark = f"  [accepted: {reason}]" if reason else ""
            print(f"{test_id}:{line}{'  +other' if other else ''}{mark}")
        for test_id in stale:
            print(f"{test_id}: in {ACCEPTED.name} but no longer status-only (or renamed)")
        print()
    print(
        f"status-only tests: {len(found)}; "
        f"accepted (status is the point): {len(found) - len(counted)}; to fix: {len(counted)}"
    )
    return 1 if counted else 0


if __name__ == "__main__":
    sys.exit(main())
