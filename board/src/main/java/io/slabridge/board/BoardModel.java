package io.slabridge.board;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.slabridge.core.model.SummaryState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The tickets the board knows (open ones, those with a live link, and those decided this month for compliance), the
 * figures and accounts computed from them, and the numbered changes the live stream replays. A ticket is up to two
 * rows: its SLA clock, and, for an engineering ticket, its OLA clock (key {@code <ticket>}{@link #OLA_ROW}). One lock: a snapshot and the number of the
 * last change in it are always read together, so that a page that loads a snapshot and then follows the stream from
 * that number misses nothing and sees nothing twice.
 *
 * <p>JSON keys are short: at 10,000 tickets the snapshot is about 2 MB, and every byte is sent to every page.
 */
final class BoardModel {
    /** How many changes are kept for pages that come back after a lost connection; older ones reload. */
    static final int KEPT_CHANGES = 2_000;

    /** What an OLA row's key adds to its ticket's: {@code jira:ENG-7#ola}. */
    static final String OLA_ROW = "#ola";

    private static final JsonFactory JSON = new JsonFactory();

    private final ZoneId zone;
    /** Names this run of the board in the stream's event ids: a number from an earlier run means reload. */
    private final String run = Long.toHexString(new java.security.SecureRandom().nextLong() & Long.MAX_VALUE);
    private final Map<String, BoardTicket> tickets = new HashMap<>();
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private long lastChange;
    /** The last snapshot written, kept until a change or the next minute (whose figures may differ: a new day). */
    private byte[] snapshot;
    private long snapshotMinute = Long.MIN_VALUE;
    private double snapshotPace;

    /** A numbered change, as the stream sends it (JSON). */
    record Change(long number, String json) {
    }

    BoardModel(ZoneId zone) {
        this.zone = zone;
    }

    /** The version the board holds of {@code ticket}, or -1. */
    synchronized long version(String ticket) {
        BoardTicket t = tickets.get(ticket);
        return t == null ? -1 : t.version();
    }

    synchronized int size() {
        return tickets.size();
    }

    /** Loads tickets without recording a change (the start, before any page is served). */
    synchronized void load(Collection<BoardTicket> loaded) {
        snapshot = null;
        for (BoardTicket t : loaded) {
            tickets.put(t.ticket(), t);
        }
    }

    /**
     * Takes in tickets read again from the store; records and returns one change (the tickets now on the board, the
     * keys that left it, the new figures and accounts), or null when nothing the board shows changed.
     */
    synchronized Change apply(Collection<BoardTicket> read, Instant now) {
        List<Row> shown = new ArrayList<>();
        List<String> gone = new ArrayList<>();
        List<BoardTicket> taken = new ArrayList<>();
        for (BoardTicket t : read) {
            BoardTicket before = tickets.get(t.ticket());
            if (before != null && before.version() >= t.version()) {
                continue; // already known (read twice across polls)
            }
            tickets.put(t.ticket(), t);
            taken.add(t);
            shown.addAll(rowsOf(t));
            if (!t.onBoard() && before != null && before.onBoard()) {
                gone.add(t.ticket());
            }
            if (t.links().ola() == null && before != null && before.links().ola() != null) {
                gone.add(t.ticket() + OLA_ROW);
            }
        }
        // An engineering row shows the state of the customer it serves: sent again when that customer's changed
        // (the runtime refolds a pair together, so it is mostly in this change already).
        Set<String> sent = new HashSet<>();
        shown.forEach(r -> sent.add(r.key()));
        for (BoardTicket t : taken) {
            for (BoardTicket.Linked l : t.links().linked()) {
                BoardTicket engineering = tickets.get(l.ticket());
                if (engineering != null && engineering.links().serves() != null
                        && t.ticket().equals(engineering.links().serves().customer())) {
                    for (Row r : rowsOf(engineering)) {
                        if (sent.add(r.key())) {
                            shown.add(r);
                        }
                    }
                }
            }
        }
        if (shown.isEmpty() && gone.isEmpty()) {
            return null;
        }
        snapshot = null;
        long number = ++lastChange;
        Change change = new Change(number, new String(write(g -> {
            g.writeStartObject();
            g.writeNumberField("id", number);
            g.writeNumberField("now", now.toEpochMilli());
            g.writeArrayFieldStart("tickets");
            for (Row r : shown) {
                row(g, r);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("gone");
            for (String k : gone) {
                g.writeString(k);
            }
            g.writeEndArray();
            summaries(g, now);
            g.writeEndObject();
        }), java.nio.charset.StandardCharsets.UTF_8));
        changes.addLast(change);
        while (changes.size() > KEPT_CHANGES) {
            changes.removeFirst();
        }
        return change;
    }

    /** What names this run of the board in event ids ({@code <run>-<number>}). */
    String run() {
        return run;
    }

    /** The number of the last change (0 before any). */
    synchronized long lastChange() {
        return lastChange;
    }

    /**
     * The changes after {@code number}, or null when some of them are no longer kept (the page must reload).
     */
    synchronized List<Change> changesAfter(long number) {
        if (number > lastChange) {
            return null; // a number from another run of the board
        }
        if (number == lastChange) {
            return List.of();
        }
        if (changes.isEmpty() || changes.peekFirst().number() > number + 1) {
            return null;
        }
        List<Change> after = new ArrayList<>();
        for (Change c : changes) {
            if (c.number() > number) {
                after.add(c);
            }
        }
        return after;
    }

    /** The whole board: every ticket on it, sorted by time to due, the figures and the accounts (JSON). */
    synchronized byte[] snapshot(Instant now, double pace) {
        long minute = Math.floorDiv(now.getEpochSecond(), 60);
        if (snapshot != null && minute == snapshotMinute && pace == snapshotPace) {
            return snapshot; // "now" in it is at most a minute old: the page's clock is set by the stream's
        }
        List<Row> shown = new ArrayList<>();
        for (BoardTicket t : tickets.values()) {
            if (t.onBoard() || t.links().ola() != null) {
                shown.addAll(rowsOf(t));
            }
        }
        shown.sort(BY_DUE);
        snapshot = write(g -> {
            g.writeStartObject();
            g.writeNumberField("id", lastChange);
            g.writeNumberField("now", now.toEpochMilli());
            g.writeNumberField("pace", pace);
            g.writeStringField("zone", zone.getId());
            g.writeStringField("run", run);
            g.writeArrayFieldStart("tickets");
            for (Row r : shown) {
                row(g, r);
            }
            g.writeEndArray();
            summaries(g, now);
            g.writeEndObject();
        });
        snapshotMinute = minute;
        snapshotPace = pace;
        return snapshot;
    }

    /** Drops the kept snapshot, so that the next is written anew (the benchmark's "first call after a change"). */
    synchronized void forgetSnapshot() {
        snapshot = null;
    }

    /** A row of the board: a ticket's SLA clock, or ({@code ola}) an engineering ticket's OLA clock. */
    private record Row(BoardTicket ticket, boolean ola) {
        String key() {
            return ola ? ticket.ticket() + OLA_ROW : ticket.ticket();
        }

        Long dueAt() {
            return ola ? ticket.links().ola().dueAt() : ticket.dueAt();
        }
    }

    /** The rows {@code t} has on the board: its SLA row, its OLA row, both or none. */
    private static List<Row> rowsOf(BoardTicket t) {
        List<Row> rows = new ArrayList<>(2);
        if (t.onBoard()) {
            rows.add(new Row(t, false));
        }
        if (t.links().ola() != null) {
            rows.add(new Row(t, true));
        }
        return rows;
    }

    /** Due first; paused and undated ones last, by key. */
    private static final Comparator<Row> BY_DUE = (a, b) -> {
        int byDue = Long.compare(a.dueAt() == null ? Long.MAX_VALUE : a.dueAt(),
                b.dueAt() == null ? Long.MAX_VALUE : b.dueAt());
        return byDue != 0 ? byDue : a.key().compareTo(b.key());
    };

    /**
     * One row. An OLA row says so ({@code kd}); its policy is the OLA's name. Either row of a linked ticket carries
     * its links: {@code li} (as a customer ticket: the engineering tickets serving it) and {@code sv} (as an
     * engineering ticket: the customer due first, with that customer's state as the board holds it).
     */
    private void row(JsonGenerator g, Row r) throws IOException {
        BoardTicket t = r.ticket();
        BoardTicket.Ola ola = r.ola() ? t.links().ola() : null;
        g.writeStartObject();
        g.writeStringField("t", r.key());
        if (ola != null) {
            g.writeStringField("kd", "OLA");
        }
        g.writeStringField("s", t.source());
        g.writeStringField("k", t.key());
        field(g, "ti", t.title());
        field(g, "a", t.account());
        field(g, "p", t.priority());
        field(g, "po", ola != null ? ola.name() : t.policy());
        field(g, "m", ola != null ? ola.metric() : t.metric());
        if (r.dueAt() != null) {
            g.writeNumberField("d", r.dueAt());
        }
        g.writeStringField("st", (ola != null ? ola.status() : t.status()).label());
        field(g, "l", t.link());
        links(g, t.links());
        g.writeEndObject();
    }

    private void links(JsonGenerator g, BoardTicket.Links links) throws IOException {
        if (!links.linked().isEmpty()) {
            g.writeArrayFieldStart("li");
            for (BoardTicket.Linked l : links.linked()) {
                g.writeStartObject();
                g.writeStringField("k", l.key());
                g.writeStringField("st", l.status().label());
                if (l.dueAt() != null) {
                    g.writeNumberField("d", l.dueAt());
                }
                field(g, "l", l.link());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        BoardTicket.Serves sv = links.serves();
        if (sv != null) {
            g.writeObjectFieldStart("sv");
            field(g, "k", sv.key());
            BoardTicket customer = sv.customer() == null ? null : tickets.get(sv.customer());
            if (customer != null && customer.status() != SummaryState.NONE) {
                g.writeStringField("st", customer.status().label());
            }
            if (sv.dueAt() != null) {
                g.writeNumberField("d", sv.dueAt());
            }
            field(g, "a", sv.account());
            g.writeNumberField("n", sv.waiting());
            field(g, "l", sv.link());
            g.writeEndObject();
        }
    }

    private static void field(JsonGenerator g, String name, String value) throws IOException {
        if (value != null) {
            g.writeStringField(name, value);
        }
    }

    /** Weight of a ticket's priority in an account's rank: each step up counts twice the one below. */
    static int weight(String priority) {
        if (priority == null) {
            return 1;
        }
        return switch (priority) {
            case "urgent" -> 8;
            case "high" -> 4;
            case "normal" -> 2;
            default -> 1;
        };
    }

    /** Today's figures and the accounts, ranked. */
    private void summaries(JsonGenerator g, Instant now) throws IOException {
        ZonedDateTime local = now.atZone(zone);
        LocalDate today = local.toLocalDate();
        long dayStart = today.atStartOfDay(zone).toEpochSecond();
        long monthStart = today.withDayOfMonth(1).atStartOfDay(zone).toEpochSecond();
        long nowSecond = now.getEpochSecond();
        int open = 0;
        int atRisk = 0;
        int breached = 0;
        int paused = 0;
        Map<String, int[]> todayByMetric = new TreeMap<>(); // metric -> {met, decided}
        Map<String, Account> accounts = new TreeMap<>();
        for (BoardTicket t : tickets.values()) {
            String accountName = t.account() == null ? "" : t.account();
            Account account = null;
            if (t.onBoard()) {
                open++;
                account = accounts.computeIfAbsent(accountName, Account::new);
                account.open++;
                switch (t.status()) {
                    case AT_RISK -> {
                        atRisk++;
                        account.atRisk++;
                        account.score += weight(t.priority());
                    }
                    case BREACHED -> {
                        breached++;
                        account.breached++;
                        account.score += 2 * weight(t.priority());
                    }
                    case PAUSED -> paused++;
                    default -> {
                    }
                }
            }
            for (BoardTicket.Outcome o : t.outcomes()) {
                if (o.decidedAt() > nowSecond || o.decidedAt() < monthStart) {
                    continue;
                }
                if (account == null) {
                    account = accounts.computeIfAbsent(accountName, Account::new);
                }
                int[] month = account.month.computeIfAbsent(o.metric(), m -> new int[2]);
                month[0] += o.met() ? 1 : 0;
                month[1]++;
                if (o.decidedAt() >= dayStart) {
                    int[] day = todayByMetric.computeIfAbsent(o.metric(), m -> new int[2]);
                    day[0] += o.met() ? 1 : 0;
                    day[1]++;
                }
            }
        }
        g.writeObjectFieldStart("figures");
        g.writeNumberField("open", open);
        g.writeNumberField("atRisk", atRisk);
        g.writeNumberField("breached", breached);
        g.writeNumberField("paused", paused);
        g.writeObjectFieldStart("metToday");
        for (Map.Entry<String, int[]> e : todayByMetric.entrySet()) {
            g.writeArrayFieldStart(e.getKey());
            g.writeNumber(e.getValue()[0]);
            g.writeNumber(e.getValue()[1]);
            g.writeEndArray();
        }
        g.writeEndObject();
        g.writeEndObject();
        List<Account> ranked = new ArrayList<>(accounts.values());
        ranked.sort(Comparator.comparingInt((Account a) -> -a.score).thenComparingInt(a -> -a.breached)
                .thenComparingInt(a -> -a.atRisk).thenComparing(a -> a.name));
        g.writeArrayFieldStart("accounts");
        for (Account a : ranked) {
            g.writeStartObject();
            g.writeStringField("a", a.name);
            g.writeNumberField("score", a.score);
            g.writeNumberField("open", a.open);
            g.writeNumberField("atRisk", a.atRisk);
            g.writeNumberField("breached", a.breached);
            g.writeObjectFieldStart("month");
            for (Map.Entry<String, int[]> e : a.month.entrySet()) {
                g.writeArrayFieldStart(e.getKey());
                g.writeNumber(e.getValue()[0]);
                g.writeNumber(e.getValue()[1]);
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** Drops closed tickets with nothing decided since {@code monthStart}: the board no longer needs them. */
    synchronized int forgetBefore(long monthStart) {
        List<String> old = new ArrayList<>();
        for (BoardTicket t : tickets.values()) {
            if (!t.onBoard() && t.links().ola() == null && t.links().linked().isEmpty() && t.links().serves() == null
                    && t.outcomes().stream().noneMatch(o -> o.decidedAt() >= monthStart)) {
                old.add(t.ticket());
            }
        }
        old.forEach(tickets::remove);
        return old.size();
    }

    /** The keys of the rows on the board, sorted (tests). */
    synchronized TreeSet<String> shownKeys() {
        TreeSet<String> keys = new TreeSet<>();
        for (BoardTicket t : tickets.values()) {
            rowsOf(t).forEach(r -> keys.add(r.key()));
        }
        return keys;
    }

    private static final class Account {
        final String name;
        int score;
        int open;
        int atRisk;
        int breached;
        final Map<String, int[]> month = new TreeMap<>();

        Account(String name) {
            this.name = name;
        }
    }

    private interface Writing {
        void write(JsonGenerator g) throws IOException;
    }

    private static byte[] write(Writing w) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        try (JsonGenerator g = JSON.createGenerator(out)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("writing the board's JSON in memory", e);
        }
        return out.toByteArray();
    }
}
