package io.slabridge.core.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class PercentilesTest {
    private static final long[] TEN = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};

    @Test
    void nearestRankOnTenValues() {
        assertEquals(5, Percentiles.nearestRank(TEN, 50)); // rank 5: the lower middle value, not 5.5
        assertEquals(8, Percentiles.nearestRank(TEN, 80)); // rank 8
        assertEquals(9, Percentiles.nearestRank(TEN, 90)); // rank 9
        assertEquals(10, Percentiles.nearestRank(TEN, 91)); // rank ceil(9.1) = 10
        assertEquals(1, Percentiles.nearestRank(TEN, 1));
        assertEquals(10, Percentiles.nearestRank(TEN, 100));
    }

    @Test
    void nearestRankOnFewValues() {
        assertEquals(7, Percentiles.nearestRank(new long[] {7}, 50));
        assertEquals(7, Percentiles.nearestRank(new long[] {7}, 90));
        long[] four = {10, 20, 30, 40};
        assertEquals(20, Percentiles.nearestRank(four, 50)); // ceil(2.0) = 2
        assertEquals(40, Percentiles.nearestRank(four, 80)); // ceil(3.2) = 4
        long[] five = {10, 20, 30, 40, 50};
        assertEquals(30, Percentiles.nearestRank(five, 50)); // ceil(2.5) = 3
        assertEquals(40, Percentiles.nearestRank(five, 80)); // ceil(4.0) = 4: exact ranks are not rounded up
        assertEquals(50, Percentiles.nearestRank(five, 90)); // ceil(4.5) = 5
    }

    @Test
    void badArgumentsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(new long[0], 50));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(TEN, 0));
        assertThrows(IllegalArgumentException.class, () -> Percentiles.nearestRank(TEN, 101));
    }

    /** The defining property: at least p% of the values are at or below it, and fewer than p% strictly below. */
    @Property
    void atLeastPPercentAreAtOrBelowAndFewerBelow(@ForAll @Size(min = 1, max = 200) long[] values,
            @ForAll @IntRange(min = 1, max = 100) int percent) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        long p = Percentiles.nearestRank(sorted, percent);
        long atOrBelow = Arrays.stream(sorted).filter(v -> v <= p).count();
        long below = Arrays.stream(sorted).filter(v -> v < p).count();
        assertEquals(true, atOrBelow * 100 >= (long) percent * sorted.length, "at or below");
        assertEquals(true, below * 100 < (long) percent * sorted.length, "strictly below");
    }
}
