#!/usr/bin/env python3
"""Where the machine's CPU went inside the EENet's saturation windows of a profile.sh run.

Usage: perf_windows.py OUT [--from S] [--length S]. A window is [start + S, start + S + L] of each EENet saturation
job (default S = 1.3, L = 3.2 seconds), its start read from OUT/bench.err. Prints each group's share of the
machine's samples (idle included) and, at the median job's rate, its microseconds per event.
"""
import argparse, collections, json, os, re, subprocess

p = argparse.ArgumentParser()
p.add_argument('out')
p.add_argument('--from', dest='start', type=float, default=1.3)
p.add_argument('--length', type=float, default=3.2)
a = p.parse_args()

starts = []
for line in open(os.path.join(a.out, 'bench.err')):
    m = re.match(r'([\d.]+) eenet: pre-filled .* starting the job', line)
    if m:
        starts.append(float(m.group(1)))

samples = []
for t in starts:
    text = subprocess.run(['perf', 'script', '-i', os.path.join(a.out, 'perf.data'), '--time',
                           f'{t + a.start:.3f},{t + a.start + a.length:.3f}', '-F', 'comm,pid,tid,time,ip,sym,dso'],
                          capture_output=True, text=True).stdout
    cur = None
    for line in text.splitlines():
        if not line.strip():
            continue
        if not line[0].isspace():
            m = re.match(r'\s*(.+?)\s+(\d+)/(\d+)\s+[\d.]+:', line)
            cur = {'comm': m.group(1), 'pid': m.group(2), 'frames': []}
            samples.append(cur)
        else:
            parts = line.strip().split(None, 1)
            m = re.match(r'(.*) \((.*)\)$', parts[1] if len(parts) > 1 else '')
            sym, dso = (m.group(1), m.group(2)) if m else ('', '')
            cur['frames'].append((re.sub(r'\+0x[0-9a-f]+$', '', sym), dso))

# The job's JVM is the one whose threads are named eenet-*; any other JVM on the machine is the broker's.
pids = collections.Counter(s['pid'] for s in samples if s['comm'].startswith('eenet'))
job = pids.most_common(1)[0][0]
java = {s['pid'] for s in samples if any('perf-' in d or 'libjvm' in d for _, d in s['frames'])}

def group(s):
    syms = ' '.join(x for x, _ in s['frames'])
    dsos = [d for _, d in s['frames']]
    if s['pid'] == '0':
        return 'idle'
    if s['pid'] != job:
        return "the broker's JVM" if s['pid'] in java else 'other processes'
    if any('libtensorflow' in d for d in dsos):
        return 'TensorFlow (its libraries)'
    if any('libz' in d for d in dsos) or 'FastPng' in syms or 'EarlyExitFunction.prepare' in syms:
        return 'the PNG to the model input'
    if s['comm'].startswith('eenet') and s['frames'] and s['frames'][0][0] == '[unknown]':
        return "TensorFlow (oneDNN's generated kernels: no symbols)"
    if s['comm'].startswith(('GC Thread', 'G1 ', 'VM Thread')):
        return 'garbage collection'
    if 'Compiler' in s['comm']:
        return 'the JIT compiler'
    if 'StrictAvroReader' in syms or 'Codec' in syms:
        return 'Avro'
    if 'kafka.clients' in syms:
        return "Kafka's clients"
    if s['comm'].startswith('eenet'):
        return 'the inference threads around TensorFlow (DJL tensors in and out, allocation)'
    return "Flink's threads and the rest of the JVM"

shares = collections.Counter(group(s) for s in samples)
runs = json.load(open(os.path.join(a.out, 'bench.json')))
rate = runs['eenet']['saturationEventsPerSecond']
cores = os.cpu_count()
print(f'{len(samples)} samples in {len(starts)} windows; the median job {rate:,.0f} events/s on {cores} cores')
for g, n in shares.most_common():
    share = n / len(samples)
    us = '' if g == 'idle' else f'{share * cores / rate * 1e6:6.1f} us/event'
    print(f'{share * 100:5.1f}%  {us:>15}  {g}')
