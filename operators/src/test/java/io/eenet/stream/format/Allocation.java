package io.eenet.stream.format;

import java.lang.management.ManagementFactory;

/** Measures the heap a piece of code allocates on the current thread. */
final class Allocation {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private Allocation() {}

    interface Code {
        void run() throws Exception;
    }

    /** Bytes allocated while running {@code code}; exceptions it throws are ignored. */
    static long bytesAllocatedBy(Code code) {
        long thread = Thread.currentThread().getId();
        long before = THREADS.getThreadAllocatedBytes(thread);
        try {
            code.run();
        } catch (Exception ignored) {
            // Only the allocation matters here; the caller checks the outcome separately.
        }
        return THREADS.getThreadAllocatedBytes(thread) - before;
    }
}
