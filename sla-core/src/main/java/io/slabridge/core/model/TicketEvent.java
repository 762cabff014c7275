package io.slabridge.core.model;

import java.time.Instant;
import java.util.Objects;

/**
 * One ticket event of SLA-SPEC section 1: the common ticket model every connector produces.
 *
 * <p>Immutable. Built through {@link #builder(String, String, Instant, EventType)}, whose
 * {@link Builder#build()} checks that the fields the type requires are there ({@code priority} and
 * {@code status} on {@code created}, {@code priority} on {@code priority_changed}, {@code status} on
 * {@code status_changed}). Instants carry whole seconds: anything finer is dropped.
 *
 * <p>On {@code created} and {@code attributes_changed}, an attribute that is absent (null) leaves the
 * ticket's value as it was; there is no way to clear an attribute.
 */
public final class TicketEvent {
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the instants the wire format writes (four-digit years). */
    public static final long MIN_EPOCH_SECOND = -62_167_219_200L;
    public static final long MAX_EPOCH_SECOND = 253_402_300_799L;
    /** Whether {@code at} lies within the years 0000 to 9999, the instants an event can carry. */
    public static boolean representable(Instant at) {
        return representable(at.getEpochSecond());
    }

    private static boolean representable(long epochSecond) {
        return epochSecond >= MIN_EPOCH_SECOND && epochSecond <= MAX_EPOCH_SECOND;
    }

    /** The longest id and ticket key: what the store's key columns hold. */
    public static final int MAX_KEY_LENGTH = 1000;
    private final String id;
    private final String ticket;
    private final long atEpochSecond;
    private final EventType type;
    private final Priority priority;
    private final TicketStatus status;
    private final String tier;
    private final String channel;
    private final String category;
    private final String account;
    private final String source;
    private final String title;
    private final String author;
    private final String other;

    private TicketEvent(Builder b) {
        this.id = b.id;
        this.ticket = b.ticket;
        this.atEpochSecond = b.atEpochSecond;
        this.type = b.type;
        this.priority = b.priority;
        this.status = b.status;
        this.tier = b.tier;
        this.channel = b.channel;
        this.category = b.category;
        this.account = b.account;
        this.source = b.source;
        this.title = b.title;
        this.author = b.author;
        this.other = b.other;
    }

    public static Builder builder(String id, String ticket, Instant at, EventType type) {
        return new Builder(id, ticket, Objects.requireNonNull(at, "at").getEpochSecond(), type);
    }

    public static Builder builder(String id, String ticket, long atEpochSecond, EventType type) {
        return new Builder(id, ticket, atEpochSecond, type);
    }

    public String id() {
        return id;
    }

    public String ticket() {
        return ticket;
    }

    public Instant at() {
        return Instant.ofEpochSecond(atEpochSecond);
    }

    /** The event instant in seconds since the epoch: what the fold works in. */
    public long atEpochSecond() {
        return atEpochSecond;
    }

    public EventType type() {
        return type;
    }

    /** The new priority on {@code created} and {@code priority_changed}; null elsewhere. */
    public Priority priority() {
        return priority;
    }

    /** The new status on {@code created} and {@code status_changed}; null elsewhere. */
    public TicketStatus status() {
        return status;
    }

    public String tier() {
        return tier;
    }

    public String channel() {
        return channel;
    }

    public String category() {
        return category;
    }

    public String account() {
        return account;
    }

    public String source() {
        return source;
    }

    public String title() {
        return title;
    }

    public String author() {
        return author;
    }

    /**
     * The other ticket of a {@code linked} or {@code unlinked} event (a source-scoped key such as
     * {@code salesforce:5003x00000ABCdE}); null on every other type.
     */
    public String other() {
        return other;
    }

    /** The value this event carries for a policy attribute, or null when it carries none. */
    public String attribute(Attribute attribute) {
        switch (attribute) {
            case PRIORITY:
                return priority == null ? null : priority.wireName();
            case TIER:
                return tier;
            case CHANNEL:
                return channel;
            case CATEGORY:
                return category;
            case ACCOUNT:
                return account;
            case SOURCE:
                return source;
            default:
                throw new AssertionError(attribute);
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof TicketEvent)) {
            return false;
        }
        TicketEvent e = (TicketEvent) o;
        return atEpochSecond == e.atEpochSecond && id.equals(e.id) && ticket.equals(e.ticket) && type == e.type
                && priority == e.priority && status == e.status && Objects.equals(tier, e.tier)
                && Objects.equals(channel, e.channel) && Objects.equals(category, e.category)
                && Objects.equals(account, e.account) && Objects.equals(source, e.source)
                && Objects.equals(title, e.title) && Objects.equals(author, e.author)
                && Objects.equals(other, e.other);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, ticket, atEpochSecond, type);
    }

    @Override
    public String toString() {
        return "TicketEvent{" + id + " " + ticket + " " + at() + " " + type.wireName()
                + (priority == null ? "" : " priority=" + priority.wireName())
                + (status == null ? "" : " status=" + status.wireName())
                + (other == null ? "" : " other=" + other) + "}";
    }

    /** Collects an event's optional fields; {@link #build()} checks the whole. */
    public static final class Builder {
        private final String id;
        private final String ticket;
        private final long atEpochSecond;
        private final EventType type;
        private Priority priority;
        private TicketStatus status;
        private String tier;
        private String channel;
        private String category;
        private String account;
        private String source;
        private String title;
        private String author;
        private String other;

        private Builder(String id, String ticket, long atEpochSecond, EventType type) {
            this.id = id;
            this.ticket = ticket;
            this.atEpochSecond = atEpochSecond;
            this.type = type;
        }

        public Builder priority(Priority value) {
            this.priority = value;
            return this;
        }

        public Builder status(TicketStatus value) {
            this.status = value;
            return this;
        }

        public Builder tier(String value) {
            this.tier = value;
            return this;
        }

        public Builder channel(String value) {
            this.channel = value;
            return this;
        }

        public Builder category(String value) {
            this.category = value;
            return this;
        }

        public Builder account(String value) {
            this.account = value;
            return this;
        }

        public Builder source(String value) {
            this.source = value;
            return this;
        }

        public Builder title(String value) {
            this.title = value;
            return this;
        }

        public Builder author(String value) {
            this.author = value;
            return this;
        }

        /** The other ticket's key, on {@code linked} and {@code unlinked}. */
        public Builder other(String value) {
            this.other = value;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the field that is missing, empty or longer than
         *                                  {@value #MAX_KEY_LENGTH} characters (id, ticket), or an instant outside
         *                                  the years 0000 to 9999
         */
        public TicketEvent build() {
            requireText("id", id);
            requireText("ticket", ticket);
            if (type == null) {
                throw new IllegalArgumentException("missing field 'type'");
            }
            if (!representable(atEpochSecond)) {
                // Beyond what the event log can write back, and no ticket's time: a source's garbage.
                throw new IllegalArgumentException("field 'at' (" + atEpochSecond + " s since 1970) is outside the years "
                        + "0000 to 9999");
            }
            if ((type == EventType.CREATED || type == EventType.PRIORITY_CHANGED) && priority == null) {
                throw new IllegalArgumentException("missing field 'priority' (required on " + type.wireName() + ")");
            }
            if ((type == EventType.CREATED || type == EventType.STATUS_CHANGED) && status == null) {
                throw new IllegalArgumentException("missing field 'status' (required on " + type.wireName() + ")");
            }
            if (type.namesOther()) {
                requireText("other", other);
                if (!isTicketKey(other)) {
                    throw new IllegalArgumentException("field 'other' ('" + other + "') is not a ticket key: expected "
                            + "<source>:<key>, such as jira:ENG-42 or salesforce:5003x00000ABCdE");
                }
                if (other.equals(ticket)) {
                    throw new IllegalArgumentException("field 'other' names the event's own ticket " + ticket
                            + ": a ticket cannot be linked to itself");
                }
            } else {
                other = null;
            }
            // Fields a type does not carry are dropped, so that a stray value can never act.
            if (type != EventType.CREATED && type != EventType.PRIORITY_CHANGED) {
                priority = null;
            }
            if (type != EventType.CREATED && type != EventType.STATUS_CHANGED) {
                status = null;
            }
            if (type != EventType.CREATED && type != EventType.ATTRIBUTES_CHANGED) {
                tier = null;
                channel = null;
                category = null;
                account = null;
            }
            return new TicketEvent(this);
        }

        /** {@code <source>:<key>}: a non-empty source name, a colon, a non-empty key, no surrounding blanks. */
        private static boolean isTicketKey(String value) {
            int colon = value.indexOf(':');
            return colon > 0 && colon < value.length() - 1 && value.strip().equals(value);
        }

        private static void requireText(String field, String value) {
            if (value == null) {
                throw new IllegalArgumentException("missing field '" + field + "'");
            }
            if (value.isBlank()) {
                throw new IllegalArgumentException("field '" + field + "' is empty");
            }
            if (value.length() > MAX_KEY_LENGTH) {
                // The store could not hold it, and a source would deliver it again and again.
                throw new IllegalArgumentException("field '" + field + "' is " + value.length() + " characters long; at "
                        + "most " + MAX_KEY_LENGTH);
            }
        }
    }
}
