"""Build hoptac's small SVG sprite from Bootstrap Icons (MIT): only the icons the pages use.

    python scripts/icon_sprite.py PATH/TO/bootstrap-icons/icons   (scripts/vendor-assets.sh runs it)

The whole Bootstrap Icons sprite is 1.1 MB; pages use a dozen icons, so the sprite holds those
(a few kB). To use another icon: add its name to ICONS, re-run, and write `{% icon "name" %}`.
"""

import re
import sys
from pathlib import Path

ICONS = [
    "bell", "box-arrow-right", "check-circle-fill", "x-circle-fill", "exclamation-triangle-fill",
    "hourglass-split", "info-circle-fill", "list", "person-circle", "printer", "star-fill", "globe",
    "house", "search",
]  # fmt: skip
OUT = Path(__file__).resolve().parent.parent / "hoptac/static/vendor/bootstrap-icons/icons.svg"


def symbol(name: str, svg: str) -> str:
    box = re.search(r'viewBox="([^"]+)"', svg)
    body = re.sub(r"^.*?<svg[^>]*>|</svg>\s*$", "", svg.strip(), flags=re.S).strip()
    return f'<symbol id="{name}" viewBox="{box.group(1) if box else "0 0 16 16"}">{body}</symbol>'


def main(icons_dir: str) -> None:
    folder = Path(icons_dir)
    symbols = [symbol(name, (folder / f"{name}.svg").read_text(encoding="utf-8")) for name in ICONS]
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">\n<!-- Bootstrap Icons (MIT), see LICENSE -->\n'
        + "\n".join(symbols)
        + "\n</svg>\n",
        encoding="utf-8",
    )
    print(f"{len(symbols)} icons into {OUT}")


if __name__ == "__main__":
    main(sys.argv[1])
