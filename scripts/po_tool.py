"""Maintainer tool for the Vietnamese catalogue: list untranslated msgids, or fill them.

    python scripts/po_tool.py list  > /tmp/todo.txt     # "N<TAB>msgid" per untranslated entry
    python scripts/po_tool.py fill /tmp/done.txt        # "N<TAB>Vietnamese" per line; N from `list`

Works on hoptac/locale/vi/LC_MESSAGES/django.po with the standard library only; compile with
`make messages` (msgfmt) afterwards.
"""

import re
import sys
from pathlib import Path

PO = Path(__file__).resolve().parent.parent / "hoptac" / "locale" / "vi" / "LC_MESSAGES" / "django.po"
ENTRY = re.compile(
    r'(?m)^((?:#.*\n)*)msgid ((?:".*"\n)+)(msgid_plural (?:".*"\n)+)?((?:msgstr(?:\[\d\])? (?:".*"\n)+)+)'
)


def unquote(block: str) -> str:
    parts = re.findall(r'"(.*)"', block)
    return "".join(parts).encode("utf-8").decode("unicode_escape").encode("latin-1").decode("utf-8")


def quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def entries(text: str):
    for m in ENTRY.finditer(text):
        msgid = unquote(m.group(2))
        if not msgid:
            continue
        yield m, msgid


def main() -> None:
    text = PO.read_text(encoding="utf-8")
    # Untranslated entries, and makemessages' fuzzy guesses (never compiled, often wrong).
    todo = [
        (m, msgid)
        for m, msgid in entries(text)
        if "fuzzy" in m.group(1) or not unquote(m.group(4).split("msgstr", 2)[1])
    ]
    if sys.argv[1] == "list":
        for n, (_m, msgid) in enumerate(todo):
            print(f"{n}\t{msgid!r}")
        return
    done = {}
    for line in Path(sys.argv[2]).read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            n, vi = line.split("\t", 1)
            done[int(n)] = vi
    out, last = [], 0
    for n, (m, msgid) in enumerate(todo):
        if n not in done:
            continue
        comments = "".join(
            line
            for line in m.group(1).splitlines(keepends=True)
            if "fuzzy" not in line and not line.startswith("#|")
        )
        plural = m.group(3) or ""
        stars = f"msgstr[0] {quote(done[n])}\n" if plural else f"msgstr {quote(done[n])}\n"
        out.append(text[last : m.start()] + comments + f"msgid {quote(msgid)}\n" + plural + stars)
        last = m.end()
    out.append(text[last:])
    result = "".join(out).replace(
        '"Plural-Forms: nplurals=INTEGER; plural=EXPRESSION;\\n"', '"Plural-Forms: nplurals=1; plural=0;\\n"'
    )
    PO.write_text(result, encoding="utf-8")
    print(f"filled {len(done)} of {len(todo)}")


if __name__ == "__main__":
    main()
