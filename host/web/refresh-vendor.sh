#!/usr/bin/env bash
# Refresh the vendored xterm.js bundle in host/web/vendor from the npm registry,
# at the pinned versions below. Only the built UMD files, the CSS and the
# licenses are copied; the Rust server embeds them with include_bytes!.
#
# Usage: host/web/refresh-vendor.sh      (needs node/npm and tar)
set -euo pipefail

XTERM_VERSION=5.5.0
FIT_VERSION=0.10.0
WEB_LINKS_VERSION=0.11.0

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vendor="$here/vendor"
tmp="$(mktemp -d "${TMPDIR:-/tmp}/revenant-web-vendor.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# npm pack downloads the tarball and checks it against the registry's integrity hash.
fetch() { # fetch <package@version> <dir-name>
	local spec="$1" dir="$2" tgz
	tgz="$(cd "$tmp" && npm pack --silent "$spec" | tail -n 1)"
	mkdir -p "$tmp/$dir"
	tar -xzf "$tmp/$tgz" -C "$tmp/$dir" --strip-components=1
	echo "fetched $spec ($tgz)" >&2
}

fetch "@xterm/xterm@$XTERM_VERSION" xterm
fetch "@xterm/addon-fit@$FIT_VERSION" addon-fit
fetch "@xterm/addon-web-links@$WEB_LINKS_VERSION" addon-web-links

mkdir -p "$vendor"
install -m 0644 "$tmp/xterm/lib/xterm.js" "$vendor/xterm.js"
install -m 0644 "$tmp/xterm/css/xterm.css" "$vendor/xterm.css"
install -m 0644 "$tmp/xterm/LICENSE" "$vendor/LICENSE.xterm"
install -m 0644 "$tmp/addon-fit/lib/addon-fit.js" "$vendor/addon-fit.js"
install -m 0644 "$tmp/addon-fit/LICENSE" "$vendor/LICENSE.addon-fit"
install -m 0644 "$tmp/addon-web-links/lib/addon-web-links.js" "$vendor/addon-web-links.js"
install -m 0644 "$tmp/addon-web-links/LICENSE" "$vendor/LICENSE.addon-web-links"

cat > "$vendor/VERSIONS" <<VERSIONS
@xterm/xterm $XTERM_VERSION
@xterm/addon-fit $FIT_VERSION
@xterm/addon-web-links $WEB_LINKS_VERSION
VERSIONS

cd "$vendor"
sha256sum xterm.js xterm.css addon-fit.js addon-web-links.js LICENSE.xterm LICENSE.addon-fit LICENSE.addon-web-links
