# The desktop app's memory (issue #14), sourced by bench/run: the app started as a user starts it
# (target/verifull.jar with the installed launcher's JVM options) under its own Xvfb with an XEmbed
# tray (trayer), in a fresh home whose saved profile for the benchmark's PostgreSQL starts with
# the app. Per start: RSS and PSS with the window open and idle for $app_idle seconds after it
# shows; then the window closed to the tray (Ctrl+W, what a user's close does with a tray), a
# COPY out of $copy_mb MB through the profile's local port, $app_idle seconds idle, RSS and PSS
# again. Uses bench/run's work dir, pids, free_port, wait_for, log and die, and writes its rows
# into the run's raw.tsv; it runs before bench/run defines its other helpers (--app-only).

app_counting=1
app_record() { [ $app_counting = 0 ] || printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$work/raw.tsv"; }
app_proc_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
app_proc_ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# CPU of PID since TICKS over the idle period, in % of one core.
app_cpu_pct() { python3 -c "import sys; print(round(($(app_proc_ticks "$1") - $2) / $(getconf CLK_TCK) / $app_idle * 100, 2))"; }
app_port_ready() { python3 -c 'import socket,sys; socket.create_connection(("127.0.0.1",int(sys.argv[1])),1).close()' "$1"; }

# The JVM options of the installed desktop launcher (jpackage's --java-options in the app image's
# argument files: the common one and Linux's), so the rows follow what users run.
app_launcher_options() {
  sed -n 's/^--java-options[[:space:]]\{1,\}//p' "$ROOT/installers/app-image.args" "$ROOT/installers/linux/app-image.args"
}

# A variant adds JVM options to the launcher's ("default": none), to compare one change side by
# side with what is installed, on the same machine and PostgreSQL.
app_variant_options() {
  case "$1" in
    default) ;;
    # The app before 2026-12-04: JavaFX's own pipeline order, and the heap as the JVM sizes it
    # below the launcher's -Xmx (here 1/64 of 24 GB is above it: -Xms = -Xmx) with its default
    # free ratios.
    before) echo "-Dprism.order=es2,sw -Xms256m -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70" ;;
    # JavaFX's own pipeline order, as the app had it before SoftwareRendering (app/os): under Xvfb
    # es2 loads Mesa and LLVM, refuses their software OpenGL and falls back to sw anyway.
    es2) echo "-Dprism.order=es2,sw" ;;
    # JavaFX's software renderer, named (what the app now picks itself without a usable GPU).
    sw) echo "-Dprism.order=sw" ;;
    # The heap as before (-Xms = -Xmx here, default free ratios), the pipeline as now.
    heapbefore) echo "-Xms256m -XX:MinHeapFreeRatio=40 -XX:MaxHeapFreeRatio=70" ;;
    # Smaller thread stacks and code cache.
    stacks) echo "-Xss512k -XX:ReservedCodeCacheSize=32m" ;;
    *) die "unknown app variant $1 (app_memory.sh lists them)" ;;
  esac
}

app_display="" app_tray_pid=""
# One Xvfb and one tray for all starts. The display number is picked at random above 100 (as
# xvfb-run does from 99) and checked by talking to the server, since other runs may start X
# servers on this machine at the same time; a server that does not answer is replaced.
app_display_start() {
  local n xpid
  for _ in $(seq 10); do
    n=$((100 + RANDOM % 800))
    if [ -e "/tmp/.X$n-lock" ] || [ -e "/tmp/.X11-unix/X$n" ]; then continue; fi
    Xvfb ":$n" -screen 0 1280x800x24 -nolisten tcp >"$work/app-xvfb.log" 2>&1 &
    xpid=$!
    for _ in $(seq 100); do
      DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1 && break
      kill -0 "$xpid" 2>/dev/null || break
      sleep 0.1
    done
    if DISPLAY=":$n" xdotool getdisplaygeometry >/dev/null 2>&1; then
      pids+=($xpid)
      app_display=":$n"
      break
    fi
    kill "$xpid" 2>/dev/null || true
    wait "$xpid" 2>/dev/null || true
  done
  [ -n "$app_display" ] || die "no Xvfb display came up: $(tail -n 3 "$work/app-xvfb.log")"
  # An XEmbed tray, so the app installs its icon and closing the window hides it (without a tray,
  # closing the window quits the app).
  DISPLAY=$app_display trayer --edge top --align right --widthtype pixel --width 200 \
    --heighttype pixel --height 32 >"$work/app-trayer.log" 2>&1 &
  app_tray_pid=$!
  pids+=($app_tray_pid)
  # trayer owns the tray selection once its window exists.
  wait_for 20 "trayer in $app_display" env DISPLAY="$app_display" xdotool search --name '^panel$'
}

# A fresh home with the settings a returning user has: one profile for the benchmark's PostgreSQL
# (loopback only, verified against the test CA and the name localhost, started with the app, the
# editor's defaults otherwise) and the tray already explained (no dialog on the first close).
app_write_home() {  # app_write_home HOME LISTEN_PORT
  mkdir -p "$1/.config/verifull"
  python3 - "$1/.config/verifull" "$2" "$pg_port" "$work/ca.pem" <<'EOF'
import json, os, sys
cfg, listen, upstream, ca = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
profile = {
    "name": "bench", "upstreamHost": "127.0.0.1", "upstreamPort": upstream, "serverName": "localhost",
    "caFiles": [ca], "systemTrust": False, "tls13Only": False, "directTls": False,
    "listenPort": listen, "binding": "LOCAL_ONLY", "allowUsers": [], "allowTags": [],
    "defaultDatabase": "bench", "defaultUser": "postgres", "startWithApp": True, "tlsProvider": "auto",
    # the editor's defaults for a new profile (Profile.blank: "Low latency" on, 50 us)
    "maxSessions": 200, "warmUpstreams": 0, "busyPollMicros": 50, "allowThisMachine": False,
    "offerClientTls": False, "importedFrom": {}, "metricsPort": 0,
}
with open(os.path.join(cfg, "profiles.json"), "w") as f:
    json.dump({"schema": 1, "profiles": [profile]}, f, indent=2)
with open(os.path.join(cfg, "ui.json"), "w") as f:
    json.dump({"x": 0, "y": 0, "width": 1280, "height": 800, "maximized": False,
               "appearance": "SYSTEM", "trayExplained": True}, f)
EOF
}

# After --app-idle seconds of idling, the app's CPU over them, RSS, PSS and threads, recorded as
# app_<what>_$1; the largest mappings go to the work dir (read with --keep). Uses the caller's
# pid, v, tag and work. $2 says what came before, for the error if the app is gone.
app_idle_readings() {
  local ticks
  ticks=$(app_proc_ticks "$pid")
  sleep "$app_idle"
  kill -0 "$pid" 2>/dev/null || die "the app ($v) exited $2: $(tail -n 5 "$work/$tag.log")"
  app_record "app_cpu_$1_pct" "app-$v" "$(app_cpu_pct "$pid" "$ticks")"
  app_record "app_rss_$1_mb" "app-$v" "$(( $(app_proc_kb "$pid" VmRSS) / 1024 ))"
  pmap -x "$pid" 2>/dev/null | sort -k3 -n -r | head -n 40 >"$work/$tag-pmap-$1.txt" || true
  app_record "app_pss_$1_mb" "app-$v" "$(( $(app_pss_kb "$pid") / 1024 ))"
  app_record "app_threads_$1" "app-$v" "$(app_proc_kb "$pid" Threads)"
}

app_visible_window() { { DISPLAY=$app_display xdotool search --onlyvisible --name '^Verifull$' 2>/dev/null || true; } | head -n 1; }
app_pss_kb() { awk '$1 == "Pss:" {print $2}' "/proc/$1/smaps_rollup" 2>/dev/null || echo 0; }

app_measure_start() {  # app_measure_start VARIANT N
  local v=$1 n=$2 tag=app-$1-$2
  local home=$work/$tag-home port pid wid t0 t1 got
  port=$(free_port)
  app_write_home "$home" "$port"
  # shellcheck disable=SC2046,SC2086
  env -u VERIFULL_HOME -u XDG_CONFIG_HOME -u XDG_STATE_HOME -u XDG_DATA_HOME HOME="$home" DISPLAY="$app_display" \
    java $(app_launcher_options) $(app_variant_options "$v") -XX:ErrorFile="$work/$tag-hs_err.log" -Duser.home="$home" -jar "$jar" \
    >"$work/$tag.log" 2>&1 &
  pid=$!
  pids+=($pid)
  for _ in $(seq 600); do
    wid=$(app_visible_window)
    [ -n "$wid" ] && break
    kill -0 "$pid" 2>/dev/null || die "the app ($v) exited before showing its window: $(tail -n 5 "$work/$tag.log")"
    sleep 0.1
  done
  [ -n "$wid" ] || die "the app ($v) showed no window within 60 s"
  wait_for 30 "the app's profile ($v) on port $port" app_port_ready "$port"
  [ "$n" = 1 ] && [ $smoke = 0 ] && DISPLAY=$app_display import -window root "$work/$tag-window.png" 2>/dev/null || true
  app_idle_readings window "while idle"

  # Close the window as a user would (Ctrl+W: the close request, which hides it with a tray). No
  # window manager runs here, so the window is given the keyboard focus directly first.
  for attempt in 1 2 3; do
    DISPLAY=$app_display timeout 10 xdotool windowfocus --sync "$wid" key --clearmodifiers ctrl+w >/dev/null 2>&1 || true
    for _ in $(seq 50); do [ -z "$(app_visible_window)" ] && break; sleep 0.1; done
    [ -z "$(app_visible_window)" ] && break
  done
  [ -z "$(app_visible_window)" ] || die "the app's window ($v) did not close to the tray"
  sleep 1
  kill -0 "$pid" 2>/dev/null || die "the app ($v) quit when its window closed (no tray?): $(tail -n 5 "$work/$tag.log")"

  t0=$(date +%s.%N)
  got=$(env -u PGHOSTADDR -u PGSSLROOTCERT PGHOST=127.0.0.1 PGPORT="$port" PGSSLMODE=disable PGUSER=postgres \
    PGDATABASE=bench PGCONNECT_TIMEOUT=20 \
    psql -X -q -c "COPY (SELECT repeat('x', 1023) FROM generate_series(1, $app_rows)) TO STDOUT" | wc -c) \
    || die "COPY out through the app ($v) failed"
  t1=$(date +%s.%N)
  [ "$got" = "$app_bytes" ] || die "COPY out through the app ($v) delivered $got bytes, expected $app_bytes"
  app_record app_copy_out_s "app-$v" "$(awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f", b - a}')"
  app_idle_readings tray "after the COPY"
  app_record app_hwm_mb "app-$v" "$(( $(app_proc_kb "$pid" VmHWM) / 1024 ))"
  # What a full collection in the tray would give back (the heap shrinks only in one, and only
  # down to -Xms): one through jcmd (its attach costs a little memory itself), read 2 s later.
  if [ $smoke = 0 ] && command -v jcmd >/dev/null && jcmd "$pid" GC.run >/dev/null 2>&1; then
    sleep 2
    app_record app_rss_tray_gc_mb "app-$v" "$(( $(app_proc_kb "$pid" VmRSS) / 1024 ))"
  fi

  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}

# The rows: $app_starts fresh starts per variant, interleaved so drift spreads over the variants.
app_memory_rows() {
  app_rows=$((copy_mb * 1024)) app_bytes=$((copy_mb * 1024 * 1024))
  log "desktop app: $app_starts start(s) of ${app_variants// /, } under Xvfb with a tray, $app_idle s idle, $copy_mb MB COPY"
  app_display_start
  local n v
  if [ $smoke = 0 ]; then
    # The first app on a fresh display ran 45-60 MB above every later start of the same build in
    # each run (whatever the variant): one start that is not counted.
    app_counting=0
    app_measure_start "${app_variants%% *}" 0
    app_counting=1
  fi
  for n in $(seq "$app_starts"); do
    for v in $app_variants; do
      app_measure_start "$v" "$n"
    done
  done
  log "desktop app measured"
}

# Lines for meta.txt.
app_memory_meta() {
  echo "app_idle_s=$app_idle"
  echo "app_starts=$app_starts"
  echo "app_jvm_options=$(app_launcher_options | tr '\n' ' ' | sed 's/ $//')"
}

# --app-only: meta and the report (the app's table only) without the rest of the run.
app_memory_report() {
  {
    echo "date=$(date -u +%Y-%m-%dT%H:%MZ)"
    echo "mode=$([ $smoke = 1 ] && echo smoke || echo full)"
    echo "copy_mb=$copy_mb"
    echo "cpus=$(nproc)"
    echo "kernel=$(uname -r)"
    echo "java=$(java -version 2>&1 | awk -F'"' 'NR==1 {print $2}')"
    app_memory_meta
  } >"$work/meta.txt"
  local report_dir=${out:-$work}
  mkdir -p "$report_dir"
  python3 "$LIB/report.py" "$work/raw.tsv" "$work/meta.txt" "$report_dir/app.json" | tee "$report_dir/app.md"
}
