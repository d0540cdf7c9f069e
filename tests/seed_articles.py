"""An independent parse of the seed texts into numbered articles, to check the catalog against.

Labels: 一、 (top), （一） (second), 1. (third), each at the start of a line. A document inside the
001 file starts at the line that begins with its title and ends where the next one starts."""

import re
from pathlib import Path

SEEDS = Path(__file__).parent / "data" / "seeds"
CN = "一二三四五六七八九十"
LEVELS = [re.compile(rf"^\s*([{CN}]+)、"), re.compile(rf"^\s*[（(]([{CN}]+)[）)]"),
          re.compile(r"^\s*(\d+)\s*[.．](?!\d)")]


def _doc_lines(doc, all_docs) -> list[str]:
    name = doc.file.replace(".txt", ".simplified.txt") if doc.traditional else doc.file
    lines = (SEEDS / name).read_text(encoding="utf-8").splitlines()
    siblings = [d for d in all_docs if d.file == doc.file]
    if len(siblings) == 1:
        return lines
    starts = sorted(next(i for i, line in enumerate(lines) if line.strip() and d.title.startswith(line.strip()[:14]))
                    for d in siblings)
    mine = next(i for i, line in enumerate(lines) if line.strip() and doc.title.startswith(line.strip()[:14]))
    later = [s for s in starts if s > mine]
    return lines[mine:later[0] if later else len(lines)]


def articles(doc, all_docs) -> dict[str, str]:
    """Leaf article path -> its text (from its label to the next label)."""
    found: list[tuple[str, int]] = []
    stack: list[tuple[int, str]] = []
    lines = _doc_lines(doc, all_docs)
    for i, line in enumerate(lines):
        for level, rx in enumerate(LEVELS):
            m = rx.match(line)
            if m:
                stack = [s for s in stack if s[0] < level] + [(level, m.group(1))]
                found.append(("/".join(x for _, x in stack), i))
                break
    out = {}
    for n, (path, start) in enumerate(found):
        end = found[n + 1][1] if n + 1 < len(found) else len(lines)
        if not any(p.startswith(path + "/") for p, _ in found):
            out[path] = "\n".join(lines[start:end])
    return out
