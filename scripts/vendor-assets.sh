#!/usr/bin/env bash
# Refreshes the vendored front-end files in hoptac/static/vendor from the npm registry.
# The product never loads anything from the internet: these copies are committed, and
# CI and production need neither npm nor a CDN. Run by hand when bumping a version.
set -euo pipefail
BOOTSTRAP=5.3.8 HTMX=2.0.8 ECHARTS=6.1.0 ICONS=1.13.2 AXE=4.14.1
root=$(cd "$(dirname "$0")/.." && pwd); out="$root/hoptac/static/vendor"; tmp=$(mktemp -d)
cd "$tmp"
npm pack --silent "bootstrap@$BOOTSTRAP" "htmx.org@$HTMX" "echarts@$ECHARTS" "bootstrap-icons@$ICONS" "axe-core@$AXE" >/dev/null
for f in *.tgz; do mkdir "${f%.tgz}"; tar xzf "$f" -C "${f%.tgz}"; done
install -D -m644 "bootstrap-$BOOTSTRAP/package/dist/css/bootstrap.min.css" "$out/bootstrap/bootstrap.min.css"
install -D -m644 "bootstrap-$BOOTSTRAP/package/dist/js/bootstrap.bundle.min.js" "$out/bootstrap/bootstrap.bundle.min.js"
install -D -m644 "bootstrap-$BOOTSTRAP/package/LICENSE" "$out/bootstrap/LICENSE"
install -D -m644 "htmx.org-$HTMX/package/dist/htmx.min.js" "$out/htmx/htmx.min.js"
install -D -m644 "htmx.org-$HTMX/package/LICENSE" "$out/htmx/LICENSE"
install -D -m644 "echarts-$ECHARTS/package/dist/echarts.min.js" "$out/echarts/echarts.min.js"
install -D -m644 "echarts-$ECHARTS/package/i18n/langVI.js" "$out/echarts/langVI.js"
install -D -m644 "echarts-$ECHARTS/package/LICENSE" "$out/echarts/LICENSE"
# Bootstrap Icons (MIT): a sprite of the icons the pages use (scripts/icon_sprite.py lists them).
python3 "$root/scripts/icon_sprite.py" "bootstrap-icons-$ICONS/package/icons"
install -D -m644 "bootstrap-icons-$ICONS/package/LICENSE" "$out/bootstrap-icons/LICENSE"
# axe-core (MPL-2.0) for the accessibility tests only: kept beside the tests, never served.
axe="$root/hoptac/core/tests/vendor/axe-core"
install -D -m644 "axe-core-$AXE/package/axe.min.js" "$axe/axe.min.js"
install -D -m644 "axe-core-$AXE/package/LICENSE" "$axe/LICENSE"
install -D -m644 "axe-core-$AXE/package/LICENSE-3RD-PARTY.txt" "$axe/LICENSE-3RD-PARTY.txt"
# Source maps are not shipped; drop the references so the manifest storage does not look for them.
sed -i 's|/\*# sourceMappingURL=[^*]*\*/||; s|//# sourceMappingURL=.*$||' "$out"/bootstrap/*.min.*
rm -rf "$tmp"
echo "vendored bootstrap $BOOTSTRAP, htmx $HTMX, echarts $ECHARTS, bootstrap-icons $ICONS into $out; axe-core $AXE into $axe"
