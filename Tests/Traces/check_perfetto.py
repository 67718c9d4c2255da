#!/usr/bin/env python3
"""check_perfetto.py PERFETTO_FILE DUMP_FILE: decodes a `k42sim trace export --perfetto` file with
Perfetto's own schema (perfetto_trace_pb2 from the `perfetto` package on PyPI) and checks it
against `k42sim trace dump` of the same trace: one track per CPU, every slice begin / end, every
instant (name and timestamp) and the counter tracks' totals, as docs/traces.md defines the export.
Prints "perfetto ok: ..." and exits 0, or prints the first mismatch and exits 1."""
import sys
from collections import defaultdict
from perfetto.protos.perfetto.trace import perfetto_trace_pb2 as pb

SLICE_BEGIN = {"hw.exceptions.exception", "hw.exceptions.interrupt", "hw.idle.idle", "sw.exceptions.trap"}
SLICE_END = {"hw.exceptions.return", "hw.idle.wake", "sw.exceptions.trap.exit"}
HIDDEN = {"control.filler", "control.heartbeat", "control.drain"}


def fail(msg):
    print("perfetto mismatch: " + msg)
    sys.exit(1)


def main():
    trace = pb.Trace()
    with open(sys.argv[1], "rb") as f:
        trace.ParseFromString(f.read())
    freq, cpus, events = None, None, []
    with open(sys.argv[2]) as f:
        for line in f:
            if line.startswith("# k42sim trace:"):
                parts = line.split(",")
                cpus = int(parts[1].split()[0])
                freq = int(parts[3].split()[0])
                continue
            if line.startswith("#"):
                continue
            cycle, cpu, name, *text = line.split()
            events.append((int(cycle), int(cpu), name, text))
    ns = lambda c: c * 1_000_000_000 // freq

    # Expected items per track name, in dump order (which is time order per CPU).
    expected = defaultdict(list)
    counters = defaultdict(int)
    depth = defaultdict(int)
    last = 0
    for cycle, cpu, name, text in events:
        last = max(last, ns(cycle))
        if name in HIDDEN:
            continue
        track = f"cpu {cpu} software" if name.startswith("sw.") else f"cpu {cpu}"
        if name.startswith("hw.cache.") or name.startswith("hw.coherence."):
            counters[cpu, name] += 1
            continue
        kind = "instant"
        if name in SLICE_BEGIN:
            kind = "begin"
            if name == "hw.exceptions.exception" and int(text[text.index("flags") + 1]) & 1:
                kind = "instant"
        elif name in SLICE_END:
            kind = "end"
        if kind == "begin":
            depth[track] += 1
            expected[track].append(("begin", ns(cycle)))
        elif kind == "end":
            if depth[track] == 0:
                continue
            depth[track] -= 1
            expected[track].append(("end", ns(cycle)))
        else:
            expected[track].append(("instant", ns(cycle), name))
    for track, d in depth.items():
        expected[track] += [("end", last)] * d

    tracks, got, counter_totals = {}, defaultdict(list), defaultdict(int)
    types = {pb.TrackEvent.TYPE_SLICE_BEGIN: "begin", pb.TrackEvent.TYPE_SLICE_END: "end",
             pb.TrackEvent.TYPE_INSTANT: "instant", pb.TrackEvent.TYPE_COUNTER: "counter"}
    packets = 0
    for p in trace.packet:
        packets += 1
        if p.trusted_packet_sequence_id != 1:
            fail(f"packet without sequence id 1: {p}")
        if p.HasField("track_descriptor"):
            d = p.track_descriptor
            tracks[d.uuid] = (d.name, d.HasField("counter"))
        elif p.HasField("track_event"):
            e = p.track_event
            if e.track_uuid not in tracks:
                fail(f"event on undeclared track {e.track_uuid}")
            name, is_counter = tracks[e.track_uuid]
            kind = types[e.type]
            if is_counter != (kind == "counter"):
                fail(f"{kind} event on track {name}")
            if kind == "counter":
                counter_totals[name] += e.counter_value
            elif kind == "instant":
                got[name].append(("instant", p.timestamp, e.name))
            else:
                got[name].append((kind, p.timestamp))
    for c in range(cpus):
        if (f"cpu {c}", False) not in tracks.values():
            fail(f"no track for cpu {c}")
    for track in set(expected) | set(got):
        if expected[track] != got[track]:
            e, g = expected[track], got[track]
            i = next((i for i in range(min(len(e), len(g))) if e[i] != g[i]), min(len(e), len(g)))
            fail(f"track {track}: item {i}: expected {e[i:i+1]}, got {g[i:i+1]} ({len(e)} expected, {len(g)} exported)")
    for (cpu, name), n in counters.items():
        track = next((t for t in counter_totals if t.startswith(f"cpu {cpu} {name} per ")), None)
        if track is None or counter_totals[track] != n:
            fail(f"counter cpu {cpu} {name}: {n} events, exported total {counter_totals.get(track)}")
    if len(counter_totals) != len(counters):
        fail("counter tracks without events")
    slices = sum(1 for t in got.values() for x in t if x[0] == "begin")
    instants = sum(1 for t in got.values() for x in t if x[0] == "instant")
    print(f"perfetto ok: {packets} packets, {len(tracks)} tracks, {slices} slices, {instants} instants, "
          f"{sum(counters.values())} counted events")


main()
