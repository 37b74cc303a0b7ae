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

# start_backends DIR: two nginx backends (one worker each) serving a 612-byte page from DIR/www on
# 127.0.0.1:18101 and :18102; their pids are appended to PIDS. nginx's workers run as another user, so DIR and the
# page are made readable by everyone.
start_backends() {
  local dir=$1 port
  mkdir -p "$dir/www"
  head -c 612 /dev/zero | tr '\0' 'x' > "$dir/www/index.html"
  chmod 755 "$dir" "$dir/www" && chmod 644 "$dir/www/index.html"
  for port in 18101 18102; do
    cat > "$dir/nginx-$port.conf" <<CONF
worker_processes 1; daemon off; error_log $dir/nginx-$port.err warn; pid $dir/nginx-$port.pid;
events { worker_connections 4096; }
http { access_log off; keepalive_requests 1000000; client_body_temp_path $dir/b$port; proxy_temp_path $dir/p$port;
  fastcgi_temp_path $dir/f$port; uwsgi_temp_path $dir/u$port; scgi_temp_path $dir/s$port;
  server { listen 127.0.0.1:$port; root $dir/www; } }
CONF
    nginx -c "$dir/nginx-$port.conf" -p "$dir" & PIDS+=($!)
    wait_port "$port"
  done
}

# scheme_of MODE: http for plain, https for tls (HTTPS keep-alive) and tls-new (HTTPS, a new connection and a full
# handshake per request); any other mode stops the script.
scheme_of() {
  case $1 in
    plain) echo http ;;
    tls|tls-new) echo https ;;
    *) echo "mode: $1 (expected: plain, tls, tls-new)" >&2; exit 2 ;;
  esac
}

# make_certificate DIR: a self-signed ECDSA P-256 certificate, DIR/cert.pem + DIR/key.pem, and both in one file,
# DIR/haproxy.pem, for HAProxy.
make_certificate() {
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj /CN=bench.test \
    -keyout "$1/key.pem" -out "$1/cert.pem" 2>/dev/null
  cat "$1/cert.pem" "$1/key.pem" > "$1/haproxy.pem"
}

# gateway_config FILE DIR MODE [PORT=18080] [TLS_EXTRA]: writes the benchmark gateway's configuration to FILE: a
# listener on 127.0.0.1:PORT, round robin over the two backends, access log off; for tls and tls-new an https
# listener with DIR's certificate (make_certificate first). TLS_EXTRA, when given, is more members of the "tls"
# object (', "sessionTickets": true').
gateway_config() {
  local file=$1 dir=$2 protocol tls=""
  protocol=$(scheme_of "$3")
  if [[ $protocol == https ]]; then
    tls="\"tls\": { \"certificate\": \"$dir/cert.pem\", \"privateKey\": \"$dir/key.pem\" ${5:-}},"
  fi
  cat > "$file" <<JSON
{ "virtualServices": [ { "name": "bench", "listen": "127.0.0.1:${4:-18080}", "protocol": "$protocol", $tls
  "scheduling": "round-robin", "accessLog": false, "forwardedHeaders": true,
  "subServices": [ { "name": "pool", "default": true, "realServers": [
    { "name": "b1", "address": "127.0.0.1:18101" }, { "name": "b2", "address": "127.0.0.1:18102" } ] } ] } ] }
JSON
}

# wrk_run MODE PORT CONNECTIONS SECONDS [--latency]: wrk -t2 against /index.html on 127.0.0.1:PORT in MODE
# (tls-new sends Connection: close, so every request opens a connection and makes a full handshake).
wrk_run() {
  local mode=$1 port=$2 connections=$3 seconds=$4 close=()
  shift 4
  [[ $mode == tls-new ]] && close=(-H "Connection: close")
  wrk -t2 -c"$connections" -d"${seconds}s" "$@" "${close[@]}" "$(scheme_of "$mode")://127.0.0.1:$port/index.html"
}

# warm_up MODE PORT CONNECTIONS SECONDS PIECE: wrk against the proxy for SECONDS in runs of PIECE seconds (the
# measured runs' length), so that the warm-up also closes and opens the connections as every measured run does. A
# JVM that has only seen one long run deoptimizes its hottest code when the connections first close (the branches
# for closing were never taken) and recompiles it during the next runs (up to 2.4 us of C2 time per request, and
# slower code meanwhile, in the 10 s windows after a single 60 s warm-up; nothing measurable after 6 runs of 10 s:
# docs/benchmarks.md, session 13).
warm_up() {
  local left=$4 piece
  while ((left > 0)); do
    piece=$(( left < $5 ? left : $5 ))
    wrk_run "$1" "$2" "$3" "$piece" > /dev/null
    left=$((left - piece))
  done
}

# haproxy_config FILE DIR MODE: the benchmark HAProxy's configuration (two threads, keep-alive to the same two
# backends, round robin) listening on 127.0.0.1:18081; for tls and tls-new with DIR's certificate (make_certificate
# first) and ALPN http/1.1.
haproxy_config() {
  local bind="bind 127.0.0.1:18081"
  [[ $(scheme_of "$3") == https ]] && bind="$bind ssl crt $2/haproxy.pem alpn http/1.1"
  cat > "$1" <<CFG
global
  nbthread 2
  maxconn 4096
defaults
  mode http
  option http-keep-alive
  option forwardfor
  timeout connect 3s
  timeout client 60s
  timeout server 60s
  http-reuse safe
frontend bench
  $bind
  default_backend pool
backend pool
  balance roundrobin
  server b1 127.0.0.1:18101
  server b2 127.0.0.1:18102
CFG
}
