package io.slabridge.core.replay;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.slabridge.core.io.Instants;
import io.slabridge.core.model.MetricCycle;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;

/** Writes metric cycles as the JSON lines of SLA-SPEC section 6, fields in the spec's order. */
public final class CycleJsonWriter implements Closeable {
    private static final JsonFactory JSON = JsonFactory.builder().build();

    private final JsonGenerator g;

    public CycleJsonWriter(OutputStream out) throws IOException {
        this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
        this.g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
    }

    public void write(MetricCycle c) throws IOException {
        g.writeStartObject();
        g.writeStringField("ticket", c.ticket());
        g.writeStringField("metric", c.metric().wireName());
        g.writeNumberField("cycle", c.cycle());
        g.writeStringField("policy", c.policy());
        g.writeStringField("calendar", c.calendar());
        g.writeNumberField("target_seconds", c.targetSeconds());
        g.writeStringField("started_at", Instants.format(c.startedAtEpochSecond()));
        instant("due_at", c.dueAtEpochSecond());
        instant("stopped_at", c.stoppedAtEpochSecond());
        g.writeStringField("status", c.status().wireName());
        g.writeNumberField("elapsed_seconds", c.elapsedSeconds());
        g.writeNumberField("remaining_seconds", c.remainingSeconds());
        g.writeBooleanField("at_risk", c.atRisk());
        g.writeEndObject();
        g.writeRaw('\n');
    }

    private void instant(String field, long epochSecond) throws IOException {
        if (epochSecond == MetricCycle.NONE) {
            g.writeNullField(field);
        } else {
            g.writeStringField(field, Instants.format(epochSecond));
        }
    }

    @Override
    public void close() throws IOException {
        g.close();
    }
}
