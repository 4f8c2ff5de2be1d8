"""The table of output formats: every renderer, printer and rule about a format comes from its row."""

import importlib
import re
from pathlib import Path

import pytest

from ant_cli.core.plan import Format, View
from ant_cli.output import Item, render
from ant_cli.output.formats import FORMATS, Printer
from ant_cli.output.stream_printers import EventPrinter, LinePrinter, PrettyPrinter, TextPrinter, make_printer

PACKAGE = Path(__file__).resolve().parents[2] / "ant_cli"
# Defaults and the plan's own values may be named; deciding what a format is may not happen outside the table.
ALLOWED = {"core/plan.py", "output/formats.py", "core/types.py"}
DECIDING = re.compile(r"Format\.(?!AUTO\b|TEXT\b)[A-Z]+|(?:fmt|format)\s+(?:not\s+)?in\s+\(")


def test_every_concrete_format_has_a_row_with_a_renderer_module():
    assert set(FORMATS) == set(Format)
    for fmt, spec in FORMATS.items():
        if fmt is not Format.AUTO:
            assert callable(importlib.import_module(spec.module).render), fmt


def test_no_module_outside_the_table_decides_what_a_format_is():
    offenders = [f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}"
                 for path in PACKAGE.rglob("*.py") if str(path.relative_to(PACKAGE)) not in ALLOWED
                 for number, line in enumerate(path.read_text().splitlines(), start=1) if DECIDING.search(line)]
    assert not offenders, "decide it in ant_cli/output/formats.py:\n" + "\n".join(offenders)


@pytest.mark.parametrize("fmt", [fmt for fmt in Format if fmt is not Format.AUTO])
def test_the_printer_and_bare_strings_follow_the_row(fmt):
    spec = FORMATS[fmt]
    kinds = {Printer.TEXT: TextPrinter, Printer.PRETTY: PrettyPrinter, Printer.LINE: LinePrinter,
             Printer.EVENT: EventPrinter}
    assert type(make_printer(View(fmt), None)) is kinds[spec.printer]
    bare = render(Item({"completion": "hi"}), View(fmt, "completion", raw_output=True))
    assert (bare == b"hi\n") is spec.bare_strings or fmt in (Format.TEXT, Format.PRETTY)
