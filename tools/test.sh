#!/usr/bin/env bash
# The one test command: installs what the tests need, starts what is not running, runs
# every check and every test tier, and prints "Tests: N passed, N failed".
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_ENV=test CI="${CI:-}"
mkdir -p tmp

step() { printf '\n==> %s\n' "$*"; }

step "system packages"
need=()
command -v slapd >/dev/null 2>&1 || [ -x /usr/sbin/slapd ] || need+=(slapd)
command -v ldapadd >/dev/null 2>&1 || need+=(ldap-utils)
command -v pg_isready >/dev/null 2>&1 || need+=(postgresql-client)
# Samba AD DC for the Active Directory connector's tests (LDAP service only, started by the tests)
command -v samba-tool >/dev/null 2>&1 || need+=(samba samba-ad-dc samba-ad-provision ldb-tools)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  # The packages must not start their own system daemons (slapd and samba would take ports 389/636 that the
  # tests' own servers use): Debian's policy-rc.d hook refuses service starts while we install.
  own_policy=""
  if [ ! -e /usr/sbin/policy-rc.d ]; then printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod +x /usr/sbin/policy-rc.d; own_policy=1; fi
  set +e
  apt-get install -y --no-install-recommends "${need[@]}" >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y --no-install-recommends "${need[@]}" >/dev/null; }
  apt_rc=$?
  set -e
  if [ -n "$own_policy" ]; then rm -f /usr/sbin/policy-rc.d; fi
  if [ $apt_rc -ne 0 ]; then echo "could not install ${need[*]} with apt-get" >&2; exit 1; fi
fi
# The Debian package starts its own slapd on 389; the tests start theirs on free ports.

step "local servers"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
fi
if ! (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null; then
  command -v nats-server >/dev/null 2>&1 || [ -x /usr/sbin/nats-server ] || apt-get install -y nats-server >/dev/null
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/nats-server -- -a 127.0.0.1 -p 4222 -js -sd /var/lib/nats-server -l /var/log/nats-server.log
  for _ in $(seq 1 50); do (exec 3<>/dev/tcp/127.0.0.1/4222) 2>/dev/null && break; sleep 0.2; done
fi

step "node packages"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  # `npm install` rather than `npm ci`: npm 11 leaves other platforms' optional packages
  # (buf, swc, nx binaries) out of the lock file and `npm ci` then refuses it. The lock's
  # versions are still what gets installed.
  npm install --no-audit --no-fund
fi

step "contracts: buf lint, generated code up to date, buf breaking"
npx buf lint
npx buf generate
if [ -n "$(git status --porcelain -- libs/shared/contracts/src/gen)" ]; then
  echo "generated contracts are out of date: run 'npm run generate' and commit" >&2; git status --porcelain -- libs/shared/contracts/src/gen >&2; exit 1
fi
if git rev-parse -q --verify HEAD~1 >/dev/null; then npx buf breaking --against '.git#ref=HEAD~1'; fi

step "typecheck"
npx tsc -p tsconfig.json --noEmit

step "lint (module boundaries, guarded endpoints)"
NX_DAEMON=false npx nx show projects >/dev/null
npx eslint .

step "deployment files"
node -r ./tools/register.js tools/check-deploy.ts

step "tests: unit, integration, e2e"
set +e
npx jest --maxWorkers=2 --json --outputFile=tmp/jest-results.json
jest_rc=$?
set -e
node -e '
const r = require("./tmp/jest-results.json");
const skipped = r.numPendingTests + r.numTodoTests;
console.log(`\nTests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
if (r.numTotalTests === 0) { console.error("no test ran"); process.exit(1); }
'
exit $jest_rc
