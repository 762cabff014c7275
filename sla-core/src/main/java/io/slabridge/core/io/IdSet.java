package io.slabridge.core.io;

/**
 * The event ids seen so far, for "a second event with the same id is ignored". Open addressing over a
 * power-of-two array of the id strings, with their hashes beside them so that probing compares ints and
 * touches a string only when the hashes agree: a million ids cost two array slots each, not a hash-map
 * node each. Not thread-safe.
 */
final class IdSet {
    private String[] ids;
    private int[] hashes;
    private int size;

    /** @param expected about how many ids will be added */
    IdSet(int expected) {
        int capacity = Integer.highestOneBit(Math.max(expected, 1 << 12) * 2 - 1) << 1;
        ids = new String[capacity];
        hashes = new int[capacity];
    }

    boolean contains(String id) {
        int h = id.hashCode();
        int mask = ids.length - 1;
        for (int slot = StringPool.slot(h, ids.length); ids[slot] != null; slot = (slot + 1) & mask) {
            if (hashes[slot] == h && ids[slot].equals(id)) {
                return true;
            }
        }
        return false;
    }

    /** Adds the id; false when it was already there. */
    boolean add(String id) {
        int h = id.hashCode();
        int mask = ids.length - 1;
        int slot = StringPool.slot(h, ids.length);
        while (true) {
            String s = ids[slot];
            if (s == null) {
                ids[slot] = id;
                hashes[slot] = h;
                if (++size * 2 > ids.length) {
                    grow();
                }
                return true;
            }
            if (hashes[slot] == h && s.equals(id)) {
                return false;
            }
            slot = (slot + 1) & mask;
        }
    }

    private void grow() {
        String[] oldIds = ids;
        int[] oldHashes = hashes;
        ids = new String[oldIds.length * 2];
        hashes = new int[oldIds.length * 2];
        int mask = ids.length - 1;
        for (int i = 0; i < oldIds.length; i++) {
            if (oldIds[i] != null) {
                int slot = StringPool.slot(oldHashes[i], ids.length);
                while (ids[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                ids[slot] = oldIds[i];
                hashes[slot] = oldHashes[i];
            }
        }
    }
}
