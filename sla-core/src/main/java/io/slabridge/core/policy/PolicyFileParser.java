package io.slabridge.core.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.slabridge.core.calendar.BusinessCalendar;
import io.slabridge.core.calendar.HolidaySource;
import io.slabridge.core.calendar.OpeningHours;
import io.slabridge.core.calendar.PublicHolidays;
import io.slabridge.core.escalation.EscalationAction;
import io.slabridge.core.escalation.EscalationStep;
import io.slabridge.core.escalation.StepContext;
import io.slabridge.core.escalation.StepThreshold;
import io.slabridge.core.model.Attribute;
import io.slabridge.core.model.LinkSide;
import io.slabridge.core.model.Metric;
import io.slabridge.core.model.Priority;
import io.slabridge.core.model.TicketStatus;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads a policy file (SLA-SPEC sections 2 and 3, and the escalation ladder of docs/explanation/sla-semantics.md) into a
 * {@link PolicySet}, or rejects it as a whole with every problem it finds, each naming the file and the line.
 * Nothing runs on a half-read policy.
 */
public final class PolicyFileParser {
    /** The text of a {@code notify} action that gives none; it may use the names of {@link StepContext}. */
    public static final String DEFAULT_NOTIFY_TEXT =
            "SLA {condition}: {metric} of {ticket} ({title}) is due {due} under policy {policy}.";

    /** The text of a {@code slack} or {@code teams} action that gives none; the message shows the ticket's fields too. */
    public static final String DEFAULT_ALERT_TEXT = "SLA {condition}: {metric} of {ticket} ({title}), step {step}";

    private static final List<String> TOP_LEVEL_KEYS = List.of("calendars", "policies", "pause_statuses", "on_reopen",
            "warnings", "escalations", "selection", "olas");
    private static final List<String> CALENDAR_KEYS = List.of("zone", "week", "holidays", "holiday_country");
    private static final List<String> POLICY_KEYS = List.of("name", "when", "calendar", "targets");
    private static final List<String> STEP_KEYS = List.of("name", "at", "metrics", "actions");
    private static final List<String> OLA_KEYS = List.of("name", "when", "calendar", "targets", "within_customer",
            "escalations");
    private static final List<String> OLA_WHEN_KEYS = List.of("engineering", "customer");
    /** The fields a {@code when} may list: the ticket's attributes, and the Jira project of its key. */
    private static final String PROJECT = "project";
    private static final String WHEN_FIELDS = Attribute.wireChoices() + ", " + PROJECT;
    private static final String NOT = "not";
    /** Jira's rule for project keys: a letter, then letters, digits or underscores; Jira keeps them in capitals. */
    private static final Pattern JIRA_PROJECT_KEY = Pattern.compile("[A-Z][A-Z0-9_]*");
    private static final List<String> OLA_STEP_KEYS = List.of("name", "at", "metrics", "actions", "on");
    /** The longest escalation step name: what the store's {@code escalation_done.step} column holds. */
    static final int MAX_STEP_NAME = 200;
    private static final List<String> ACTIONS = List.of("comment", "notify", "set_priority", "assign", "slack",
            "teams");
    private static final List<String> ASSIGN_KEYS = List.of("to");
    /** The source of mailbox tickets: a mailbox has no assignee, so {@code assign} cannot act on them. */
    static final String EMAIL_SOURCE = "email";
    private static final List<String> COMMENT_KEYS = List.of("visibility", "text");
    private static final List<String> NOTIFY_KEYS = List.of("to", "text");
    private static final List<String> SLACK_KEYS = List.of("channel", "to", "text");
    private static final List<String> TEAMS_KEYS = List.of("webhook", "text");
    /** A channel as chat.postMessage takes it: {@code #name} (Slack's rules for names) or a conversation id. */
    private static final java.util.regex.Pattern SLACK_CHANNEL =
            java.util.regex.Pattern.compile("#[a-z0-9][a-z0-9._-]{0,79}|[CG][A-Z0-9]{6,}");
    private static final String THRESHOLD_FORMS = "\"75%\" (a share of the target), \"-15m\" (before the due instant), "
            + "\"breach\" or \"+1h\" (business time after the breach)";
    /** The names a text may use, as written there, in a stable order: {cycle}, {due}, ... */
    private static final String PLACEHOLDERS = new TreeSet<>(StepContext.NAMES).stream().map(n -> "{" + n + "}")
            .collect(Collectors.joining(", "));
    private static final Map<String, DayOfWeek> DAYS = Map.of("mon", DayOfWeek.MONDAY, "tue", DayOfWeek.TUESDAY,
            "wed", DayOfWeek.WEDNESDAY, "thu", DayOfWeek.THURSDAY, "fri", DayOfWeek.FRIDAY, "sat", DayOfWeek.SATURDAY,
            "sun", DayOfWeek.SUNDAY);

    private final String file;
    private final List<PolicyProblem> problems = new ArrayList<>();
    /** Every calendar name the file declares, valid or not: a policy naming a broken one gets no second message. */
    private final Set<String> declaredCalendars = new LinkedHashSet<>();
    /** Where each {@code assign} action is, for the check that some policy can reach a ticket it can reassign. */
    private final List<AssignAt> assigns = new ArrayList<>();

    private record AssignAt(int line, String where) {
    }

    private PolicyFileParser(String file) {
        this.file = file;
    }

    /** Reads and checks the file at {@code path}; messages name it as given. */
    public static PolicySet parse(Path path) throws InvalidPolicyException {
        String text;
        try {
            text = Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new InvalidPolicyException(List.of(PolicyProblem.of(path.toString(), 0, "no such file")));
        } catch (IOException e) {
            throw new InvalidPolicyException(List.of(PolicyProblem.of(path.toString(), 0, "cannot read the file ("
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")")));
        }
        return parse(path.toString(), text);
    }

    /**
     * @param file the name messages give the text, usually its path
     */
    public static PolicySet parse(String file, String yaml) throws InvalidPolicyException {
        return new PolicyFileParser(file).document(yaml);
    }

    private PolicySet document(String yaml) throws InvalidPolicyException {
        YamlNode root = readTree(yaml);
        if (root == null) {
            throw new InvalidPolicyException(problems);
        }
        if (!root.isMap()) {
            problem(root.line(), "the file must be a mapping with 'calendars' and 'policies', found " + root.describe());
            throw new InvalidPolicyException(problems);
        }
        for (String key : root.entries().keySet()) {
            if (!TOP_LEVEL_KEYS.contains(key)) {
                problem(root.keyLine(key), "unknown key '" + key + "' (expected one of " + String.join(", ", TOP_LEVEL_KEYS) + ")");
            }
        }
        Map<String, BusinessCalendar> calendars = calendars(root);
        List<SlaPolicy> policies = policies(root, calendars);
        Set<TicketStatus> pauses = pauseStatuses(root.get("pause_statuses"));
        ReopenMode reopen = onReopen(root.get("on_reopen"));
        List<WarningThreshold> warnings = warnings(root.get("warnings"));
        List<EscalationStep> escalations = escalations(root.get("escalations"));
        Selection selection = selection(root.get("selection"));
        assignsReachATicket(policies);
        List<OlaPolicy> olas = olas(root.get("olas"), calendars);
        if (!problems.isEmpty()) {
            problems.sort(Comparator.comparingInt(PolicyProblem::line)); // stable: one line's problems keep their order
            throw new InvalidPolicyException(problems);
        }
        return PolicySet.of(file, calendars, policies, pauses, reopen, warnings, escalations, selection).withOlas(olas);
    }

    private YamlNode readTree(String yaml) {
        try (JsonParser p = YAMLFactory.builder().build().createParser(yaml)) {
            if (p.nextToken() == null) {
                problem(0, "the file is empty: it needs 'calendars' and 'policies'");
                return null;
            }
            YamlNode root = YamlNode.read(p, (key, line) -> problem(line, "key '" + key + "' appears twice in the same mapping"));
            JsonToken after = p.nextToken();
            if (after != null) {
                problem(p.currentTokenLocation().getLineNr(), "a second YAML document: a policy file holds exactly one");
            }
            return root;
        } catch (JsonProcessingException e) {
            problem(yamlErrorLine(e), "not valid YAML: " + yamlMessage(e.getOriginalMessage()));
            return null;
        } catch (IOException e) {
            problem(0, "cannot read the file: " + e);
            return null;
        }
    }

    /**
     * The line of the YAML problem itself: Jackson's location is where the last good token ended, which for
     * an error at the start of a line is the line before; the YAML parser's own problem mark is exact. A
     * problem found only at the end of the file (an unclosed bracket) belongs where the construct began.
     */
    private static int yamlErrorLine(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof MarkedYAMLException && ((MarkedYAMLException) t).getProblemMark() != null) {
                MarkedYAMLException y = (MarkedYAMLException) t;
                boolean atEnd = String.valueOf(y.getProblem()).contains("<stream end>");
                return (atEnd && y.getContextMark() != null ? y.getContextMark() : y.getProblemMark()).getLine() + 1;
            }
        }
        return e.getLocation() == null ? 0 : Math.max(e.getLocation().getLineNr(), 0);
    }

    /**
     * The YAML parser's message without its multi-line context (quoted source and caret lines, which the
     * line number already points to): "while parsing a flow node: expected the node content, but found ...".
     */
    static String yamlMessage(String raw) {
        Set<String> parts = new LinkedHashSet<>();
        for (String line : raw.split("\\R")) {
            if (!line.isBlank() && !Character.isWhitespace(line.charAt(0))) {
                parts.add(line.strip());
            }
        }
        return parts.isEmpty() ? raw.strip() : String.join(": ", parts);
    }

    // ---- calendars -------------------------------------------------------------------------------------

    private Map<String, BusinessCalendar> calendars(YamlNode root) {
        YamlNode node = root.get("calendars");
        Map<String, BusinessCalendar> calendars = new LinkedHashMap<>();
        if (node == null) {
            problem(root.line(), "no 'calendars': every policy names a calendar, e.g. calendars: { always: { zone: UTC, week: 24x7 } }");
            return calendars;
        }
        if (!node.isMap() || node.entries().isEmpty()) {
            problem(node.line(), "'calendars' must be a mapping of calendar names to calendars, found " + node.describe());
            return calendars;
        }
        node.entries().forEach((name, cal) -> {
            declaredCalendars.add(name);
            BusinessCalendar c = calendar(name, cal, node.keyLine(name));
            if (c != null) {
                calendars.put(name, c);
            }
        });
        return calendars;
    }

    /** @param nameLine the line of the calendar's name: in block style a mapping's own line is its first key's */
    private BusinessCalendar calendar(String name, YamlNode node, int nameLine) {
        String where = "calendar '" + name + "'";
        if (!node.isMap()) {
            problem(node.line(), where + " must be a mapping with 'zone' and 'week', found " + node.describe());
            return null;
        }
        unknownKeys(node, CALENDAR_KEYS, where);
        int before = problems.size();
        ZoneId zone = null;
        YamlNode zoneNode = node.get("zone");
        if (zoneNode == null) {
            problem(nameLine, where + " has no 'zone' (an IANA time zone such as Europe/Berlin or UTC)");
        } else if (!zoneNode.isScalar()) {
            problem(zoneNode.line(), where + ": 'zone' must be an IANA time zone name, found " + zoneNode.describe());
        } else {
            try {
                zone = ZoneId.of(zoneNode.text().strip());
            } catch (DateTimeException e) {
                problem(zoneNode.line(), where + ": unknown time zone '" + zoneNode.text() + "' (use an IANA name such as Europe/Berlin)");
            }
        }
        Set<LocalDate> holidays = holidays(where, node.get("holidays"));
        HolidaySource publicHolidays = HolidaySource.NONE;
        YamlNode country = node.get("holiday_country");
        if (country != null) {
            if (!country.isScalar()) {
                problem(country.line(), where + ": 'holiday_country' must be a country code such as DE, found " + country.describe());
            } else {
                try {
                    publicHolidays = PublicHolidays.of(country.text());
                } catch (IllegalArgumentException e) {
                    problem(country.line(), where + ": holiday_country " + e.getMessage());
                }
            }
        }
        YamlNode weekNode = node.get("week");
        if (weekNode == null) {
            problem(nameLine, where + " has no 'week' (opening hours per day, or 24x7)");
            return null;
        }
        if (weekNode.isScalar() && weekNode.text().strip().equals("24x7")) {
            return problems.size() > before ? null : BusinessCalendar.alwaysOpen(name, zone, holidays, publicHolidays);
        }
        if (!weekNode.isMap()) {
            problem(weekNode.line(), where + ": 'week' must be 24x7 or a mapping of days (mon..sun) to intervals, found "
                    + weekNode.describe());
            return null;
        }
        Map<DayOfWeek, List<OpeningHours>> week = new EnumMap<>(DayOfWeek.class);
        weekNode.entries().forEach((dayName, hours) -> {
            DayOfWeek day = DAYS.get(dayName);
            if (day == null) {
                problem(weekNode.keyLine(dayName), where + ": unknown day '" + dayName + "' (days are mon, tue, wed, thu, fri, sat, sun)");
                return;
            }
            List<OpeningHours> intervals = new ArrayList<>();
            for (YamlNode item : listOf(hours)) {
                if (!item.isScalar()) {
                    problem(item.line(), where + ", " + dayName + ": an interval must be text such as 09:00-17:00, found " + item.describe());
                    continue;
                }
                try {
                    intervals.add(OpeningHours.parse(item.text()));
                } catch (IllegalArgumentException e) {
                    problem(item.line(), where + ", " + dayName + ": " + e.getMessage());
                }
            }
            week.put(day, intervals);
        });
        if (problems.size() > before) {
            return null;
        }
        if (week.values().stream().allMatch(List::isEmpty)) {
            problem(node.keyLine("week"), where + " is never open: its week has no opening hours");
            return null;
        }
        return BusinessCalendar.of(name, zone, week, holidays, publicHolidays);
    }

    private Set<LocalDate> holidays(String where, YamlNode node) {
        Set<LocalDate> days = new LinkedHashSet<>();
        if (node == null) {
            return days;
        }
        for (YamlNode item : listOf(node)) {
            try {
                days.add(LocalDate.parse(item.isScalar() ? item.text().strip() : ""));
            } catch (DateTimeParseException e) {
                problem(item.line(), where + ": holiday " + item.describe() + " is not a date of the form 2026-12-24");
            }
        }
        return days;
    }

    // ---- policies --------------------------------------------------------------------------------------

    private List<SlaPolicy> policies(YamlNode root, Map<String, BusinessCalendar> calendars) {
        YamlNode node = root.get("policies");
        List<SlaPolicy> policies = new ArrayList<>();
        if (node == null) {
            problem(root.line(), "no 'policies': the file needs at least one policy");
            return policies;
        }
        if (!node.isList() || node.items().isEmpty()) {
            problem(node.line(), "'policies' must be a non-empty list of policies, found " + (node.isList() ? "an empty list" : node.describe()));
            return policies;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (YamlNode item : node.items()) {
            SlaPolicy p = policy(item, policies.size(), calendars, seen);
            if (p != null) {
                policies.add(p);
            }
        }
        return policies;
    }

    /**
     * The entry's {@code calendar}, or null: missing (a problem), unknown (a problem), or declared but broken (its
     * own problem was reported where it is declared).
     */
    private BusinessCalendar calendarOf(YamlNode node, String where, Map<String, BusinessCalendar> calendars) {
        YamlNode calNode = node.get("calendar");
        if (calNode == null || !calNode.isScalar()) {
            problem(calNode == null ? node.line() : calNode.line(), where + " needs a 'calendar' (one of: "
                    + String.join(", ", declaredCalendars) + ")");
            return null;
        }
        BusinessCalendar calendar = calendars.get(calNode.text().strip());
        if (calendar == null && !declaredCalendars.contains(calNode.text().strip())) {
            problem(calNode.line(), where + ": unknown calendar '" + calNode.text() + "' (known: "
                    + String.join(", ", declaredCalendars) + ")");
        }
        return calendar;
    }

    /** The entry's {@code name}, or null after a problem: missing, or already used by an entry of the same kind. */
    private String uniqueName(YamlNode node, Map<String, Integer> seen, String aKind, String kind) {
        YamlNode nameNode = node.get("name");
        if (nameNode == null || !nameNode.isScalar() || nameNode.text().isBlank()) {
            problem(nameNode == null ? node.line() : nameNode.line(), aKind + " needs a 'name'");
            return null;
        }
        String name = nameNode.text().strip();
        Integer first = seen.putIfAbsent(name, nameNode.line());
        if (first != null) {
            problem(nameNode.line(), kind + " name '" + name + "' is already used on line " + first);
        }
        return name;
    }

    private SlaPolicy policy(YamlNode node, int position, Map<String, BusinessCalendar> calendars, Map<String, Integer> seen) {
        if (!node.isMap()) {
            problem(node.line(), "a policy must be a mapping with 'name', 'calendar' and 'targets', found " + node.describe());
            return null;
        }
        int before = problems.size();
        String name = uniqueName(node, seen, "a policy", "policy");
        String where = "policy '" + (name == null ? "?" : name) + "'";
        unknownKeys(node, POLICY_KEYS, where);
        PolicyCondition when = condition(where, node.get("when"));
        BusinessCalendar calendar = calendarOf(node, where, calendars);
        Map<Metric, Long> targets = targets(where, node, node.get("targets"));
        if (problems.size() > before || when == null || calendar == null) {
            return null;
        }
        return SlaPolicy.of(name, position, when, calendar, targets);
    }

    private PolicyCondition condition(String where, YamlNode node) {
        if (node == null || node.isNull()) {
            return PolicyCondition.ALWAYS;
        }
        if (!node.isMap()) {
            problem(node.line(), where + ": 'when' must be a mapping of fields to values, found " + node.describe());
            return null;
        }
        return condition(where, node, node.entries());
    }

    /** The condition of {@code entries}, fields of the mapping {@code node} (which gives their lines). */
    private PolicyCondition condition(String where, YamlNode node, Map<String, YamlNode> entries) {
        FieldCondition project = null;
        Map<Attribute, FieldCondition> fields = new EnumMap<>(Attribute.class);
        int before = problems.size();
        for (Map.Entry<String, YamlNode> e : entries.entrySet()) {
            String field = e.getKey();
            Attribute attribute = Attribute.fromWire(field);
            if (attribute == null && !field.equals(PROJECT)) {
                problem(node.keyLine(field), where + ": 'when' cannot match on '" + field + "' (fields: " + WHEN_FIELDS + ")");
                continue;
            }
            FieldCondition c = fieldCondition(where, field, e.getValue(), node.keyLine(field));
            if (attribute == null) {
                project = c;
            } else if (c != null) {
                fields.put(attribute, c);
            }
        }
        return problems.size() > before ? null : PolicyCondition.of(project, fields);
    }

    /**
     * One field of a {@code when}: its values, or {@code { not: values }} (SLA-SPEC 3); null after a problem.
     * {@code keyLine} is the line of the field's name.
     */
    private FieldCondition fieldCondition(String where, String field, YamlNode node, int keyLine) {
        int before = problems.size();
        String name = "when." + field;
        YamlNode values = node;
        int line = keyLine;
        boolean negated = node.isMap();
        if (negated) {
            for (String key : node.entries().keySet()) {
                if (!key.equals(NOT)) {
                    problem(node.keyLine(key), where + ": " + name + ": unknown key '" + key + "'; a field takes "
                            + "values, or { not: values }");
                }
            }
            values = node.get(NOT);
            if (values == null) {
                if (node.entries().isEmpty()) {
                    problem(node.line(), where + ": " + name + " is an empty mapping; write values, or { not: values }");
                }
                return null;
            }
            name += ".not";
            line = node.keyLine(NOT);
        }
        Set<String> set = new LinkedHashSet<>();
        for (YamlNode v : listOf(values)) {
            String text = v.isScalar() ? v.text().strip() : null;
            if (text == null) {
                problem(v.line(), where + ": " + name + " values must be text, found " + v.describe());
            } else if (field.equals(Attribute.PRIORITY.wireName()) && Priority.fromWire(text) == null) {
                problem(v.line(), where + ": unknown priority '" + v.text() + "' (priorities: " + Priority.wireChoices() + ")");
            } else if (field.equals(PROJECT) && !JIRA_PROJECT_KEY.matcher(text).matches()) {
                problem(v.line(), where + ": " + name + ": '" + v.text() + "' is not a Jira project key (a capital "
                        + "letter, then capitals, digits or _, such as ENG)");
            } else {
                set.add(text);
            }
        }
        if (set.isEmpty() && problems.size() == before) {
            problem(line, where + ": " + name + " lists no value");
        }
        return problems.size() > before ? null : new FieldCondition(set, negated);
    }

    private Map<Metric, Long> targets(String where, YamlNode policy, YamlNode node) {
        Map<Metric, Long> targets = new EnumMap<>(Metric.class);
        if (node == null || !node.isMap() || node.entries().isEmpty()) {
            problem(node == null ? policy.line() : node.line(), where + " needs 'targets', e.g. { first_response: 1h, resolution: 8h } (metrics: "
                    + Metric.wireChoices() + ")");
            return targets;
        }
        node.entries().forEach((metricName, value) -> {
            Metric metric = Metric.fromWire(metricName);
            if (metric == null) {
                problem(node.keyLine(metricName), where + ": unknown metric '" + metricName + "' (metrics: " + Metric.wireChoices() + ")");
                return;
            }
            if (!value.isScalar()) {
                problem(value.line(), where + ": target of " + metricName + " must be a duration such as 4h, found " + value.describe());
                return;
            }
            try {
                targets.put(metric, TargetDuration.parseSeconds(value.text()));
            } catch (IllegalArgumentException e) {
                problem(value.line(), where + ": target of " + metricName + ": " + e.getMessage());
            }
        });
        return targets;
    }

    // ---- file-wide settings ----------------------------------------------------------------------------

    private Set<TicketStatus> pauseStatuses(YamlNode node) {
        if (node == null) {
            return PolicySet.DEFAULT_PAUSE_STATUSES;
        }
        Set<TicketStatus> statuses = EnumSet.noneOf(TicketStatus.class);
        for (YamlNode item : listOf(node)) {
            TicketStatus s = item.isScalar() ? TicketStatus.fromWire(item.text().strip()) : null;
            if (s == null) {
                problem(item.line(), "pause_statuses: unknown status " + item.describe() + " (statuses: " + TicketStatus.wireChoices() + ")");
            } else if (s.isResolved()) {
                problem(item.line(), "pause_statuses: '" + s.wireName() + "' cannot pause a clock: it stops the clocks");
            } else {
                statuses.add(s);
            }
        }
        return statuses;
    }

    private ReopenMode onReopen(YamlNode node) {
        if (node == null) {
            return ReopenMode.RESUME;
        }
        String text = node.isScalar() ? node.text().strip() : "";
        if (text.equals("resume")) {
            return ReopenMode.RESUME;
        }
        if (text.equals("restart")) {
            return ReopenMode.RESTART;
        }
        problem(node.line(), "on_reopen must be 'resume' or 'restart', found " + node.describe());
        return ReopenMode.RESUME;
    }

    private Selection selection(YamlNode node) {
        if (node == null) {
            return Selection.MOST_AGGRESSIVE;
        }
        Selection selection = node.isScalar() ? Selection.fromWire(node.text().strip()) : null;
        if (selection == null) {
            problem(node.line(), "selection must be one of " + Selection.wireChoices() + ", found " + node.describe());
            return Selection.MOST_AGGRESSIVE;
        }
        return selection;
    }

    private List<WarningThreshold> warnings(YamlNode node) {
        if (node == null) {
            return PolicySet.DEFAULT_WARNINGS;
        }
        return parseEach(node, "warnings", WarningThreshold::parse);
    }

    private <T> List<T> parseEach(YamlNode node, String what, Function<String, T> parse) {
        List<T> out = new ArrayList<>();
        for (YamlNode item : listOf(node)) {
            try {
                if (!item.isScalar()) {
                    throw new IllegalArgumentException("expected text, found " + item.describe());
                }
                out.add(parse.apply(item.text()));
            } catch (IllegalArgumentException e) {
                problem(item.line(), what + ": " + e.getMessage());
            }
        }
        return out;
    }

    // ---- OLAs (SLA-SPEC section 7) ---------------------------------------------------------------------

    private List<OlaPolicy> olas(YamlNode node, Map<String, BusinessCalendar> calendars) {
        List<OlaPolicy> olas = new ArrayList<>();
        if (node == null || node.isNull()) {
            return olas;
        }
        if (!node.isList()) {
            problem(node.line(), "'olas' must be a list of OLAs, each with 'name', 'when', 'calendar' and 'targets', "
                    + "found " + node.describe());
            return olas;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (YamlNode item : node.items()) {
            OlaPolicy ola = ola(item, olas.size(), calendars, seen);
            if (ola != null) {
                olas.add(ola);
            }
        }
        return olas;
    }

    private OlaPolicy ola(YamlNode node, int position, Map<String, BusinessCalendar> calendars, Map<String, Integer> seen) {
        if (!node.isMap()) {
            problem(node.line(), "an OLA must be a mapping with 'name', 'when', 'calendar' and 'targets', found "
                    + node.describe());
            return null;
        }
        int before = problems.size();
        String name = uniqueName(node, seen, "an OLA", "OLA");
        String where = "OLA '" + (name == null ? "?" : name) + "'";
        unknownKeys(node, OLA_KEYS, where);
        PolicyCondition engineering = null;
        PolicyCondition customer = null;
        YamlNode when = node.get("when");
        if (when == null || !when.isMap()) {
            problem(when == null ? node.line() : when.line(), where + " needs 'when' with 'engineering' and 'customer' "
                    + "conditions, e.g. when: { engineering: { source: jira }, customer: { source: salesforce } }");
        } else {
            unknownKeys(when, OLA_WHEN_KEYS, where + ", when");
            engineering = olaSide(where, when, "engineering");
            customer = olaSide(where, when, "customer");
            if (engineering != null && customer != null && !engineering.excludes(customer)) {
                problem(when.line(), where + ": the 'engineering' and 'customer' conditions could match one ticket; list "
                        + "a field on both sides with no value in common (e.g. source: jira against source: salesforce, "
                        + "or project), so that the two tickets of a link are told apart");
            }
        }
        BusinessCalendar calendar = calendarOf(node, where, calendars);
        Map<Metric, Long> targets = targets(where, node, node.get("targets"));
        YamlNode targetsNode = node.get("targets");
        targets.keySet().forEach(metric -> {
            if (!OlaPolicy.METRICS.contains(metric)) {
                problem(targetsNode.keyLine(metric.wireName()), where + ": an OLA times first_response and resolution "
                        + "only, not " + metric.wireName());
            }
        });
        long margin = OlaPolicy.NO_MARGIN;
        YamlNode within = node.get("within_customer");
        if (within != null) {
            try {
                if (!within.isScalar()) {
                    throw new IllegalArgumentException("must be a duration such as 30m, found " + within.describe());
                }
                margin = TargetDuration.parseSeconds(within.text());
            } catch (IllegalArgumentException e) {
                problem(within.line(), where + ": within_customer: " + e.getMessage());
            }
        }
        List<OlaStep> steps = olaSteps(where, node.get("escalations"));
        if (problems.size() > before || engineering == null || customer == null || calendar == null) {
            return null;
        }
        return OlaPolicy.of(name, position, engineering, customer, calendar, targets, margin, steps);
    }

    /** {@code when.engineering} or {@code when.customer}: a policy's {@code when}, which must list a field. */
    private PolicyCondition olaSide(String where, YamlNode when, String side) {
        YamlNode node = when.get(side);
        if (node == null || !node.isMap() || node.entries().isEmpty()) {
            problem(node == null ? when.line() : node.line(), where + ": when." + side + " must be a non-empty mapping "
                    + "of fields to values (fields: " + WHEN_FIELDS + ")");
            return null;
        }
        return condition(where + ", when." + side, node, node.entries());
    }

    private List<OlaStep> olaSteps(String where, YamlNode node) {
        List<OlaStep> steps = new ArrayList<>();
        if (node == null || node.isNull()) {
            return steps;
        }
        if (!node.isList()) {
            problem(node.line(), where + ": 'escalations' must be a list of steps, each with 'name', 'at' and 'actions', "
                    + "found " + node.describe());
            return steps;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.items().size(); i++) {
            YamlNode item = node.items().get(i);
            EscalationStep step = escalationStep(item, i + 1, seen, OLA_STEP_KEYS, where + ", ");
            if (step == null) {
                continue;
            }
            String stepWhere = where + ", escalation '" + step.name() + "'";
            boolean ok = true;
            for (EscalationAction a : step.actions()) {
                if (a instanceof EscalationAction.SetPriority || a instanceof EscalationAction.Assign) {
                    problem(item.line(), stepWhere + ": an OLA step cannot "
                            + (a instanceof EscalationAction.Assign ? "assign" : "set_priority")
                            + " (actions: comment, notify, slack, teams): the OLA tells people, the tickets stay theirs");
                    ok = false;
                }
            }
            LinkSide on = LinkSide.ENGINEERING;
            YamlNode onNode = item.get("on");
            if (onNode != null) {
                on = onNode.isScalar() ? LinkSide.fromWire(onNode.text().strip()) : null;
                if (on == null) {
                    problem(onNode.line(), stepWhere + ": 'on' must be 'engineering' (the default) or 'customer', found "
                            + onNode.describe());
                    ok = false;
                }
            }
            if (ok) {
                steps.add(new OlaStep(step, on));
            }
        }
        return steps;
    }

    // ---- escalation ladder -----------------------------------------------------------------------------

    private List<EscalationStep> escalations(YamlNode node) {
        List<EscalationStep> steps = new ArrayList<>();
        if (node == null || node.isNull()) {
            return steps;
        }
        if (!node.isList()) {
            problem(node.line(), "'escalations' must be a list of steps, each with 'name', 'at' and 'actions', found "
                    + node.describe());
            return steps;
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < node.items().size(); i++) {
            EscalationStep step = escalationStep(node.items().get(i), i + 1, seen, STEP_KEYS, "");
            if (step != null) {
                steps.add(step);
            }
        }
        return steps;
    }

    /** @param number the step's place in the ladder, from 1: names a step that has no name */
    private EscalationStep escalationStep(YamlNode node, int number, Map<String, Integer> seen, List<String> keys,
            String prefix) {
        if (!node.isMap()) {
            problem(node.line(), prefix + "escalation step " + number + " must be a mapping with 'name', 'at' and "
                    + "'actions', found " + node.describe());
            return null;
        }
        int before = problems.size();
        String name = stepName(node, number, seen);
        String where = prefix + (name == null ? "escalation step " + number : "escalation '" + name + "'");
        unknownKeys(node, keys, where);
        StepThreshold at = stepThreshold(where, node);
        Set<Metric> metrics = stepMetrics(where, node);
        List<EscalationAction> actions = actions(where, node);
        if (problems.size() > before) {
            return null;
        }
        return new EscalationStep(name, at, metrics, actions);
    }

    private String stepName(YamlNode step, int number, Map<String, Integer> seen) {
        YamlNode node = step.get("name");
        if (node == null || !node.isScalar() || node.text().isBlank()) {
            problem(node == null ? step.line() : node.line(), "escalation step " + number
                    + " needs a 'name', unique among the steps");
            return null;
        }
        String name = node.text().strip();
        if (name.length() > MAX_STEP_NAME) {
            // The store keeps the steps done by name; a longer one could be parsed but never recorded, and every
            // refold of a ticket reaching it would fail (PolicyReloadFuzzProperties found it).
            problem(node.line(), "escalation step " + number + ": the name has " + name.length()
                    + " characters; at most " + MAX_STEP_NAME);
            return null;
        }
        Integer first = seen.putIfAbsent(name, node.line());
        if (first != null) {
            problem(node.line(), "escalation '" + name + "': the name is already used by the step on line " + first);
        }
        return name;
    }

    private StepThreshold stepThreshold(String where, YamlNode step) {
        YamlNode node = step.get("at");
        if (node == null) {
            problem(step.line(), where + " needs 'at': " + THRESHOLD_FORMS);
            return null;
        }
        if (!node.isScalar()) {
            problem(node.line(), where + ": 'at' must be one of " + THRESHOLD_FORMS + ", found " + node.describe());
            return null;
        }
        try {
            return StepThreshold.parse(node.text());
        } catch (IllegalArgumentException e) {
            problem(node.line(), where + ": " + e.getMessage());
            return null;
        }
    }

    /** The metrics a step names; empty (all metrics) when it names none. */
    private Set<Metric> stepMetrics(String where, YamlNode step) {
        YamlNode node = step.get("metrics");
        Set<Metric> metrics = EnumSet.noneOf(Metric.class);
        if (node == null) {
            return metrics;
        }
        List<YamlNode> items = listOf(node);
        if (items.isEmpty()) {
            problem(step.keyLine("metrics"), where + ": 'metrics' lists no metric (leave it out for all of "
                    + Metric.wireChoices() + ")");
        }
        for (YamlNode item : items) {
            if (!item.isScalar()) {
                problem(item.line(), where + ": a metric must be text, found " + item.describe());
                continue;
            }
            Metric metric = Metric.fromWire(item.text().strip());
            if (metric == null) {
                problem(item.line(), where + ": unknown metric " + item.describe() + " (metrics: " + Metric.wireChoices() + ")");
            } else {
                metrics.add(metric);
            }
        }
        return metrics;
    }

    private List<EscalationAction> actions(String where, YamlNode step) {
        YamlNode node = step.get("actions");
        List<EscalationAction> actions = new ArrayList<>();
        if (node == null) {
            problem(step.line(), where + " needs 'actions': a list of at least one of " + String.join(", ", ACTIONS));
            return actions;
        }
        List<YamlNode> items = listOf(node);
        if (items.isEmpty()) {
            problem(step.keyLine("actions"), where + ": 'actions' is empty: a step needs at least one of "
                    + String.join(", ", ACTIONS));
        }
        for (YamlNode item : items) {
            EscalationAction action = action(where, item);
            if (action != null) {
                actions.add(action);
            }
        }
        return actions;
    }

    /** One list item of {@code actions}: a mapping with exactly one key, the kind of action. */
    private EscalationAction action(String where, YamlNode node) {
        String choices = String.join(", ", ACTIONS);
        if (!node.isMap()) {
            problem(node.line(), where + ": an action must be a mapping with one of " + choices
                    + " (e.g. - set_priority: urgent), found " + node.describe());
            return null;
        }
        List<String> kinds = new ArrayList<>();
        for (String key : node.entries().keySet()) {
            if (ACTIONS.contains(key)) {
                kinds.add(key);
            } else {
                problem(node.keyLine(key), where + ": unknown action '" + key + "' (actions: " + choices + ")");
            }
        }
        if (kinds.size() > 1) {
            problem(node.keyLine(kinds.get(1)), where + ": an action is exactly one of " + choices + ", found "
                    + String.join(" and ", kinds) + " together (give each its own '-' item)");
            return null;
        }
        if (kinds.isEmpty()) {
            if (node.entries().isEmpty()) {
                problem(node.line(), where + ": an action needs one of " + choices);
            }
            return null;
        }
        String kind = kinds.get(0);
        YamlNode value = node.get(kind);
        int line = node.keyLine(kind);
        switch (kind) {
            case "comment":
                return comment(where, value, line);
            case "notify":
                return notify(where, value, line);
            case "slack":
                return slack(where, value, line);
            case "teams":
                return teams(where, value, line);
            case "assign":
                return assign(where, value, line);
            default:
                return setPriority(where, value);
        }
    }

    /** @param line the line of the {@code comment} key: a block mapping's own line is its first key's */
    private EscalationAction comment(String where, YamlNode node, int line) {
        if (!node.isMap()) {
            problem(node.line(), where + ": 'comment' must be a mapping with 'text' and optional 'visibility' "
                    + "(internal or public), found " + node.describe());
            return null;
        }
        int before = problems.size();
        unknownKeys(node, COMMENT_KEYS, where + ", comment");
        EscalationAction.Visibility visibility = visibility(where, node.get("visibility"));
        String text = template(where + ", comment", node.get("text"));
        if (node.get("text") == null) {
            problem(line, where + ": a comment needs a 'text' (it may use " + PLACEHOLDERS + ")");
        }
        return problems.size() > before ? null : new EscalationAction.Comment(visibility, text);
    }

    private EscalationAction.Visibility visibility(String where, YamlNode node) {
        String text = node == null ? "internal" : node.isScalar() ? node.text().strip() : "";
        if (text.equals("internal")) {
            return EscalationAction.Visibility.INTERNAL;
        }
        if (text.equals("public")) {
            return EscalationAction.Visibility.PUBLIC;
        }
        problem(node.line(), where + ", comment: visibility must be 'internal' (agents only, the default) or 'public' "
                + "(the customer sees it too), found " + node.describe());
        return null;
    }

    /** @param line the line of the {@code notify} key */
    private EscalationAction notify(String where, YamlNode node, int line) {
        if (!node.isMap()) {
            problem(node.line(), where + ": 'notify' must be a mapping with 'to' (one e-mail address or a list) and "
                    + "optional 'text', found " + node.describe());
            return null;
        }
        int before = problems.size();
        unknownKeys(node, NOTIFY_KEYS, where + ", notify");
        List<String> to = addresses(where, node, line);
        String text = node.get("text") == null ? DEFAULT_NOTIFY_TEXT : template(where + ", notify", node.get("text"));
        return problems.size() > before ? null : new EscalationAction.Notify(to, text);
    }

    private List<String> addresses(String where, YamlNode notify, int line) {
        List<String> to = new ArrayList<>();
        YamlNode node = notify.get("to");
        if (node == null) {
            problem(line, where + ": notify needs 'to': one e-mail address or a list");
            return to;
        }
        List<YamlNode> items = listOf(node);
        if (items.isEmpty()) {
            problem(notify.keyLine("to"), where + ", notify: 'to' lists no address");
        }
        for (YamlNode item : items) {
            String address = item.isScalar() ? item.text().strip() : "";
            String wrong = item.isScalar() ? addressProblem(address) : "an address must be text, found " + item.describe();
            if (wrong != null) {
                problem(item.line(), where + ", notify: " + wrong);
            } else {
                to.add(address);
            }
        }
        return to;
    }

    /** Why {@code address} is no e-mail address, or null: the model's own rule, so the two cannot drift apart. */
    private static String addressProblem(String address) {
        try {
            new EscalationAction.Notify(List.of(address), DEFAULT_NOTIFY_TEXT);
            return null;
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }

    /** @param line the line of the {@code slack} key */
    private EscalationAction slack(String where, YamlNode node, int line) {
        if (!node.isMap()) {
            problem(node.line(), where + ": 'slack' must be a mapping with 'channel' (e.g. \"#support-escalations\") or "
                    + "'to: assignee', and optional 'text', found " + node.describe());
            return null;
        }
        int before = problems.size();
        unknownKeys(node, SLACK_KEYS, where + ", slack");
        YamlNode channelNode = node.get("channel");
        YamlNode toNode = node.get("to");
        String channel = null;
        if (channelNode != null && toNode != null) {
            problem(node.keyLine("to"), where + ", slack: 'channel' and 'to' together; give one (a second action "
                    + "for the other)");
        } else if (channelNode == null && toNode == null) {
            problem(line, where + ": slack needs 'channel' (e.g. \"#support-escalations\") or 'to: assignee'");
        } else if (channelNode != null) {
            channel = channelNode.isScalar() ? channelNode.text().strip() : "";
            if (!SLACK_CHANNEL.matcher(channel).matches()) {
                problem(channelNode.line(), where + ", slack: channel must be \"#name\" (lower case, digits, '-', '_', "
                        + "'.', quoted in YAML) or a channel id such as C0123456789, found " + channelNode.describe());
            }
        } else if (!toNode.isScalar() || !toNode.text().strip().equals("assignee")) {
            problem(toNode.line(), where + ", slack: 'to' can only be 'assignee' (a direct message to the ticket's "
                    + "assignee), found " + toNode.describe());
        }
        String text = node.get("text") == null ? DEFAULT_ALERT_TEXT : template(where + ", slack", node.get("text"));
        return problems.size() > before ? null : new EscalationAction.Slack(channel, text);
    }

    /** @param line the line of the {@code teams} key */
    private EscalationAction teams(String where, YamlNode node, int line) {
        if (!node.isMap()) {
            problem(node.line(), where + ": 'teams' must be a mapping with 'webhook' (a name from the settings "
                    + "sla.teams.webhook.<name>) and optional 'text', found " + node.describe());
            return null;
        }
        int before = problems.size();
        unknownKeys(node, TEAMS_KEYS, where + ", teams");
        YamlNode webhookNode = node.get("webhook");
        String webhook = null;
        if (webhookNode == null) {
            problem(line, where + ": teams needs 'webhook': the name of a webhook in the settings (sla.teams.webhook.<name>)");
        } else {
            webhook = webhookNode.isScalar() ? webhookNode.text().strip() : "";
            if (!webhook.matches("[A-Za-z0-9_-]+")) {
                problem(webhookNode.line(), where + ", teams: webhook must be a name of letters, digits, '-' and '_' "
                        + "(its URL is the setting sla.teams.webhook.<name>), found " + webhookNode.describe());
            }
        }
        String text = node.get("text") == null ? DEFAULT_ALERT_TEXT : template(where + ", teams", node.get("text"));
        return problems.size() > before ? null : new EscalationAction.Teams(webhook, text);
    }

    /** @param line the line of the {@code assign} key */
    private EscalationAction assign(String where, YamlNode node, int line) {
        String form = "'assign' must be a mapping with 'to': an e-mail address (Jira, Salesforce), a Salesforce user's "
                + "or queue's name, e.g. assign: { to: \"lead@acme.example\" }";
        if (!node.isMap()) {
            problem(node.line(), where + ": " + form + ", found " + node.describe());
            return null;
        }
        int before = problems.size();
        unknownKeys(node, ASSIGN_KEYS, where + ", assign");
        YamlNode toNode = node.get("to");
        String to = null;
        if (toNode == null) {
            problem(line, where + ": assign needs 'to': an e-mail address, a Salesforce user's or queue's name");
        } else if (!toNode.isScalar() || toNode.text().isBlank()) {
            problem(toNode.line(), where + ", assign: 'to' must be one e-mail address or name, found "
                    + (toNode.isScalar() ? "nothing" : toNode.describe()));
        } else if (toNode.text().strip().equals("assignee")) {
            problem(toNode.line(), where + ", assign: 'to: assignee' would give the ticket to whom it already has; "
                    + "name the person or queue, e.g. \"lead@acme.example\"");
        } else {
            to = toNode.text().strip();
        }
        if (problems.size() > before) {
            return null;
        }
        assigns.add(new AssignAt(line, where));
        return new EscalationAction.Assign(to);
    }

    /**
     * A file whose every policy is for mailbox tickets only ({@code when: { source: [email] }}) cannot reassign
     * anything: a mailbox has no assignee. Its {@code assign} actions are refused, rather than done as nothing.
     */
    private void assignsReachATicket(List<SlaPolicy> policies) {
        if (assigns.isEmpty() || policies.isEmpty()) {
            return;
        }
        List<String> emailOnly = new ArrayList<>();
        for (SlaPolicy p : policies) {
            FieldCondition sources = p.when().fields().get(Attribute.SOURCE);
            if (sources == null || !sources.equals(FieldCondition.anyOf(Set.of(EMAIL_SOURCE)))) {
                return; // this policy may time a Jira or Salesforce ticket
            }
            emailOnly.add("'" + p.name() + "'");
        }
        for (AssignAt a : assigns) {
            problem(a.line(), a.where() + ", assign: every policy of the file is for e-mail tickets only (when.source: "
                    + "[email] in " + String.join(", ", emailOnly) + "), and a mailbox has no assignee to change; "
                    + "remove the action, or add a policy for jira or salesforce tickets");
        }
    }

    private EscalationAction setPriority(String where, YamlNode node) {
        if (!node.isScalar()) {
            problem(node.line(), where + ": set_priority takes one priority (" + Priority.wireChoices() + "), found "
                    + node.describe());
            return null;
        }
        Priority priority = Priority.fromWire(node.text().strip());
        if (priority == null) {
            problem(node.line(), where + ", set_priority: unknown priority " + node.describe() + " (priorities: "
                    + Priority.wireChoices() + ")");
            return null;
        }
        return new EscalationAction.SetPriority(priority);
    }

    /**
     * The {@code text} of an action, as written: text that uses only the names of {@link StepContext}. Null when
     * absent (the caller knows whether that is allowed) or wrong (after a problem).
     */
    private String template(String where, YamlNode node) {
        if (node == null) {
            return null;
        }
        if (!node.isScalar()) {
            problem(node.line(), where + ": 'text' must be text, found " + node.describe()
                    + (node.isMap() ? " (quote a text that starts with '{')" : ""));
            return null;
        }
        if (node.text().isBlank()) {
            problem(node.line(), where + ": 'text' is empty");
            return null;
        }
        Set<String> unknown = new LinkedHashSet<>(StepContext.unknownNames(node.text()));
        if (!unknown.isEmpty()) {
            String names = unknown.stream().map(n -> "{" + n + "}").collect(Collectors.joining(", "));
            problem(node.line(), where + ": unknown placeholder" + (unknown.size() > 1 ? "s " : " ") + names
                    + " (known: " + PLACEHOLDERS + ")");
            return null;
        }
        return node.text();
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** A list's items, a single scalar as a one-item list (YAML lets a single value go without brackets), null as empty. */
    private static List<YamlNode> listOf(YamlNode node) {
        if (node.isList()) {
            return node.items();
        }
        if (node.isNull()) {
            return List.of();
        }
        return List.of(node);
    }

    private void unknownKeys(YamlNode node, List<String> known, String where) {
        for (String key : node.entries().keySet()) {
            if (!known.contains(key)) {
                problem(node.keyLine(key), where + ": unknown key '" + key + "' (expected one of " + String.join(", ", known) + ")");
            }
        }
    }

    private void problem(int line, String message) {
        problems.add(PolicyProblem.of(file, line, message));
    }
}
