"""Ending a short script cleanly.

The temporalio client can crash the interpreter while it shuts down (SIGSEGV or abort, exit code
139/134) after all the work is done: temporalio/sdk-python#300. ``run_and_exit`` runs the
script's coroutine, flushes the output and leaves with ``os._exit``, which skips the interpreter
finalization where the crash happens.
"""

from __future__ import annotations

import asyncio
import os
import sys
import traceback
from typing import Any, Coroutine, NoReturn


def run_and_exit(main: Coroutine[Any, Any, int | None]) -> NoReturn:
    """Runs ``main`` and exits the process with its return value (None = 0).

    An uncaught exception prints its traceback and exits 1; KeyboardInterrupt exits 130.
    """
    try:
        rc = asyncio.run(main) or 0
    except KeyboardInterrupt:
        rc = 130
    except SystemExit as e:
        rc = e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    except BaseException:  # noqa: BLE001 - anything else is reported and turned into exit 1
        traceback.print_exc()
        rc = 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(rc)
