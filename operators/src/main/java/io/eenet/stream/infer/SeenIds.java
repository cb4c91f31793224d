package io.eenet.stream.infer;

/**
 * One stream's event ids within the dedupe window ({@link EventReader}): a 64-bit hash of each id and the time it
 * was first seen, in an open-addressing table (linear probing) of two primitive arrays.
 *
 * <p>Why not a {@code MapState<String, Long>}: on the heap state backend a checkpoint copies a stream's whole map
 * of ids the first time the stream is touched after the checkpoint began, and its asynchronous part writes every
 * id string. With a minute's window at tens of thousands of events per second that took 0.4 of a 2-core machine
 * ({@code docs/results/stream-bench.md}). Two {@code long[]} are copied and written at memory speed.
 *
 * <p>Two different ids are taken for one if their hashes are equal: with a million ids in a stream's window, a
 * new id collides with one of them with probability about 5e-14.
 *
 * <p>A Flink POJO (public fields, a public no-argument constructor), so that its serializer copies the arrays
 * whole. Not thread-safe.
 */
public final class SeenIds {

    /** Slots; 0 marks a free one (a hash of 0 is stored as {@link #ZERO_HASH}). Length a power of two. */
    public long[] hashes;
    /** When the id in the same slot was first seen (processing time, ms). */
    public long[] seenAt;
    /** Ids held. */
    public int size;

    private static final long ZERO_HASH = 0x9E3779B97F4A7C15L;
    private static final int MIN_CAPACITY = 64;

    /** An empty table; for Flink's POJO serializer and {@link #empty()}. */
    public SeenIds() {
        this(MIN_CAPACITY);
    }

    private SeenIds(int capacity) {
        hashes = new long[capacity];
        seenAt = new long[capacity];
    }

    /** A table with no ids. */
    static SeenIds empty() {
        return new SeenIds();
    }

    /** The 64-bit hash of an id (FNV-1a over its chars, then MurmurHash3's finaliser), never 0. */
    static long hash(String id) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < id.length(); i++) {
            h = (h ^ id.charAt(i)) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h == 0 ? ZERO_HASH : h;
    }

    /** When the id of this hash was first seen, or {@code Long.MIN_VALUE} if it is not held. */
    long seenAt(long hash) {
        int mask = hashes.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            long h = hashes[i];
            if (h == hash) {
                return seenAt[i];
            }
            if (h == 0) {
                return Long.MIN_VALUE;
            }
        }
    }

    /** Records the id of this hash as first seen at {@code time}, replacing its time if it is held. */
    void put(long hash, long time) {
        if (2 * (size + 1) > hashes.length) {
            rehash(hashes.length * 2);
        }
        int mask = hashes.length - 1;
        for (int i = slot(hash, mask); ; i = (i + 1) & mask) {
            long h = hashes[i];
            if (h == hash) {
                seenAt[i] = time;
                return;
            }
            if (h == 0) {
                hashes[i] = hash;
                seenAt[i] = time;
                size++;
                return;
            }
        }
    }

    /**
     * Drops the ids first seen at or before {@code now - windowMs}, and shrinks the table when it is mostly free.
     *
     * @return whether any id is left
     */
    boolean sweep(long now, long windowMs) {
        long keptAfter = now - windowMs;
        int live = 0;
        for (int i = 0; i < hashes.length; i++) {
            if (hashes[i] != 0 && seenAt[i] > keptAfter) {
                live++;
            }
        }
        if (live < size) {
            int capacity = MIN_CAPACITY;
            while (2 * live > capacity) {
                capacity *= 2;
            }
            rebuild(capacity, keptAfter);
        }
        return size > 0;
    }

    private void rehash(int capacity) {
        rebuild(capacity, Long.MIN_VALUE);
    }

    /** Moves the ids first seen after {@code keptAfter} into a table of {@code capacity} slots. */
    private void rebuild(int capacity, long keptAfter) {
        long[] oldHashes = hashes;
        long[] oldSeen = seenAt;
        hashes = new long[capacity];
        seenAt = new long[capacity];
        size = 0;
        for (int i = 0; i < oldHashes.length; i++) {
            if (oldHashes[i] != 0 && oldSeen[i] > keptAfter) {
                put(oldHashes[i], oldSeen[i]);
            }
        }
    }

    private static int slot(long hash, int mask) {
        return (int) (hash ^ (hash >>> 32)) & mask;
    }

    @Override
    public String toString() {
        return "SeenIds[size=%s, capacity=%s]".formatted(size, hashes.length);
    }
}
