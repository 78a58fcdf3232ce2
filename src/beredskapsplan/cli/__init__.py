"""The `beredskap` command line. The only package that imports typer or rich.

One module per command group; `common` holds the app and what the commands share.
"""
from __future__ import annotations

import gc
import os
import sys

import typer

# each module adds its commands to `app`; the order here is the order in --help
from . import (validate, approve, record, calllist, authoring, importer, due,  # noqa: F401,I001
               render, changes, report)
from .common import EXIT_INTERNAL, app

__all__ = ["app", "main"]


def main() -> None:
    """Entry point: a last guard so no input ever ends in a Python traceback."""
    # A run makes many short-lived objects and almost no cycles: leave what is
    # loaded by now out of every collection, and collect less often (~7 % quicker)
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:  # e.g. `beredskap due | head`
        sys.stderr.close()
        sys.exit(0)
    except Exception as err:  # noqa: BLE001  (the guard itself)
        if os.environ.get("BEREDSKAP_DEBUG"):
            raise
        from .. import i18n

        error = f"{type(err).__name__}: {err}"
        typer.echo("beredskap: " + i18n.current()(i18n._(
            "internal error ({error}). This is a bug in beredskap, not in your plan: please "
            "report it with the command you ran; set BEREDSKAP_DEBUG=1 to see the details.",
            error=error)), err=True)
        sys.exit(EXIT_INTERNAL)
