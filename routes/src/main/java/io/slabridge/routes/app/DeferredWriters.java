package io.slabridge.routes.app;

import io.slabridge.connector.api.Notices;
import io.slabridge.core.outbox.BatchOutboxWriter;
import io.slabridge.core.outbox.OutboxCommand;
import io.slabridge.core.outbox.OutboxWriter;
import io.slabridge.core.outbox.WriteBack;
import io.slabridge.core.outbox.WriteResult;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Writers bound once Camel has configured the routes that own their clients (the dispatcher is built before
 * that), and the routing of {@code notify} commands to e-mail for sources that cannot send mail.
 */
final class DeferredWriters {
    private DeferredWriters() {
    }

    /** Notices when the email connector is off: parked with a reason an operator can act on. */
    static final Notices NO_MAIL = (command, notify) -> WriteResult.failed("notify needs the email connector "
            + "(sla.email.enabled=true) to send mail to " + String.join(", ", notify.to()));

    /** A source's writer, bound once the source's routes are configured; {@code notify} commands go to {@code mail}. */
    interface Deferred extends OutboxWriter {
        void bind(OutboxWriter value, Notices mail);
    }

    /** The deferred writer for a source that takes {@code maxBatch} commands per call. */
    static Deferred taking(int maxBatch) {
        return maxBatch > 1 ? new Batch(maxBatch) : new Single();
    }

    /** A single-command writer, bound later. */
    static final class Single implements Deferred {
        private volatile OutboxWriter target;
        private volatile Notices notices = NO_MAIL;

        @Override
        public void bind(OutboxWriter value, Notices mail) {
            this.target = value;
            this.notices = mail;
        }

        @Override
        public WriteResult write(OutboxCommand command) throws Exception {
            OutboxWriter t = target;
            if (t == null) {
                throw new IllegalStateException("the writer for '" + command.source() + "' is not started yet");
            }
            if (command.payload() instanceof WriteBack.Notify n && notices != null) {
                return notices.send(command, n);
            }
            return t.write(command);
        }
    }

    /** A batch writer, bound later; notify commands are taken out of each batch and sent as mail. */
    static final class Batch implements BatchOutboxWriter, Deferred {
        private final int maxBatch;
        private volatile BatchOutboxWriter target;
        private volatile Notices notices = NO_MAIL;

        Batch(int maxBatch) {
            this.maxBatch = maxBatch;
        }

        @Override
        public void bind(OutboxWriter value, Notices mail) {
            if (!(value instanceof BatchOutboxWriter batch)) {
                throw new IllegalStateException("a source that takes " + maxBatch + " commands per call needs a batch "
                        + "writer, not " + value.getClass().getName());
            }
            this.target = batch;
            this.notices = mail;
        }

        @Override
        public int maxBatch() {
            return maxBatch;
        }

        @Override
        public List<WriteResult> writeAll(List<OutboxCommand> commands) throws Exception {
            BatchOutboxWriter t = target;
            if (t == null) {
                throw new IllegalStateException("the batch writer is not started yet");
            }
            WriteResult[] results = new WriteResult[commands.size()];
            List<OutboxCommand> rest = new ArrayList<>();
            List<Integer> restAt = new ArrayList<>();
            for (int i = 0; i < commands.size(); i++) {
                OutboxCommand c = commands.get(i);
                if (c.payload() instanceof WriteBack.Notify n) {
                    try {
                        results[i] = notices.send(c, n);
                    } catch (Exception e) {
                        // Retried with the next batch; the others in this one go ahead.
                        results[i] = WriteResult.retryAfter(java.time.Duration.ofMinutes(1), "notice not sent: "
                                + e.getMessage());
                    }
                } else {
                    rest.add(c);
                    restAt.add(i);
                }
            }
            if (!rest.isEmpty()) {
                List<WriteResult> written = t.writeAll(rest);
                for (int j = 0; j < rest.size(); j++) {
                    results[restAt.get(j)] = written.get(j);
                }
            }
            return Arrays.asList(results);
        }
    }
}
