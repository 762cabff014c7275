package io.slabridge.store;

import io.slabridge.core.io.InvalidEventException;
import io.slabridge.core.io.TicketEventJson;
import io.slabridge.core.model.TicketEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the link index ({@code ticket_link}, V6) from the {@code linked} and {@code unlinked} events a store held
 * before V6, once: without it such a pair is timed only when either side reports its link again. Both tickets of each
 * pair are then due at once ({@code next_wake_at} 0), so the scheduler's first look refolds them and their OLA.
 *
 * <p>A Java migration because the events are JSON in {@code body}, and SQLite, H2 and PostgreSQL read JSON each in
 * their own way; the event reader and the index's insert are the ones the store uses. It inserts with
 * {@code ON CONFLICT DO NOTHING}: pairs V6 already indexed (events accepted since) are left as they are. Version 8,
 * not 7: another change of this release takes 7.
 */
final class V8__Ticket_link_backfill extends BaseJavaMigration {
    private static final Logger LOG = LoggerFactory.getLogger(V8__Ticket_link_backfill.class);
    private static final int BATCH = 500;

    @Override
    public void migrate(Context context) throws Exception {
        Connection c = context.getConnection();
        boolean sqlite = c.getMetaData().getURL().startsWith("jdbc:sqlite:");
        JdbcTicketLinks index = new JdbcTicketLinks(c, new SqlRows(sqlite));
        TicketEventJson json = new TicketEventJson();
        Set<String> linked = new TreeSet<>();
        List<TicketEvent> batch = new ArrayList<>();
        int events = 0;
        // Every link event names its other ticket; other events carry no "other" field, and are passed over cheaply.
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT event_id, body FROM ticket_event WHERE body LIKE '%\"other\"%'")) {
            while (rs.next()) {
                TicketEvent e;
                try {
                    e = json.read(rs.getString(2));
                } catch (InvalidEventException bad) {
                    LOG.warn("stored event {} does not read back, left out of the link index: {}", rs.getString(1),
                            bad.getMessage());
                    continue;
                }
                if (!e.type().namesOther() || e.other() == null || e.other().equals(e.ticket())) {
                    continue;
                }
                batch.add(e);
                linked.add(e.ticket());
                linked.add(e.other());
                events++;
                if (batch.size() == BATCH) {
                    index.indexLinks(batch);
                    batch.clear();
                }
            }
        }
        index.indexLinks(batch);
        // Due since 1970: whatever the clock says, the scheduler's next look takes them.
        try (PreparedStatement ps = c.prepareStatement("UPDATE ticket_state SET next_wake_at = 0 WHERE ticket = ?")) {
            for (String ticket : linked) {
                ps.setString(1, ticket);
                ps.addBatch();
            }
            if (!linked.isEmpty()) {
                ps.executeBatch();
            }
        }
        if (events > 0) {
            LOG.info("Link index filled from {} stored link event(s): {} ticket(s) are refolded at the scheduler's "
                    + "first look", events, linked.size());
        }
    }
}
