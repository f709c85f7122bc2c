"""The reproductions written up under docs/upstream/, as scripts the tests run."""

from __future__ import annotations

import ast
import re
from pathlib import Path


def upstream_script(doc: Path, tmp_path: Path, name: str = "repro.py") -> Path:
    """The one python block of the write-up ``doc``, written to ``tmp_path / name``."""
    blocks = re.findall(r"```python\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    assert len(blocks) == 1, f"{doc.name} should hold exactly one python block"
    ast.parse(blocks[0])
    script = tmp_path / name
    script.write_text(blocks[0], encoding="utf-8")
    return script
