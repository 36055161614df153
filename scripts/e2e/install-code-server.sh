#!/usr/bin/env bash
# Installs code-server (= a real VS Code workbench + extension host) from the npm registry ONLY, into a cache
# folder outside node_modules, so `npm ci` stays light and the install is reused between runs.
# It never contacts GitHub or nodejs.org: code-server's postinstall (which downloads binaries) is skipped and
# replaced by local builds (node-gyp with the local Node headers) and Debian's ripgrep.
# See ../../docs/e2e.md and the verified recipe this follows.
#
# Usage: scripts/e2e/install-code-server.sh         prints the code-server executable path on the last line
# Env:   AW_E2E_CACHE   cache root (default ${XDG_CACHE_HOME:-$HOME/.cache}/actions-warden-e2e)
#        CS_VERSION     default 4.100.3 (VS Code 1.100.3, the newest code-server built for Node 20)
set -euo pipefail
CS_VERSION="${CS_VERSION:-4.100.3}"
CACHE="${AW_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/actions-warden-e2e}"
CS_DIR="$CACHE/code-server-$CS_VERSION"
BIN="$CS_DIR/node_modules/.bin/code-server"
log() { echo "[install-code-server] $*" >&2; }

if [ -f "$CS_DIR/.ready" ] && [ -x "$BIN" ]; then
  echo "$BIN"; exit 0
fi

[ "$(node -p 'process.versions.node.split(".")[0]')" = 20 ] || { log "code-server $CS_VERSION needs Node 20 (found $(node --version))"; exit 2; }
command -v rg >/dev/null || { log "ripgrep missing: apt-get install -y ripgrep"; exit 2; }
NODE_GYP="$(npm prefix -g)/lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
[ -f "$NODE_GYP" ] || { log "npm's bundled node-gyp not found at $NODE_GYP"; exit 2; }
# node-gyp would download Node headers from nodejs.org: use local ones (npm config nodedir, or Debian's /usr).
NODEDIR="${NODEDIR:-$(npm config get nodedir 2>/dev/null || true)}"
case "$NODEDIR" in ""|undefined|null) NODEDIR="" ;; esac
[ -z "$NODEDIR" ] && [ -f /usr/include/node/node.h ] && NODEDIR=/usr
[ -n "$NODEDIR" ] && [ -f "$NODEDIR/include/node/node.h" ] || { log "no local Node headers (apt-get install -y libnode-dev, or set NODEDIR)"; exit 2; }
export npm_config_nodedir="$NODEDIR" npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

START=$(date +%s)
rm -rf "$CS_DIR"; mkdir -p "$CS_DIR"; cd "$CS_DIR"
echo '{"name":"aw-code-server-host","version":"1.0.0","private":true}' > package.json
log "npm install --ignore-scripts code-server@$CS_VERSION into $CS_DIR"
npm install --ignore-scripts --no-save --loglevel=error "code-server@$CS_VERSION" >&2
log "argon2 from source (its prebuilt binary comes from GitHub)"
npm_config_build_from_source=true npm rebuild argon2 --loglevel=error >&2
VS="$CS_DIR/node_modules/code-server/lib/vscode"
cd "$VS"
log "lib/vscode: npm install --omit=dev --ignore-scripts"
npm install --omit=dev --ignore-scripts --loglevel=error >&2
for m in @vscode/spdlog node-pty native-watchdog @vscode/deviceid; do
  log "node-gyp rebuild $m"
  (cd "node_modules/$m" && node "$NODE_GYP" rebuild --nodedir="$NODEDIR" >"$CS_DIR/gyp-${m//\//_}.log" 2>&1) \
    || { log "node-gyp failed for $m, see $CS_DIR/gyp-${m//\//_}.log"; exit 1; }
done
# kerberos is skipped on purpose (Kerberos proxy auth only, loaded lazily; needs libkrb5-dev).
mkdir -p node_modules/@vscode/ripgrep/bin && ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
# the rest of code-server's postinstall.sh, by hand
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm install --omit=dev --ignore-scripts --loglevel=error >&2 && node postinstall.mjs >/dev/null)
# code-server writes config/state under XDG dirs even for --version: keep them inside the cache
XDG_CONFIG_HOME="$CS_DIR/xdg/config" XDG_DATA_HOME="$CS_DIR/xdg/data" "$BIN" --version | head -1 >&2
date -u +%FT%TZ > "$CS_DIR/.ready"
log "done in $(( $(date +%s) - START ))s"
echo "$BIN"
