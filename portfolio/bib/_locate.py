"""Where things are in a BibTeX file's text: the line of each entry and of a field in it,
and each entry's span (pure text scanning, no parsing: problems are located with it even
when pybtex cannot read the file)."""

from __future__ import annotations

import re

ENTRY_START = re.compile(r"^[ \t]*@[ \t]*(\w+)[ \t]*[{(][ \t\r\n]*([^,\s]+)[ \t]*,", re.MULTILINE)


def entry_lines(text: str) -> dict[str, list[int]]:
    lines: dict[str, list[int]] = {}
    line, counted = 1, 0
    for m in ENTRY_START.finditer(text):
        line += text.count("\n", counted, m.start())
        counted = m.start()
        if m.group(1).lower() in {"comment", "preamble", "string"}:
            continue
        lines.setdefault(m.group(2).lower(), []).append(line)
    return lines


def field_line(text: str, entry_line: int, name: str) -> int:
    """Best-effort line of ``name = ...`` inside the entry that starts at ``entry_line``."""
    lines = text.split("\n")
    pattern = re.compile(r"^\s*" + re.escape(name) + r"\s*=", re.IGNORECASE)
    for i in range(entry_line - 1, len(lines)):
        if i > entry_line - 1 and ENTRY_START.match(lines[i] + ","):
            break
        if pattern.match(lines[i]):
            return i + 1
    return entry_line
