#!/usr/bin/env python3
"""Summarize where a JFR recording's CPU samples land: top methods by self and total samples.

usage: jfr_summary.py RECORDING.jfr [TOP] [THREAD_PREFIX]

Only jdk.ExecutionSample events (threads running Java code) are counted; time inside system
calls shows up as the Java/JNI frame that made the call. THREAD_PREFIX (default "verifull-io")
keeps the event loop threads and drops start-up work on the main thread.
"""
import collections
import json
import subprocess
import sys


def frame_name(frame):
    method = frame["method"]
    return f'{method["type"]["name"]}.{method["name"]}'.replace("/", ".")


def load(path, event):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "128", "--events", event, path],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)["recording"]["events"]


def thread_name(e):
    thread = e["values"].get("sampledThread") or {}
    return thread.get("javaName") or thread.get("osName") or ""


def main():
    path = sys.argv[1]
    top = int(sys.argv[2]) if len(sys.argv) > 2 else 25
    prefix = sys.argv[3] if len(sys.argv) > 3 else "verifull-io"
    events = load(path, "jdk.ExecutionSample")
    self_counts, total_counts, pkg_counts = collections.Counter(), collections.Counter(), collections.Counter()
    n = 0
    for e in events:
        if not thread_name(e).startswith(prefix):
            continue
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        if not frames:
            continue
        n += 1
        names = [frame_name(f) for f in frames]
        self_counts[names[0]] += 1
        for name_ in set(names):
            total_counts[name_] += 1
        # Attribute each sample to the first (leaf-most) frame outside the JDK's own packages,
        # which says which library's code is running: Netty, BouncyCastle, Verifull...
        owner = next((x for x in names if not x.startswith(("java.", "jdk.", "sun."))), names[0])
        pkg_counts[".".join(owner.split(".")[:-2][:4])] += 1
    if not n:
        sys.exit(f"no execution samples on threads named {prefix}*")
    # Threads blocked or running inside native code (epoll_wait, read, write through JNI) are
    # sampled separately; their count says how much of the loop's time is outside Java.
    native = collections.Counter()
    for e in load(path, "jdk.NativeMethodSample"):
        frames = (e["values"].get("stackTrace") or {}).get("frames") or []
        if thread_name(e).startswith(prefix) and frames:
            native[frame_name(frames[0])] += 1
    print(f"{n} execution samples (in Java) and {sum(native.values())} native-method samples on {prefix}* threads")
    print("native: " + ", ".join(f"{k} {v}" for k, v in native.most_common(5)))
    for title, counts in (("self (leaf frame)", self_counts), ("total (anywhere in stack)", total_counts),
                          ("by package of the leaf-most non-JDK frame", pkg_counts)):
        print(f"\n-- {title}")
        for name_, c in counts.most_common(top):
            print(f"{100 * c / n:5.1f}%  {name_}")


if __name__ == "__main__":
    main()
