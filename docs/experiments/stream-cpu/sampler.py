"""Samples, every 100 ms, the machine's CPU times (/proc/stat) and each thread's scheduler times of the running
`./eenet bench stream` JVM (/proc/<pid>/task/<tid>/schedstat: time on a core, time waiting on a run queue for one).

Usage: python3 sampler.py OUT &   then run the benchmark, with its stderr lines stamped (see README.md); kill it after.
"""
import glob
import os
import sys
import time


def bench_pid():
    for path in glob.glob('/proc/[0-9]*/cmdline'):
        try:
            cmdline = open(path, 'rb').read()
        except OSError:
            continue
        if cmdline.startswith(b'java') and b'bench\x00stream' in cmdline:
            return path.split('/')[2]
    return None


def main(out_path):
    out = open(out_path, 'w')
    pid = None
    while True:
        if pid is None or not os.path.exists(f'/proc/{pid}'):
            pid = bench_pid()
        now = time.time()
        cpu = open('/proc/stat').readline().split()[1:9]
        out.write(f'{now:.3f} CPU {" ".join(cpu)}\n')
        for task in glob.glob(f'/proc/{pid}/task/*') if pid else []:
            try:
                comm = open(task + '/comm').read().strip().replace(' ', '_')
                on_cpu, waiting = open(task + '/schedstat').read().split()[:2]
            except OSError:
                continue
            out.write(f'{now:.3f} T {task.split("/")[-1]} {comm} {on_cpu} {waiting}\n')
        out.flush()
        time.sleep(0.1)


if __name__ == '__main__':
    main(sys.argv[1])
