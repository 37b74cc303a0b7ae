# Shared by the load scripts in this directory (sourced, not run).

# cleanup: stops the processes in PIDS and removes the directory WORK (both set by the script); for trap ... EXIT.
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}

# need_tools "COMMANDS" "DEBIAN PACKAGES": installs the packages with apt-get when a command is missing and this
# runs as root, else says what to install and stops.
need_tools() {
  local missing=() tool
  for tool in $1; do command -v "$tool" >/dev/null || missing+=("$tool"); done
  ((${#missing[@]})) || return 0
  if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null; then
    # shellcheck disable=SC2086 # the package list is meant to split
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $2 >/dev/null
  else
    echo "missing: ${missing[*]} (apt-get install $2)" >&2; return 1
  fi
}

# wait_port PORT: waits up to 10 s for something to listen on 127.0.0.1:PORT.
wait_port() {
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}

# ticks PID...: user + system clock ticks of the processes (fields 14 and 15 of /proc/PID/stat; the command name
# before them may hold spaces).
ticks() {
  local t=0 p f
  for p in "$@"; do read -ra f < <(cut -d')' -f2 "/proc/$p/stat"); t=$((t + f[11] + f[12])); done
  echo "$t"
}
