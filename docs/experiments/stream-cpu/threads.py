"""Reads what sampler.py wrote, for windows given as START,END,NAME (Unix seconds): the machine's busy cores, and per
thread of the benchmark's JVM the cores it ran on and the cores' worth of time it waited on a run queue.

Usage: python3 threads.py SAMPLES START,END,NAME [START,END,NAME ...]
"""
import collections
import os
import sys


def main(path, windows):
    threads = collections.defaultdict(dict)  # time -> tid -> (name, ns on a core, ns waiting for one)
    cpu = {}  # time -> (all jiffies, idle + iowait jiffies)
    for line in open(path):
        p = line.split()
        t = float(p[0])
        if p[1] == 'CPU':
            v = list(map(int, p[2:10]))
            cpu[t] = (sum(v), v[3] + v[4])
        else:
            threads[t][p[2]] = (p[3], int(p[4]), int(p[5]))
    times = sorted(cpu)
    for window in windows:
        start, end, name = window.split(',')
        t0 = min(times, key=lambda t: abs(t - float(start)))
        t1 = min(times, key=lambda t: abs(t - float(end)))
        span = t1 - t0
        (all0, idle0), (all1, idle1) = cpu[t0], cpu[t1]
        cores = os.cpu_count()
        busy = cores * ((all1 - all0) - (idle1 - idle0)) / (all1 - all0)
        print(f'== {name}: {span:.2f} s, machine busy {busy:.2f} of {cores} cores')
        rows = []
        for tid, (comm, run1, wait1) in threads[t1].items():
            if tid in threads[t0]:
                _, run0, wait0 = threads[t0][tid]
                rows.append(((run1 - run0) / 1e9 / span, (wait1 - wait0) / 1e9 / span, comm, tid))
        rows.sort(reverse=True)
        print(f'   JVM threads: on a core {sum(r[0] for r in rows):.2f}, waiting for one {sum(r[1] for r in rows):.2f}')
        for on_core, waiting, comm, tid in rows[:12]:
            print(f'   {comm:18s} {tid:>7s} on a core {on_core:.2f}, waiting for one {waiting:.2f}')


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:])
