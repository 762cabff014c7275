package io.slabridge.core.replay;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.slabridge.core.model.CycleStatus;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.MetricCycle;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CycleJsonWriterTest {

    /** Rows long and short, ASCII and not: a small buffer writes the same bytes as the default one. */
    @Test
    void bufferSizeDoesNotChangeTheOutput() throws IOException {
        List<MetricCycle> cycles = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            String ticket = i % 7 == 0 ? "jira:SUP-" + "x".repeat(3000) + i : i % 5 == 0 ? "email:\"é\"\\" + i : "jira:SUP-" + i;
            cycles.add(MetricCycle.of(ticket, Metric.FIRST_RESPONSE, i, "standard", "berlin-office", 3600,
                    1_780_000_000L + i, 1_780_003_600L + i, MetricCycle.NONE, CycleStatus.RUNNING, 60L * i, i % 2 == 0,
                    MetricCycle.NONE));
        }
        byte[] expected = write(cycles, -1);
        for (int size : new int[] {1, 16, 1024, 2048, 4096}) {
            assertArrayEquals(expected, write(cycles, size), "buffer of " + size + " bytes");
        }
    }

    @Test
    void bufferSizeMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new CycleJsonWriter(new ByteArrayOutputStream(), 0));
    }

    private static byte[] write(List<MetricCycle> cycles, int bufferSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (CycleJsonWriter writer = bufferSize < 0 ? new CycleJsonWriter(out) : new CycleJsonWriter(out, bufferSize)) {
            for (MetricCycle c : cycles) {
                writer.write(c);
            }
        }
        return out.toByteArray();
    }
}
