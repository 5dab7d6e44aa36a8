"""Where a question comes from, as a student reads it: never a file name or an editor's note.

`source` in a bank names the course document (a file under the seeds) for authors; students see
its readable title, or the question's own `origin:` when the bank gives a finer one
(e.g. 课后习题答案册 · 第一章讨论题).
"""
from __future__ import annotations

import re

SOURCE_TITLES = {
    "000_02926f54ab03f01d.txt": "课程资料 · 名词解释与简答",
    "001_42feb80bfa2b42e2.txt": "考试复习攻略",
    "002_9aa2e5230123c8d8.txt": "课程标准与课后习题答案册",
    "003_dd88102e8e8ed431.txt": "期末复习题集",
    "004_6d224ebb44ad64e7.txt": "期末试卷、作业与案例资料",
    "editor": "编者自拟",
}

# What must never reach a student: a document's file name, or a note about how the item was edited.
# Nor a remark on where it came from: merged duplicates, “原资料”, text copied from the web, or a
# source document's number (000–004; not a digit run, decimal, hex colour or identifier such as 2004, 0.005, #007bff).
EDITOR_NOTE = re.compile(r"\w+\.txt|编者|原题|原文|原稿|草稿|答案书|答案册|原答案|原题干|已改正|已更正|更正为|已恢复|已删除|网页未附|题库"
                         r"|已合并|合并到本题|合并为本题|号资料|原资料|摘自网络|另一道同|同名名词解释|同名题|各出现一次|共出现[两三四]次"
                         r"|(?<![0-9A-Za-z_.,#:/-])00\d(?![0-9A-Za-z%])")


def origin_label(source: str, origin: str = "") -> str:
    """The readable origin of a question: its `origin:` if given, else its source document's title."""
    if origin:
        return origin
    return SOURCE_TITLES.get(source, "编者自拟" if not source.endswith(".txt") else "课程资料")


def learner_text_problems(raw: dict) -> list[str]:
    """Reasons a question's student-facing text carries an editor note or a file name."""
    fields = ("stem", "explanation", "reference_answer", "origin")
    texts = [(f, str(raw.get(f) or "")) for f in fields]
    texts += [("options", str(o)) for o in raw.get("options") or []]
    return [f"{field} 含有编者说明或文件名（“{m.group(0)}”）：请移到 editor_note（学生看不到）"
            for field, text in texts for m in [EDITOR_NOTE.search(text)] if m]
