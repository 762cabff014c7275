package io.slabridge.core.store;

import java.time.Instant;
import java.util.List;

/** The commands that failed for good, as an operator lists them and puts them back in line. */
public interface OutboxParking {
    List<ParkedCommand> parked(int limit);

    /** Puts a parked command back in line, from now, with its attempts reset; false when none is parked under that id. */
    boolean requeue(long commandId, Instant now);
}
