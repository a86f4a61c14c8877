#!/usr/bin/env python3
"""Turn the raw measurements of bench/run into a table (stdout), JSON and a gnuplot chart.

usage: report.py RAW META OUT_JSON [OUT_PNG]

RAW has one "key<TAB>path<TAB>value" line per measurement; META has "name=value" lines
describing the run. The chart is drawn only when OUT_PNG is given and gnuplot is installed.
"""
import json
import math
import statistics
import shutil
import subprocess
import sys

# "relay" is a reference, not a contender: a TCP relay (socat) with TLS end to end, i.e. the cost
# of the extra hop alone. The set of paths is narrowed to those measured in main().
PATHS = ["direct", "verifull-default", "verifull-prev", "verifull-prevjvm", "verifull-c1", "verifull-lazyjit", "verifull-nocds", "verifull-cds", "verifull-jdk25", "verifull-aot", "verifull-jdk", "verifull-bc", "verifull-openssl", "verifull-nio", "verifull-warm", "verifull-poll", "stunnel",
         "pgbouncer", "pgbouncer-fresh",
         "relay"]
PROXIES = PATHS[1:]
VERIFULL = [p for p in PATHS if p.startswith("verifull-")]
PEERS = ["stunnel", "pgbouncer"]

# key, label, unit, better (None: not compared with direct), steady-state row (goal: Verifull ahead of both peers)
METRICS = [
    ("tps_c1", "select-only TPS, 1 client", "tps", "higher", True),
    ("tps_c8", "select-only TPS, 8 clients", "tps", "higher", True),
    ("tps_c32", "select-only TPS, 32 clients", "tps", "higher", True),
    ("conn_per_s", "new connections/s (-C, 4 clients)", "1/s", "higher", False),
    ("lat_p50_ms", "select 1 latency p50", "ms", "lower", True),
    ("lat_p99_ms", "select 1 latency p99", "ms", "lower", True),
    ("copy_out_s", "COPY out {copy_mb} MB", "s", "lower", True),
    ("copy_in_s", "COPY in {copy_mb} MB", "s", "lower", True),
    ("copy_in_backend_busy_pct", "  server backend busy during COPY in (its CPU ÷ wall time)", "%", None, False),
    ("tps_c1_tls", "select-only TPS, 1 client, client sslmode=require", "tps", "higher", False),
    ("cpu_us_per_txn_c8", "proxy CPU per transaction, 8 clients", "µs", "lower", False),
    ("idle_cpu_pct", "proxy CPU with 100 idle sessions (% of one core)", "%", "lower", False),
    ("ready_ms", "start to ready line (fresh process, median)", "ms", "lower", False),
    ("ready_cpu_ms", "  CPU time of the process to the ready line (median)", "ms", "lower", False),
    ("tps_first5_c1", "select-only TPS, 1 client, first 5 s after the ready line", "tps", "higher", False),
    ("tps_5s_c1", "  the same 5 s run on the warm process (new server backends too)", "tps", "higher", False),
    ("first5_vs_warm_c1", "  first 5 s ÷ that warm 5 s run, 1 client", "×", None, False),
    ("first5_vs_steady_c1", "  first 5 s ÷ the warm steady-state TPS above, 1 client", "×", None, False),
    ("tps_first5_c8", "select-only TPS, 8 clients, first 5 s after the ready line", "tps", "higher", False),
    ("tps_5s_c8", "  the same 5 s run on the warm process (new server backends too)", "tps", "higher", False),
    ("first5_vs_warm_c8", "  first 5 s ÷ that warm 5 s run, 8 clients", "×", None, False),
    ("first5_vs_steady_c8", "  first 5 s ÷ the warm steady-state TPS above, 8 clients", "×", None, False),
    ("five_vs_steady_c1", "a 5 s run ÷ steady-state TPS, 1 client (what new backends cost a short run)", "×", None, False),
    ("five_vs_steady_c8", "a 5 s run ÷ steady-state TPS, 8 clients", "×", None, False),
    ("rss_start_mb", "proxy RSS at the ready line", "MB", "lower", False),
    ("cpu_ms_per_conn", "proxy CPU per new connection", "ms", "lower", False),
    ("cpu_total_s", "proxy CPU, all tests above", "s", "lower", False),
    ("rss_mb", "proxy RSS after the tests above", "MB", "lower", False),
    ("hwm_mb", "proxy peak RSS", "MB", "lower", False),
    ("idle_kb_per_session", "Verifull memory per idle session (the two rows below)", "KB", "lower", False),
    ("idle_native_kb_per_session", "  outside the heap: RSS slope, {half} to {idle} open", "KB", "lower", False),
    ("idle_heap_kb_per_session", "  in the heap: live heap slope after full GC", "KB", "lower", False),
    ("idle_rss_half_mb", "Verifull RSS with {half} idle sessions (256 MB heap, pre-touched)", "MB", "lower", False),
    ("idle_rss_with_mb", "Verifull RSS with {idle} idle sessions (256 MB heap, pre-touched)", "MB", "lower", False),
]
# Chart clusters: metric key and a short label (the direct figure is added below it).
CHART = [("tps_c1", "TPS, 1 client"), ("tps_c8", "TPS, 8 clients"), ("tps_c32", "TPS, 32 clients"),
         ("conn_per_s", "new connections/s"), ("lat_p50_ms", "select 1 p50"), ("lat_p99_ms", "select 1 p99"),
         ("copy_out_s", "COPY out"), ("copy_in_s", "COPY in")]
SHORT = {"direct": "direct", "verifull-default": "default", "verifull-prev": "prev default", "verifull-c1": "default+C1", "verifull-lazyjit": "default, JIT thresholds x3", "verifull-cds": "default+AppCDS", "verifull-nocds": "default w/o CDS", "verifull-jdk25": "default on JDK 25", "verifull-aot": "JDK 25+AOT cache", "verifull-prevjvm": "prev+JVM opts", "verifull-jdk": "jdk", "verifull-bc": "bc", "verifull-openssl": "openssl", "verifull-nio": "openssl on NIO",
         "verifull-warm": "openssl+warm",
         "verifull-poll": "warm+poll",
         "stunnel": "stunnel", "pgbouncer": "pgbouncer", "pgbouncer-fresh": "pgbouncer, new backends", "relay": "relay"}


# The desktop app (bench/lib/app_memory.sh): its own table, one column per launcher variant
# ("app-default" is what the installers ship), the median over the starts.
APP_METRICS = [
    ("app_rss_window_mb", "app RSS, window open and idle {app_idle_s} s after it shows", "MB"),
    ("app_pss_window_mb", "  PSS (shared pages split among the processes using them)", "MB"),
    ("app_threads_window", "  threads", ""),
    ("app_cpu_window_pct", "  CPU while idle (% of one core)", "%"),
    ("app_copy_out_s", "COPY out {copy_mb} MB through the app's profile, window closed to the tray", "s"),
    ("app_rss_tray_mb", "app RSS in the tray, {app_idle_s} s after that COPY", "MB"),
    ("app_pss_tray_mb", "  PSS", "MB"),
    ("app_threads_tray", "  threads", ""),
    ("app_cpu_tray_pct", "  CPU while idle (% of one core)", "%"),
    ("app_rss_tray_gc_mb", "  RSS after a full GC then (jcmd GC.run)", "MB"),
    ("app_hwm_mb", "app peak RSS (window, COPY, tray)", "MB"),
]
APP_IDLE_TARGET_MB = 200


def app_table(values, meta):
    """The app's rows as a table and a list of row dicts (for the JSON)."""
    variants = sorted({p for k, _, _ in APP_METRICS for p in values.get(k, {})},
                      key=lambda p: (p != "app-default", p))
    if not variants:
        return []
    rows, lines = [], []
    for key, label, unit in APP_METRICS:
        if key not in values:
            continue
        label = label.format(copy_mb=meta.get("copy_mb", "?"), app_idle_s=meta.get("app_idle_s", "?"))
        rows.append({"key": key, "label": label, "unit": unit,
                     "values": {p: values[key].get(p) for p in variants if p in values[key]}})
        lines.append([f"{label} ({unit})" if unit else label]
                     + [fmt(values[key].get(p), unit) for p in variants])
    header = ["desktop app (median of " + meta.get("app_starts", "?") + " starts)"] + [p[len("app-"):] for p in variants]
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines)]

    def line(cells):
        return "| " + " | ".join([str(cells[0]).ljust(widths[0])] + [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:])]) + " |"

    print(line(header))
    print("|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|")
    for cells in lines:
        print(line(cells))
    print("JVM options of the installed app (default): " + meta.get("app_jvm_options", "?"))
    return rows


def app_goals(values):
    rss = values.get("app_rss_window_mb", {}).get("app-default")
    if rss is None:
        return []
    return [{"provider": "app-default", "goal": f"idle app (window open) under {APP_IDLE_TARGET_MB} MB RSS",
             "pass": rss < APP_IDLE_TARGET_MB, "detail": f"{rss:.0f} MB"}]


def load(raw_path, meta_path):
    raw = {}
    with open(raw_path) as f:
        for line in f:
            if line.strip():
                key, path, value = line.rstrip("\n").split("\t")
                raw.setdefault(key, {}).setdefault(path, []).append(float(value))
    meta = {}
    with open(meta_path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                meta[k] = v
    return raw, meta


def derive(raw, meta):
    """One value per metric and path (median of the rounds), plus per-proxy CPU figures from the
    tick counts recorded around each test (summed over the rounds)."""
    values = {k: {p: statistics.median(xs) for p, xs in v.items()}
              for k, v in raw.items() if not k.startswith(("cpu_", "txns_", "backend_"))}
    hz = float(meta.get("clk_tck", 100))
    # COPY in is as fast as the server backend can take rows: at ~100 % busy no path can be faster.
    for p, ticks in raw.get("backend_ticks_copy_in", {}).items():
        walls = raw.get("copy_in_s", {}).get(p, [])
        busy = [t / hz / w * 100 for t, w in zip(ticks, walls) if w > 0]
        if busy:
            values.setdefault("copy_in_backend_busy_pct", {})[p] = statistics.median(busy)
    for c in (1, 8):
        # The goal's ratio sets the first 5 s against the same 5-second run on the warm process:
        # both pay for new server backends, so only the proxy's own start separates them.
        steady = values.get(f"tps_c{c}", {})
        five = values.get(f"tps_5s_c{c}", {})
        for p, first in values.get(f"tps_first5_c{c}", {}).items():
            if five.get(p):
                values.setdefault(f"first5_vs_warm_c{c}", {})[p] = first / five[p]
            if steady.get(p):
                values.setdefault(f"first5_vs_steady_c{c}", {})[p] = first / steady[p]
        for p, f in five.items():
            if steady.get(p):
                values.setdefault(f"five_vs_steady_c{c}", {})[p] = f / steady[p]
    raw = {k: {p: sum(xs) for p, xs in v.items()} for k, v in raw.items() if k.startswith(("cpu_", "txns_"))}
    for p in PROXIES:
        cpu = {k[len("cpu_"):]: v[p] / hz for k, v in raw.items() if k.startswith("cpu_") and p in v}
        if not cpu:
            continue
        values.setdefault("cpu_total_s", {})[p] = sum(cpu.values())
        txns = raw.get("txns_tps_c8", {}).get(p)
        if txns and "tps_c8" in cpu:
            values.setdefault("cpu_us_per_txn_c8", {})[p] = cpu["tps_c8"] / txns * 1e6
        conns = raw.get("txns_conn_per_s", {}).get(p)
        if conns and "conn_per_s" in cpu:
            values.setdefault("cpu_ms_per_conn", {})[p] = cpu["conn_per_s"] / conns * 1e3
    return values


def ratio(metric, better, path, values):
    """Performance relative to direct: above 1 is better than direct (times are inverted)."""
    d, v = values.get(metric, {}).get("direct"), values.get(metric, {}).get(path)
    if better is None or d is None or v is None or d <= 0 or v <= 0:
        return None
    return v / d if better == "higher" else d / v


def fmt(v, unit):
    if v is None:
        return "–"
    if unit in ("tps", "1/s"):
        return f"{v:,.0f}" if v >= 100 else f"{v:,.1f}"
    if unit in ("ms", "µs"):
        return f"{v:.3f}" if v < 1 else f"{v:,.2f}"
    if unit == "s":
        return f"{v:.2f}"
    if unit == "%":
        return f"{v:.2f}" if v < 10 else f"{v:.0f}"
    if unit == "×":
        return f"{v:.2f}"
    return f"{v:,.1f}"


def build(values, meta):
    rows = []
    for key, label, unit, better, steady in METRICS:
        if key not in values:
            continue
        idle = int(meta.get("idle_sessions", 0))
        label = label.format(copy_mb=meta.get("copy_mb", "?"), idle=idle, half=idle // 2)
        row = {"key": key, "label": label, "unit": unit, "better": better, "steady_state": steady,
               "values": {p: values[key].get(p) for p in PATHS if p in values[key]},
               "ratio_vs_direct": {}}
        for p in PROXIES:
            r = ratio(key, better, p, values)
            if r is not None:
                row["ratio_vs_direct"][p] = round(r, 3)
        rows.append(row)
    return rows


def goals(values):
    out = []

    def check(provider, name, ok, detail):
        out.append({"provider": provider, "goal": name, "pass": bool(ok), "detail": detail})

    for p in VERIFULL:
        r = ratio("tps_c1", "higher", p, values)
        if r is not None:
            check(p, "TPS at 1 client >= 0.85x direct", r >= 0.85, f"{r:.2f}x")
        for key in ("copy_out_s", "copy_in_s"):
            r = ratio(key, "lower", p, values)
            if r is not None:
                check(p, f"{key[:-2].replace('_', ' ')} >= 0.8x direct", r >= 0.8, f"{r:.2f}x")
        r = ratio("conn_per_s", "higher", p, values)
        if r is not None:
            check(p, "new connections/s >= direct", r >= 1.0, f"{r:.2f}x")
        behind, compared = [], 0
        for key, _, _, better, steady in METRICS:
            if not steady or key not in values or p not in values[key]:
                continue
            for peer in PEERS:
                pv, vv = values[key].get(peer), values[key][p]
                if pv is None:
                    continue
                compared += 1
                ahead = vv > pv if better == "higher" else vv < pv
                if not ahead:
                    behind.append(f"{key} vs {peer}")
        if compared:  # not when the peers were not measured (--first-only)
            check(p, "ahead of stunnel and PgBouncer on every steady-state row", not behind,
                  "behind on " + ", ".join(behind) if behind else "ahead on all")
        idle_cpu = values.get("idle_cpu_pct", {}).get(p)
        if idle_cpu is not None:
            check(p, "CPU with 100 idle sessions < 1 % of a core", idle_cpu < 1, f"{idle_cpu:.2f} %")
        kb = values.get("idle_kb_per_session", {}).get(p)
        if kb is not None:
            check(p, "memory per idle session < 64 KB", kb < 64, f"{kb:.1f} KB")
    # What a user gets without options, against the previous defaults measured in the same run.
    new, old = "verifull-default", "verifull-prev"
    for c in (1, 8):
        r = values.get(f"first5_vs_warm_c{c}", {}).get(new)
        if r is not None:
            check(new, f"first 5 s at >= 0.95x the warm process's 5 s run, {c} client(s)", r >= 0.95, f"{r:.2f}x")
    ready = values.get("ready_ms", {}).get(new)
    if ready is not None:
        check(new, "ready line within 1 s", ready <= 1000, f"{ready:.0f} ms")
    hwm = values.get("hwm_mb", {}).get(new)
    if hwm is not None:
        check(new, "peak RSS under 256 MB", hwm < 256, f"{hwm:.0f} MB")
    a, b = values.get("cpu_us_per_txn_c8", {}).get(new), values.get("cpu_us_per_txn_c8", {}).get(old)
    if a and b:
        check(new, "CPU per transaction <= 1.10x the previous default", a <= 1.10 * b, f"{a / b:.2f}x")
    worse = []
    for key, _, _, better, steady in METRICS:
        if not (steady and better == "higher") or key not in values:
            continue
        a, b = values[key].get(new), values[key].get(old)
        if a and b and a < 0.97 * b:
            worse.append(f"{key} {a / b:.2f}x")
    if values.get("tps_c1", {}).get(old):
        check(new, "no throughput row more than 3 % below the previous default", not worse,
              ", ".join(worse) if worse else "none")
    return out


def scores(values):
    """Geometric mean of the ratios vs direct over the throughput/latency rows, per proxy."""
    result = {}
    for p in PROXIES:
        rs = [ratio(k, b, p, values) for k, _, _, b, steady in METRICS if steady]
        rs = [r for r in rs if r]
        if rs:
            result[p] = round(math.exp(sum(math.log(r) for r in rs) / len(rs)), 3)
    return result


def print_table(rows, meta):
    header = ["metric"] + [SHORT[p] for p in PATHS] + [f"{SHORT[p]} ÷ direct" for p in PROXIES]
    lines = []
    for row in rows:
        cells = [f"{row['label']} ({row['unit']})"]
        cells += [fmt(row["values"].get(p), row["unit"]) for p in PATHS]
        cells += [f"{row['ratio_vs_direct'][p]:.2f}" if p in row["ratio_vs_direct"] else "–" for p in PROXIES]
        lines.append(cells)
    widths = [max(len(str(c)) for c in col) for col in zip(header, *lines)]

    def line(cells):
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "| " + " | ".join([first] + rest) + " |"

    print(line(header))
    print("|" + "|".join("-" * (w + 2) if i == 0 else "-" * (w + 1) + ":" for i, w in enumerate(widths)) + "|")
    for cells in lines:
        print(line(cells))
    print("Ratios: performance relative to direct, above 1 is better (for times and latencies: direct ÷ path).")


def chart(rows, meta, png):
    """Clustered bars of the ratio vs direct, one cluster per metric; bars past the top are labelled."""
    gnuplot = shutil.which("gnuplot")
    if not gnuplot:
        print("report: gnuplot not installed, no chart drawn (apt-get install gnuplot-nox)", file=sys.stderr)
        return False
    by_key = {r["key"]: r for r in rows}
    chart = [(k, label) for k, label in CHART if k in by_key]
    series = [p for p in PROXIES if any(p in by_key[k]["ratio_vs_direct"] for k, _ in chart)]
    top = 1.6
    n, gap = len(series), 1.5
    colors = {"verifull-default": "#c2185b", "verifull-prev": "#f48fb1", "verifull-c1": "#ff9800", "verifull-lazyjit": "#ffcc80", "verifull-cds": "#795548", "verifull-nocds": "#bcaaa4", "verifull-jdk25": "#9e9e9e", "verifull-aot": "#00897b", "verifull-prevjvm": "#ad1457", "verifull-jdk": "#1f5fa8", "verifull-bc": "#6aaee8", "verifull-openssl": "#0b2e59", "verifull-nio": "#7b68ee", "verifull-warm": "#2e8b57", "verifull-poll": "#8fd18f",
              "stunnel": "#e07a1f", "pgbouncer": "#b0413e", "pgbouncer-fresh": "#d98c8a", "relay": "#9a9a9a"}
    blocks, labels = [], []
    for j, p in enumerate(series):
        data = []
        for i, (k, _) in enumerate(chart):
            r = by_key[k]["ratio_vs_direct"].get(p)
            if r is None:
                continue
            x = i * (n + gap) + j
            data.append(f"{x} {min(r, top):.4f}")
            if r > top:
                labels.append(f'set label "{r:.0f}x" at {x},{top - 0.04} right rotate by 90 front font ",9" '
                              f'tc rgb "white"')
        blocks.append(f"$d{j} << EOD\n" + "\n".join(data or ["-10 0"]) + "\nEOD")
    tics = []
    for i, (k, label) in enumerate(chart):
        d = by_key[k]["values"].get("direct")
        unit = by_key[k]["unit"]
        if k.startswith("copy"):
            label += f" {meta.get('copy_mb', '?')} MB"
        # gnuplot turns "\\n" inside a double-quoted string into a line break.
        direct = f"direct {fmt(d, unit)} {unit}" if d is not None else ""
        tics.append(f'"{label}\\n{direct}" {i * (n + gap) + (n - 1) / 2}')
    plots = ", ".join(f'$d{j} using 1:2 with boxes lc rgb "{colors.get(p, "#777777")}" title "{p}"' for j, p in enumerate(series))
    script = "\n".join([
        'set terminal pngcairo size 1400,660 font "DejaVu Sans,11" background rgb "white"',
        f'set output "{png}"',
        *blocks,
        f'set label "Verifull benchmark, {meta.get("date", "")}, {meta.get("cpus", "?")} cores: each path relative to '
        f'a direct verify-full connection (1.0 = direct, higher is better)" at screen 0.5, screen 0.965 center font ",12"',
        'set style fill solid 0.95 noborder',
        'set boxwidth 0.9',
        f'set yrange [0:{top}]',
        f'set xrange [-1:{len(chart) * (n + gap) - gap}]',
        'set ytics 0.2',
        'set grid ytics lc rgb "#dddddd"',
        f'set xtics ({", ".join(tics)}) font ",10" nomirror',
        'set ylabel "ratio vs direct (times and latencies: direct / path)"',
        'set tmargin at screen 0.87',
        'set bmargin at screen 0.11',
        'set key at screen 0.5, screen 0.92 center horizontal font ",10" samplen 2 spacing 1 width 2',
        'set arrow from graph 0, first 1 to graph 1, first 1 nohead lc rgb "black" lw 1.5 front',
        'set arrow from graph 0, first 0.85 to graph 1, first 0.85 nohead lc rgb "#777777" dt 2 front',
        'set label "0.85" at graph 0.998, first 0.87 right font ",9" tc rgb "#555555" front',
        *labels,
        "plot " + plots,
    ])
    result = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    if result.returncode != 0:
        print("report: gnuplot failed: " + result.stderr.strip(), file=sys.stderr)
        return False
    return True


def main():
    raw_path, meta_path, out_json = sys.argv[1:4]
    png = sys.argv[4] if len(sys.argv) > 4 else None
    raw, meta = load(raw_path, meta_path)
    global PATHS, PROXIES, VERIFULL
    PATHS = [p for p in PATHS if any(p in v for v in raw.values())]
    PROXIES = [p for p in PROXIES if p in PATHS]
    VERIFULL = [p for p in VERIFULL if p in PATHS]
    values = derive(raw, meta)
    rows = build(values, meta)
    goal_list = goals(values)
    score = scores(values)
    if rows:
        print_table(rows, meta)
        print()
    app_rows = app_table(values, meta)
    if app_rows:
        print()
        goal_list += app_goals(values)
    if meta.get("mode") == "smoke":
        print("Smoke run: every path carried queries; its numbers are not measurements (cold JVMs, a few")
        print("hundred transactions), so the goals are not evaluated here. Run bench/run for those.")
        goal_list, score = [], {}
    for g in goal_list:
        print(f"{'PASS' if g['pass'] else 'MISS'}  {g['provider']:<17} {g['goal']}: {g['detail']}")
    if score:
        print("\nGeometric mean of steady-state ratios vs direct: "
              + ", ".join(f"{SHORT[p]} {s:.2f}" for p, s in sorted(score.items(), key=lambda kv: -kv[1])))
    doc = {"meta": meta, "paths": PATHS, "metrics": rows, "app_metrics": app_rows, "goals": goal_list,
           "steady_state_score": score, "rounds": raw}
    with open(out_json, "w") as f:
        json.dump(doc, f, indent=2, ensure_ascii=False)
        f.write("\n")
    if png and chart(rows, meta, png):
        print(f"\nchart: {png}")


if __name__ == "__main__":
    main()
