package io.eenet.bench.soak;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.Locale;

/**
 * How this JVM's heap is sized. A heap free to grow between {@code -Xms} and {@code -Xmx} shows its growth in
 * the resident set when the collector commits more of it, which a soak's RSS figure then measures instead of
 * native memory; a fixed heap ({@code -Xms} equal to {@code -Xmx}, as Flink's own TaskManagers run), its pages
 * touched at start, leaves RSS to the rest.
 *
 * @param initialBytes the heap committed at start ({@code -Xms}); -1 where the JVM does not say
 * @param maxBytes the most the heap may grow to ({@code -Xmx}); -1 where the JVM does not say
 * @param preTouched whether every heap page was touched at start ({@code -XX:+AlwaysPreTouch})
 */
public record HeapSizing(long initialBytes, long maxBytes, boolean preTouched) {

    /** The JVM options the launcher gives {@code bench soak} unless {@code EENET_JAVA_OPTS} is set. */
    public static final String FIXED_OPTIONS = "-Xms1g -Xmx1g -XX:+AlwaysPreTouch";

    /** This JVM's heap sizing. */
    public static HeapSizing ofThisJvm() {
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        boolean preTouched = false;
        try {
            preTouched = Boolean.parseBoolean(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                    .getVMOption("AlwaysPreTouch").getValue());
        } catch (RuntimeException e) {
            // not HotSpot: the option is unknown, so it was not set
        }
        return new HeapSizing(heap.getInit(), heap.getMax(), preTouched);
    }

    /** Whether the heap cannot grow: its initial size is its maximum. */
    public boolean fixed() {
        return initialBytes > 0 && initialBytes == maxBytes;
    }

    /** One line for the report's header. */
    public String describe() {
        if (fixed()) {
            return String.format(Locale.ROOT, "heap fixed at %.0f MiB (-Xms = -Xmx)%s", mib(maxBytes),
                    preTouched ? ", pre-touched" : ", not pre-touched: RSS grows as the heap is first used");
        }
        return String.format(Locale.ROOT, "heap %s at start, up to %s: RSS includes whatever heap the JVM commits"
                + " during the run (fix it with EENET_JAVA_OPTS=\"%s\")", size(initialBytes), size(maxBytes),
                FIXED_OPTIONS);
    }

    private static String size(long bytes) {
        return bytes < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MiB", mib(bytes));
    }

    private static double mib(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }
}
