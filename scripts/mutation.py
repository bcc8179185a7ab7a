"""Mutation testing of the core logic: `make mutation` (or `python scripts/mutation.py AREA …`).

mutmut 3 (configured in pyproject.toml, [tool.mutmut]) copies the code to mutants/, plants one
small change at a time in the functions named below and runs the tests that reach each function
(it maps tests to functions in a first run). A mutant the tests do not notice "survives".

The areas are the core rules of the atlas; each lists its functions as mutmut names them
(module.x_function, module.xǁClassǁmethod). The report gives killed/survived/timeouts per area
and the score, counting the mutants accepted as equivalent in docs/mutation.md as neither.

Runs against PostgreSQL: DATABASE_URL must name a database used only by mutation runs (the
Makefile sets postgres://postgres@127.0.0.1:5432/atlas_mutation); pytest-django keeps its test
database between mutants (--reuse-db).
"""

import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
MUTANTS = BASE / "mutants"
EQUIVALENTS = BASE / "docs" / "mutation.md"

AREAS = {
    "legal-status": [
        "provisions.models.provisions.x_status_from_dates",
        "provisions.models.instruments.x_existed_from_dates",
        "provisions.models.provisions.x_badge_on",
        "provisions.models.provisions.x_existing_on",
    ],
    "editorial-rules": [
        "provisions.models.editorial.xǁSourcedǁsourcing_errors",
        "provisions.models.editorial.xǁEditorialQuerySetǁpublished",
        "provisions.models.provisions.xǁProvisionQuerySetǁpublic",
    ],
    "csv-guard": [
        "provisions.plaintext.x_spreadsheet_safe",
        "comparisons.opendata.downloads.x_cell_state",
    ],
    "escaping": [
        "comparisons.web.templatetags.atlas_text.x_external_url",
        "comparisons.web.templatetags.sharing.x_json_ld",
        "comparisons.web.facets.x_printable",
    ],
    "page-cache": [
        "comparisons.web.pagecache.x__key",
        "comparisons.web.fragments.x_wants_fragment",
        "comparisons.web.pagecache.x_serve",
        "comparisons.web.pagecache.x_look_up",
        "comparisons.web.pagecache.x_answer_stored",
        "comparisons.web.pagecache.x__from_cache",
        "comparisons.web.pagecache.x__storable",
        "config.dataversion.x_current",
    ],
    "facets": [
        "comparisons.matrix.filters.x_apply_facets",
        "comparisons.web.facets.x_count_facets",
        "comparisons.web.facets.xǁFacetǁfilter",
        "comparisons.web.facets.xǁLenientMultipleChoiceFieldǁclean",
        "comparisons.matrix.build.xǁCellLinksǁshow_ended",
        "comparisons.matrix.build.x_covering_silences",
        "comparisons.matrix.build.x_silence_applies_on",
        "comparisons.matrix.build.xǁCellLinksǁwhole_cell",
    ],
    "restore-validation": [
        "provisions.backup.x__check",
    ],
    "matrix-engine": [
        "comparisons.matrix.build.x_build_matrix",
        "comparisons.matrix.build.x_lay_out",
        "comparisons.matrix.build.x_bucket",
        "comparisons.matrix.build.x_caps_for",
        "comparisons.matrix.build.x_make_cell",
    ],
    # The model checker's evaluation: a model's facts against a provision's conditions.
    "model-checker": [
        "provisions.openness.x_combine",
        "provisions.openness.x_evaluate",
        "provisions.openness.x__finding",
        "provisions.openness.x__licence_rights",
        "provisions.openness.x__not_research_only",
        "provisions.openness.x__no_user_scale_cap",
        "provisions.openness.x__no_separate_licence",
        "provisions.openness.x__no_geographic_exclusion",
        "provisions.openness.x__use_limits",
        "provisions.openness.x__not_monetised",
        "provisions.openness.x__weights_public",
        "provisions.openness.x__documented",
        "provisions.openness.x__compute_side",
        "provisions.openness.x__compute_text",
        "provisions.openness.x__compute",
        "provisions.openness.x__not_designated",
        "provisions.openness.x__provider_outside_eu",
        "provisions.openness.x__system_use",
        "provisions.openness.x__join",
        "provisions.openness.x_flop",
    ],
}


def status_of(code) -> str:
    from mutmut.stats import status_by_exit_code  # killed, survived, timeout, no tests …

    return status_by_exit_code[code]


def equivalents() -> dict[str, str]:
    """Mutant name → reason, from the bullet list in docs/mutation.md."""
    if not EQUIVALENTS.exists():
        return {}
    found = {}
    for line in EQUIVALENTS.read_text().splitlines():
        if match := re.match(r"- `([^`]+__mutmut_\d+)`: (.+)", line):
            found[match.group(1)] = match.group(2)
    return found


def results() -> dict[str, int | None]:
    found = {}
    for meta in MUTANTS.rglob("*.meta"):
        found.update(json.loads(meta.read_text())["exit_code_by_key"])
    return found


def report(areas: list[str]) -> int:
    exit_codes = results()
    accepted = equivalents()
    print(
        f"{'area':<20} {'mutants':>7} {'killed':>6} {'survived':>8} {'timeout':>7} "
        f"{'equiv.':>6} {'other':>5} {'score':>6}"
    )
    total = Counter()
    survivors = []
    for area in areas:
        counts = Counter()
        for name, code in exit_codes.items():
            function = re.sub(r"__mutmut_\d+$", "", name)
            if function not in AREAS[area]:
                continue
            counts["mutants"] += 1
            status = status_of(code)
            if status == "survived" and name in accepted:
                status = "equivalent"
            if status == "survived":
                survivors.append(name)
            counts[
                status if status in ("killed", "survived", "timeout", "equivalent") else "other"
            ] += 1
        total += counts
        print(line(area, counts))
    print(line("total", total))
    if survivors:
        print("\nSurvivors (`.venv/bin/mutmut show NAME` prints the change):")
        print("\n".join(f"  {name}" for name in sorted(survivors)))
    return 0


def line(area: str, counts: Counter) -> str:
    # A timeout is counted as killed (the mutant made the tests hang: they noticed).
    judged = counts["mutants"] - counts["equivalent"] - counts["other"]
    score = (counts["killed"] + counts["timeout"]) / judged if judged else 0
    return (
        f"{area:<20} {counts['mutants']:>7} {counts['killed']:>6} {counts['survived']:>8} "
        f"{counts['timeout']:>7} {counts['equivalent']:>6} {counts['other']:>5} {score:>6.1%}"
    )


def changed_areas(since: str) -> list[str]:
    """The areas with a function in a file changed since ``since`` (a git revision; the work
    tree's uncommitted changes count too)."""
    listed = subprocess.run(
        ["git", "diff", "--name-only", since, "--"],
        cwd=BASE,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    changed = set(listed)
    return [
        area
        for area, functions in AREAS.items()
        if any(f"{name.rpartition('.')[0].replace('.', '/')}.py" in changed for name in functions)
    ]


def main(argv: list[str]) -> int:
    report_only = "--report" in argv  # --pending, --survivors: see below
    areas = [a for a in argv if not a.startswith("--")] or list(AREAS)
    # --changed=REV: only the areas whose code changed since REV (make mutation CHANGED=REV).
    since = next((a.partition("=")[2] for a in argv if a.startswith("--changed")), None)
    if since is not None:
        areas = changed_areas(since or "HEAD")
        if not areas:
            print(f"No mutated function changed since {since or 'HEAD'}: nothing to run.")
            return 0
        print(f"Areas changed since {since or 'HEAD'}: {', '.join(areas)}")
    unknown = set(areas) - set(AREAS)
    if unknown:
        print(f"Unknown area: {', '.join(sorted(unknown))}. Areas: {', '.join(AREAS)}")
        return 2
    if not report_only:
        if not os.environ.get("DATABASE_URL"):
            print("Set DATABASE_URL to a database of its own for mutation runs (see Makefile).")
            return 2
        patterns = [f"{function}__mutmut_*" for area in areas for function in AREAS[area]]
        if "--pending" in argv or "--survivors" in argv:
            # --pending: only the mutants not yet run or that survived (and are not accepted):
            # after adding tests, the mutants already killed stay killed; this confirms the
            # rest. --survivors: only those that survived the last time they ran.
            accepted = equivalents()
            functions = {f for a in areas for f in AREAS[a]}
            known = {
                name: code
                for name, code in results().items()
                if re.sub(r"__mutmut_\d+$", "", name) in functions
            }
            names = [
                name
                for name, code in known.items()
                if name not in accepted
                and (code is None or status_of(code) != "killed")
                and (code is not None or "--survivors" not in argv)
            ]
            if known and not names:
                return report(areas)
            if known:
                patterns = names
            else:
                # A fresh mutants/ (a new machine): nothing generated yet to pick from, so the
                # whole areas run (the accepted equivalents too, and are reported as such).
                print("No mutants generated yet for these areas: running them all.")
        children = os.environ.get("MUTATION_CHILDREN", "1")
        subprocess.run(
            [str(BASE / ".venv/bin/mutmut"), "run", "--max-children", children, *patterns],
            cwd=BASE,
            check=False,
        )
    return report(areas)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
