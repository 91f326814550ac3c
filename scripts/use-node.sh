# Source this file (". scripts/use-node.sh") to get Node 24 on PATH.
# When the system Node is older than 22.12 it installs the npm package `node@24`
# into .tools/ (git-ignored) once and puts its bin folder first on PATH, so that
# npm, npx and every script of the project then run under Node 24.
_hub_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
_hub_node_ok() {
  command -v node >/dev/null 2>&1 || return 1
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>22||(a===22&&b>=12)?0:1)'
}
if ! _hub_node_ok; then
  _hub_bin="$_hub_root/.tools/node_modules/.bin"
  if [ ! -x "$_hub_bin/node" ]; then
    echo "use-node: system Node is older than 22.12; installing node@24 into .tools/" >&2
    mkdir -p "$_hub_root/.tools"
    npm install --prefix "$_hub_root/.tools" --no-save --no-audit --no-fund --loglevel=error node@24 >&2
  fi
  export PATH="$_hub_bin:$PATH"
  # npm 11 ships with the system Node; with .tools first on PATH it runs under Node 24.
  if ! _hub_node_ok; then
    echo "use-node: could not get Node >= 22.12 on PATH" >&2
    return 1 2>/dev/null || exit 1
  fi
fi
unset -f _hub_node_ok
unset _hub_root _hub_bin
