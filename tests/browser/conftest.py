"""Real Chromium (Playwright), axe-core and the Nu HTML checker: the front-end quality bars.

Browser tests run against ``live_server`` with the curated dataset loaded, in Debian's Chromium.
"""

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[2]
AXE_VERSION = "4.14.1"
AXE = ROOT / "tests" / "vendor" / f"axe-core-{AXE_VERSION}.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
# WCAG 2.0, 2.1 and 2.2 at levels A and AA: the bar in the developers' guide.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]

# Playwright's sync API runs an asyncio loop in the test thread; the ORM would refuse to run
# there (SynchronousOnlyOperation) although nothing here is async.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    chromium = shutil.which("chromium") or "/usr/bin/chromium"
    return {**browser_type_launch_args, "executable_path": chromium}


# tests/conftest.py switches to plain static storage for every test. Browser tests depend on it:
# live_server serves /static/ through the finders, which 404 the manifest's hashed names; htmx
# would then never load and every filter would fall back to a full page load, which a test
# looking only at the DOM could not notice (the htmx tests wait for htmx and check HX-Request).


@pytest.fixture(autouse=True)
def quick_browser_timeouts(request):
    """Fail in seconds, not Playwright's 30 s default, when an element or URL never comes."""
    if request.node.get_closest_marker("browser") and "context" in request.fixturenames:
        request.getfixturevalue("context").set_default_timeout(8_000)


def load_dataset():
    call_command("load_atlas", verbosity=0)


@pytest.fixture
def atlas(db):
    """The curated dataset, for tests that fetch pages with Django's test client."""
    load_dataset()


@pytest.fixture
def live_atlas(transactional_db, live_server):
    """The live server with the curated dataset (committed, so the server's thread sees it)."""
    load_dataset()
    return live_server


@pytest.fixture
def page_errors(page):
    """What went wrong in ``page``: script errors, CSP refusals, failed requests (with URLs)."""
    errors = []

    def on_console(message):
        # Failed loads are reported below with their URL.
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            errors.append(f"console: {message.text}")

    def on_response(response):
        # Browsers ask for /favicon.ico on their own; the pages do not link to it.
        if response.status >= 400 and not response.url.endswith("/favicon.ico"):
            errors.append(f"{response.status} {response.request.method} {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    page.on("response", on_response)
    return errors


# --- axe-core ---------------------------------------------------------------------------------


def _run_axe(page) -> list[dict]:
    """Run the vendored axe-core on the page as it is now; return its WCAG A/AA violations.

    axe is injected through the DevTools protocol, which the page's strict CSP does not govern,
    so the page is audited with its real CSP in force.
    """
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8") + "\n;undefined")
    return page.evaluate(
        """async (tags) => {
            const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
            return result.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '),
                                          html: n.html, summary: n.failureSummary})),
            }));
        }""",
        WCAG_TAGS,
    )


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"[{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})")
        for n in v["nodes"][:5]:
            lines.append(f"    at {n['target']}: {n['html'][:160]}")
            lines.append("      " + (n["summary"] or "").replace("\n", "\n      "))
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return "\n".join(lines)


@pytest.fixture
def axe_violations():
    """``axe_violations(page)``: the serious and critical WCAG A/AA violations, and a report."""

    def check(page) -> tuple[list[dict], str]:
        found = [v for v in _run_axe(page) if v["impact"] in ("serious", "critical")]
        return found, "axe-core found:\n" + describe_violations(found)

    return check


# --- Nu HTML checker --------------------------------------------------------------------------


def _validate_html(pages: dict[str, str], tmp_path: Path) -> dict[str, list[dict]]:
    """Check several HTML documents in one run of the Nu checker (the JVM starts once).

    Returns the error messages per page name. vnu refuses 127.0.0.1 URLs, so it reads files.
    """
    assert VNU.exists(), f"{VNU} is missing: run `make checkers` (npm ci)"
    assert shutil.which("java"), "Java is missing: run `make checkers`"
    files = {}
    for i, (name, html) in enumerate(pages.items()):
        path = (tmp_path / f"page-{i}.html").resolve()
        path.write_text(html, encoding="utf-8")
        files[str(path)] = name
    result = subprocess.run(
        ["java", "-jar", str(VNU), "--errors-only", "--format", "json", *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    # The JSON report goes to stderr; the exit code is 1 when any page has an error.
    report = json.loads(result.stderr)
    found = {name: [] for name in pages}
    for message in report["messages"]:
        path = message.get("url", "").removeprefix("file:")
        found.setdefault(files.get(path, path or "(no file)"), []).append(message)
    return {name: messages for name, messages in found.items() if messages}


def describe_html_errors(found: dict[str, list[dict]], pages: dict[str, str]) -> str:
    lines = []
    for name, messages in found.items():
        for m in messages:
            line = m.get("lastLine")
            source = pages.get(name, "").splitlines()
            context = source[line - 1].strip()[:160] if line and line <= len(source) else ""
            lines.append(f"{name} line {line}: {m['message']}\n      {context}")
    return "\n".join(lines)


@pytest.fixture
def html_errors(tmp_path):
    """``html_errors({name: html})``: the Nu checker's errors per page, and a report."""

    def check(pages: dict[str, str]) -> tuple[dict[str, list[dict]], str]:
        found = _validate_html(pages, tmp_path)
        return found, "The Nu HTML checker found:\n" + describe_html_errors(found, pages)

    return check
