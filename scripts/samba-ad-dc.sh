#!/usr/bin/env bash
# A throw-away Samba Active Directory domain controller for the LDAP adapter's integration tests.
#
#   scripts/samba-ad-dc.sh start    provision a fresh domain and start it (ok when already running)
#   scripts/samba-ad-dc.sh stop     stop it (ok when not running)
#   scripts/samba-ad-dc.sh status   exit 0 when running and answering, 1 otherwise
#   scripts/samba-ad-dc.sh env      print connection settings as NAME=value lines
#
# Realm CONTOSO.TEST, loopback only, LDAP service only. Every file lives under
# <repo>/.tmp/samba-ad/ (gitignored). The administrator password is generated per provision and
# kept in a 0600 file whose path `env` prints; this script never prints a password.
# Ports 389/636 are fixed, so only one DC can run per machine: `start` stops a DC left behind by
# an earlier run (of this or another checkout) and refuses to touch anything else on those ports.
# Needs root (provisioning sets NT ACLs) and the Debian packages from install-system-deps.sh.
set -euo pipefail

repo_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
state_root="$repo_dir/.tmp"
dc_dir="$state_root/samba-ad"
lock_file="$state_root/samba-ad.lock"
pid_file="$dc_dir/samba.pid"
password_file="$dc_dir/admin-password"
smb_conf="$dc_dir/etc/smb.conf"
samba_log="$dc_dir/log/samba.stdout.log"
tls_dir="$dc_dir/tls"

realm=CONTOSO.TEST
domain=CONTOSO
base_dn='DC=contoso,DC=test'
ready_timeout_s=${SAMBA_AD_READY_TIMEOUT_S:-30}

say() { echo "samba-ad-dc: $*" >&2; }
fail() {
  say "error: $*"
  exit 1
}

usage() {
  echo "usage: $0 start|stop|status|env" >&2
  exit 2
}

# Whether $1 is a live samba process whose files live in a `.tmp/samba-ad/` layout (ours or
# another checkout's). Guards against signalling a recycled PID or somebody else's server. Samba
# rewrites its command line ("samba: root process"), so look at its executable and open files.
is_our_samba() {
  local pid=$1 exe
  exe="$(readlink "/proc/$pid/exe" 2>/dev/null)" || return 1
  [[ "$(basename "$exe")" == samba ]] || return 1
  find "/proc/$pid/fd" -maxdepth 1 -type l -lname '*/.tmp/samba-ad/*' 2>/dev/null | grep -q .
}

recorded_pid() {
  [ -s "$pid_file" ] || return 1
  local pid
  pid="$(cat "$pid_file")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  is_our_samba "$pid" || return 1
  echo "$pid"
}

stop_pid() {
  local pid=$1
  kill -TERM "$pid" 2>/dev/null || return 0
  for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  say "PID $pid ignored SIGTERM for 10 s; sending SIGKILL"
  kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 50); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.1
  done
  fail "could not stop PID $pid"
}

# Test DCs of ours still running (this checkout's or another's): found through /proc, so a lost
# PID file does not matter.
our_sambas() {
  local proc pid
  for proc in /proc/[0-9]*; do
    pid=${proc#/proc/}
    if is_our_samba "$pid"; then echo "$pid"; fi
  done
}

# PIDs listening on the LDAP ports (389, 636, 3268, 3269), one per line; empty without `ss`.
ldap_port_holders() {
  command -v ss >/dev/null || return 0
  ss -Hltnp '( sport = :389 or sport = :636 or sport = :3268 or sport = :3269 )' 2>/dev/null |
    { grep -o 'pid=[0-9]*' || true; } | cut -d= -f2 | sort -u
}

free_ldap_ports() {
  local pid
  for pid in $(our_sambas); do
    say "stopping a DC left over from an earlier run (PID $pid)"
    stop_pid "$pid"
  done
  for _ in $(seq 1 50); do
    [ -z "$(ldap_port_holders)" ] && return 0
    sleep 0.1
  done
  pid="$(ldap_port_holders | head -n 1)"
  fail "the LDAP ports (389/636) are held by PID $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null || echo unknown)), which is not a test DC of ours; stop it first"
}

# Answers when LDAP on 389 returns the rootDSE and LDAPS on 636 completes a handshake that
# verifies our test CA for `localhost` (the name the tests use).
probe_ready() {
  local deadline_ms=$1
  (cd "$repo_dir" && node - "$tls_dir/ca.pem" "$deadline_ms" <<'NODE'
const { readFileSync } = require('node:fs');
const { Client } = require('ldapts');
const [caFile, deadlineMs] = process.argv.slice(2);
const deadline = Date.now() + Number(deadlineMs);
const ca = readFileSync(caFile);
async function rootDse(url) {
  // ldapts switches to implicit TLS whenever tlsOptions are given, even for ldap:// URLs.
  const tlsOptions = url.startsWith('ldaps:') ? { ca } : undefined;
  const client = new Client({ url, timeout: 2000, connectTimeout: 2000, tlsOptions });
  try {
    const { searchEntries } = await client.search('', {
      scope: 'base',
      filter: '(objectClass=*)',
      attributes: ['defaultNamingContext'],
    });
    return searchEntries[0]?.defaultNamingContext;
  } finally {
    await client.unbind().catch(() => undefined);
  }
}
(async () => {
  let last = 'no answer';
  for (;;) {
    try {
      if ((await rootDse('ldap://127.0.0.1:389')) && (await rootDse('ldaps://localhost:636'))) {
        process.exit(0);
      }
    } catch (error) {
      last = error instanceof Error ? error.message : String(error);
      if (/certificate|altname|self.signed/i.test(last)) break;
    }
    if (Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  console.error(`samba-ad-dc: not ready: ${last}`);
  process.exit(1);
})();
NODE
  )
}

make_certificates() {
  mkdir -p "$tls_dir"
  local conf="$tls_dir/server.ext"
  cat >"$conf" <<'EOF'
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyEncipherment
extendedKeyUsage = serverAuth
subjectAltName = DNS:localhost, IP:127.0.0.1, IP:::1, DNS:dc1.contoso.test
EOF
  (
    cd "$tls_dir"
    openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout ca-key.pem -out ca.pem -days 7 -subj '/CN=Revoke test CA' \
      -addext 'basicConstraints=critical,CA:TRUE' -addext 'keyUsage=critical,keyCertSign,cRLSign'
    openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
      -keyout key.pem -out server.csr -subj '/CN=dc1.contoso.test'
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial \
      -out cert.pem -days 7 -extfile server.ext
    # Samba refuses a key file that others can read.
    chmod 600 key.pem ca-key.pem
  ) >"$tls_dir/openssl.log" 2>&1 || {
    cat "$tls_dir/openssl.log" >&2
    fail "could not create the test certificates"
  }
}

generate_admin_password() {
  # Four character classes, so it meets AD complexity whatever the random part holds.
  local random
  random="$(openssl rand -hex 16)"
  (umask 077 && printf 'Rv-%s-Q9' "$random" >"$password_file")
}

provision() {
  local empty_conf="$dc_dir/empty.conf" log="$dc_dir/log/provision.log"
  mkdir -p "$dc_dir/log" "$dc_dir/run"
  : >"$empty_conf"
  generate_admin_password
  make_certificates
  # The admin password is on this command line for a moment; acceptable for a throw-away
  # loopback domain, and samba-tool has no file option for it.
  if ! samba-tool domain provision -s "$empty_conf" --targetdir="$dc_dir" \
    --realm="$realm" --domain="$domain" --server-role=dc --dns-backend=NONE \
    --adminpass="$(cat "$password_file")" --host-name=dc1 \
    --option="interfaces = lo" \
    --option="bind interfaces only = yes" \
    --option="server services = ldap" \
    --option="pid directory = $dc_dir/run" \
    --option="ncalrpc dir = $dc_dir/run/ncalrpc" \
    --option="winbindd socket directory = $dc_dir/run/winbindd" \
    --option="ntp signd socket directory = $dc_dir/run/ntp_signd" \
    --option="log file = $dc_dir/log/samba.log" \
    --option="tls enabled = yes" \
    --option="tls keyfile = $tls_dir/key.pem" \
    --option="tls certfile = $tls_dir/cert.pem" \
    --option="tls cafile = $tls_dir/ca.pem" \
    >"$log" 2>&1; then
    tail -n 30 "$log" >&2
    fail "provisioning failed (full log: $log)"
  fi
}

cmd_start() {
  [ "$(id -u)" -eq 0 ] || fail "must run as root (provisioning sets NT ACLs); try: sudo $0 start"
  command -v samba >/dev/null && command -v samba-tool >/dev/null ||
    fail "Samba is not installed; run: bash scripts/install-system-deps.sh"
  [ -d "$repo_dir/node_modules/ldapts" ] || fail "node_modules is missing; run: npm ci"

  local started_at pid
  started_at=$(date +%s%N)
  if pid="$(recorded_pid)"; then
    if probe_ready 3000 2>/dev/null; then
      say "already running (PID $pid)"
      return 0
    fi
    say "PID $pid does not answer; starting afresh"
    stop_pid "$pid"
  fi
  free_ldap_ports

  rm -rf "$dc_dir"
  mkdir -p "$dc_dir"
  provision

  # setsid + redirected stdio: the DC must not hold the caller's terminal or pipes open, or a CI
  # step that started it would wait for it forever.
  # fd 9 is our lock: the DC must not inherit it.
  setsid samba -F -M single -s "$smb_conf" -l "$dc_dir/log" \
    </dev/null >"$samba_log" 2>&1 9>&- &
  pid=$!
  echo "$pid" >"$pid_file"

  if ! probe_ready $((ready_timeout_s * 1000)); then
    if kill -0 "$pid" 2>/dev/null; then stop_pid "$pid"; fi
    tail -n 30 "$samba_log" "$dc_dir/log/samba.log" 2>/dev/null >&2 || true
    fail "the DC did not become ready within ${ready_timeout_s} s (logs in $dc_dir/log)"
  fi
  say "ready (PID $pid) in $((($(date +%s%N) - started_at) / 1000000)) ms"
}

cmd_stop() {
  local pid
  if pid="$(recorded_pid)"; then
    stop_pid "$pid"
    say "stopped (PID $pid)"
  else
    say "not running"
  fi
  rm -f "$pid_file"
}

cmd_status() {
  local pid
  if pid="$(recorded_pid)" && probe_ready 2000 2>/dev/null; then
    say "running (PID $pid)"
    return 0
  fi
  say "not running"
  return 1
}

cmd_env() {
  [ -s "$password_file" ] || fail "not provisioned; run: $0 start"
  cat <<EOF
SAMBA_AD_URL=ldaps://localhost:636
SAMBA_AD_PLAIN_URL=ldap://localhost:389
SAMBA_AD_CA_FILE=$tls_dir/ca.pem
SAMBA_AD_BASE_DN=$base_dn
SAMBA_AD_ADMIN_DN=CN=Administrator,CN=Users,$base_dn
SAMBA_AD_ADMIN_PASSWORD_FILE=$password_file
SAMBA_AD_REALM=$realm
SAMBA_AD_DOMAIN=$domain
EOF
}

[ $# -eq 1 ] || usage
mkdir -p "$state_root"
# One start/stop at a time: parallel test processes share the fixed ports.
exec 9>"$lock_file"
flock -w 120 9 || fail "timed out waiting for another samba-ad-dc.sh to finish ($lock_file)"
case "$1" in
  start) cmd_start ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  env) cmd_env ;;
  *) usage ;;
esac
