"""A copy of the fixture course whose chapter beta carries script in a formula and a javascript: link."""
from __future__ import annotations

import shutil
from pathlib import Path

from tests.conftest import FIXTURES

HOSTILE_LINES = [
    "毛利率 $\\text{</span><script>document.title='pwned';window.pwned=1</script>}$ 很高。",
    "",
    "详见 $\\href{javascript:window.pwned=2}{链接}$ 与 [这里](javascript:window.pwned=3)。",
    "",
    '<img src="x" onerror="window.pwned=4">',
]


def hostile_course(tmp_path: Path) -> tuple[Path, Path]:
    """(content dir, the hostile chapter file); the hostile lines are lines 10-14 of beta.md."""
    content = tmp_path / "hostile-content"
    shutil.copytree(FIXTURES / "content", content)
    chapter = content / "chapters" / "beta.md"
    text = chapter.read_text(encoding="utf-8").replace("数据仓库是面向主题的数据集合。\n",
                                                        "数据仓库是面向主题的数据集合。\n\n" + "\n".join(HOSTILE_LINES) + "\n")
    chapter.write_text(text, encoding="utf-8")
    return content, chapter
