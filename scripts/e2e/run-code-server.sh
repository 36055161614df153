#!/usr/bin/env bash
# `npm run test:e2e`: the end-to-end tests in a real VS Code, offline (npm registry + Debian archive only).
#   1. code-server 4.100.3 (= VS Code 1.100.3) from npm into a cache folder (scripts/e2e/install-code-server.sh)
#   2. build + package the extension (.vsix) and bundle the suite (test/e2e -> out/e2e)
#   3. suite: code-server + headless Debian chromium (playwright-core) run the Mocha suite in the real extension
#      host (extensionDevelopmentPath + extensionTestsPath in the URL payload; result via codeAutomationExit)
#   4. ui: a second code-server with the .vsix installed by `--install-extension`; checks squiggles, Problems,
#      status bar, hover, quick-fix menu + fix + save, token code lenses, a typed `uses:` completion (Ctrl+Space,
#      accepted), and takes the screenshots
# Artifacts (screenshots, results.json, logs) go to artifacts/e2e/ (git-ignored).
# Env: AW_E2E_CACHE (code-server cache root), AW_E2E_PHASES="suite ui", AW_E2E_SKIP_BUILD=1, CHROMIUM=/usr/bin/chromium
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
START=$(date +%s)
PHASES="${AW_E2E_PHASES:-suite ui}"
ART="$ROOT/artifacts/e2e"
say() { echo "[test:e2e $(( $(date +%s) - START ))s] $*"; }
rm -rf "$ART"; mkdir -p "$ART"
# code-server and chromium write config/state under XDG dirs: keep them out of the home folder
export XDG_CONFIG_HOME="$ART/xdg/config" XDG_DATA_HOME="$ART/xdg/data"
export npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false

# ---------------------------------------------------------------- prerequisites
CHROMIUM="${CHROMIUM:-$(command -v chromium || true)}"
if [ -z "$CHROMIUM" ] || ! command -v rg >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    say "apt-get install chromium ripgrep"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium ripgrep >/dev/null
    CHROMIUM="$(command -v chromium)"
  else
    echo "need Debian's chromium and ripgrep: sudo apt-get install -y chromium ripgrep" >&2; exit 2
  fi
fi
export CHROMIUM
say "installing / reusing code-server"
CODE_SERVER="$(scripts/e2e/install-code-server.sh | tail -1)"
"$CODE_SERVER" --version | head -1

# ---------------------------------------------------------------- build
if [ -z "${AW_E2E_SKIP_BUILD:-}" ]; then
  say "npm run package (minified build + .vsix)"
  npm run -s package >"$ART/package.log" 2>&1 || { cat "$ART/package.log"; exit 1; }
  grep -E 'Packaged' "$ART/package.log" || true
fi
node scripts/e2e/build-tests.mjs
VSIX="$ROOT/actions-warden.vsix"
[ -f "$VSIX" ] || { echo "missing $VSIX" >&2; exit 1; }

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
CS_PID=""
stop_server() { if [ -n "$CS_PID" ]; then kill -- "-$CS_PID" 2>/dev/null || true; wait "$CS_PID" 2>/dev/null || true; CS_PID=""; fi; }
trap stop_server EXIT

# $1 = phase dir; prepares a fresh workspace (copy of the fixtures), user data and extensions dir
prepare() {
  local R="$1"
  mkdir -p "$R/user-data/User" "$R/extensions" "$R/out"
  cp -R "$ROOT/test/e2e/fixtures/workspace" "$R/ws"
  cat > "$R/user-data/User/settings.json" <<'EOF'
{ "security.workspace.trust.enabled": false, "workbench.startupEditor": "none", "telemetry.telemetryLevel": "off",
  "extensions.autoCheckUpdates": false, "extensions.autoUpdate": false, "update.mode": "none",
  "workbench.tips.enabled": false, "extensions.ignoreRecommendations": true, "workbench.enableExperiments": false,
  "git.enabled": false, "chat.commandCenter.enabled": false, "window.commandCenter": false }
EOF
}

# $1 = phase dir, $2 = port; starts code-server in its own process group
start_server() {
  local R="$1" PORT="$2"
  setsid "$CODE_SERVER" --auth none --bind-addr "127.0.0.1:$PORT" --disable-telemetry --disable-update-check \
    --disable-workspace-trust --disable-getting-started-override \
    --extensions-dir "$R/extensions" --user-data-dir "$R/user-data" "$R/ws" >"$R/code-server.log" 2>&1 &
  CS_PID=$!
  for _ in $(seq 1 300); do curl -s -o /dev/null "http://127.0.0.1:$PORT/healthz" && return 0; sleep 0.1; done
  echo "code-server did not start, see $R/code-server.log" >&2; return 1
}

RC=0
for PHASE in $PHASES; do
  R="$ART/$PHASE"; prepare "$R"; PORT="$(free_port)"
  case "$PHASE" in
    suite)
      # the suite writes results.json through this variable (the extension host inherits code-server's env)
      export AW_E2E_RESULTS="$R/out/suite-results.json"
      start_server "$R" "$PORT"
      P="[[\"extensionDevelopmentPath\",\"vscode-remote://127.0.0.1:$PORT$ROOT\"],[\"extensionTestsPath\",\"vscode-remote://127.0.0.1:$PORT$ROOT/out/e2e\"]]"
      URL="http://127.0.0.1:$PORT/?folder=$R/ws&payload=$(node -p 'encodeURIComponent(process.argv[1])' "$P")"
      say "suite: Mocha suite in the extension host (code-server :$PORT)"
      if node scripts/e2e/drive.mjs suite "$URL" "$R/out"; then say "suite: PASS"; else say "suite: FAIL (see $R)"; RC=1; fi
      if [ -f "$AW_E2E_RESULTS" ]; then
        node -e 'const r=require(process.argv[1]);for(const t of r.results)console.log(`  ${t.state==="passed"?"✔":t.state==="pending"?"-":"✘"} ${t.title}${t.ms!==undefined?` (${t.ms} ms)`:""}${t.error?"\n      "+t.error.split("\n").slice(0,6).join("\n      "):""}`);console.log(`  ${r.results.filter(t=>t.state==="passed").length} passed, ${r.failures} failed, ${r.results.filter(t=>t.state==="pending").length} pending in ${r.seconds}s`)' "$AW_E2E_RESULTS"
      else
        echo "  (no suite results: the suite did not run; see $R/code-server.log)"; RC=1
      fi
      unset AW_E2E_RESULTS ;;
    ui)
      say "ui: code-server --install-extension $(basename "$VSIX")"
      "$CODE_SERVER" --extensions-dir "$R/extensions" --user-data-dir "$R/user-data" --install-extension "$VSIX" >"$R/install.log" 2>&1 \
        || { cat "$R/install.log"; RC=1; continue; }
      start_server "$R" "$PORT"
      say "ui: workbench checks + screenshots (code-server :$PORT)"
      if node scripts/e2e/drive.mjs ui "http://127.0.0.1:$PORT/?folder=$R/ws" "$R/out" "$R/ws"; then say "ui: PASS"; else say "ui: FAIL (see $R)"; RC=1; fi ;;
    *) echo "unknown phase $PHASE" >&2; exit 2 ;;
  esac
  stop_server
done

say "screenshots: $(ls "$ART"/*/out/*.png 2>/dev/null | sed "s|$ROOT/||" | tr '\n' ' ')"
[ $RC = 0 ] && say "E2E OK" || say "E2E FAILED"
exit $RC
