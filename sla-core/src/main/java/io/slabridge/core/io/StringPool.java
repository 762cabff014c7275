package io.slabridge.core.io;

/**
 * Shares repeated short strings (ticket keys, tiers, channels) read from a character buffer: a string already
 * in the pool is returned without allocating. Open addressing over a power-of-two table; not thread-safe.
 * When the pool fills up it starts afresh, so it never holds more than {@code maxSize} strings.
 */
final class StringPool {
    private final int maxSize;
    private String[] table = new String[1024];
    private int size;

    StringPool(int maxSize) {
        this.maxSize = maxSize;
    }

    String get(char[] chars, int offset, int length) {
        int h = 0;
        for (int i = offset; i < offset + length; i++) {
            h = 31 * h + chars[i];
        }
        int mask = table.length - 1;
        int slot = slot(h, table.length);
        while (true) {
            String s = table[slot];
            if (s == null) {
                break;
            }
            if (s.hashCode() == h && equals(s, chars, offset, length)) {
                return s;
            }
            slot = (slot + 1) & mask;
        }
        String s = new String(chars, offset, length);
        if (size >= maxSize) {
            table = new String[1024];
            size = 0;
            return s;
        }
        table[slot] = s;
        if (++size * 2 > table.length) {
            grow();
        }
        return s;
    }

    private void grow() {
        String[] old = table;
        table = new String[old.length * 2];
        int mask = table.length - 1;
        for (String s : old) {
            if (s != null) {
                int slot = slot(s.hashCode(), table.length);
                while (table[slot] != null) {
                    slot = (slot + 1) & mask;
                }
                table[slot] = s;
            }
        }
    }

    private static boolean equals(String s, char[] chars, int offset, int length) {
        if (s.length() != length) {
            return false;
        }
        for (int i = 0; i < length; i++) {
            if (s.charAt(i) != chars[offset + i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * Fibonacci hashing: keys such as {@code SUP-1001}, {@code SUP-1002} have consecutive {@code hashCode}s,
     * which would cluster under linear probing; multiplying by 2^32/phi and keeping the high bits spreads them.
     */
    static int slot(int hash, int tableLength) {
        return (hash * 0x9E3779B9) >>> (32 - Integer.numberOfTrailingZeros(tableLength));
    }
}
