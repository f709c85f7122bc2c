"""Waiting in the Pilot tests: poll the app until a condition holds, never sleep a fixed time.

On sys.path through pytest's ``pythonpath`` (pyproject.toml): ``from waiting import wait_until``.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


async def wait_until(pilot: Any, condition: Callable[[], object], what: str, timeout: float = 5.0) -> None:
    """Let the app process its messages until ``condition()`` holds; fail naming ``what``."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause()
