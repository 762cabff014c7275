package io.slabridge.core.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.slabridge.core.model.Attribute;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Properties of a {@code when} with negated fields (SLA-SPEC 3) and of an OLA's two sides (7.2). */
class WhenProperties {
    private static final List<String> PRIORITIES = List.of("urgent", "high", "normal", "low");
    private static final List<String> KEYS = List.of("ENG", "SUP", "PLAT", "OPS");
    /** Every field a {@code when} may list. */
    private static final List<String> FIELDS = Stream.concat(Stream.of(Attribute.values()).map(Attribute::wireName),
            Stream.of("project")).toList();

    /** One field, values for it, and the ticket's value (null: none). */
    record Case(String field, Set<String> listed, String value) {
    }

    @Provide
    Arbitrary<Case> cases() {
        return Arbitraries.of(FIELDS).flatMap(field -> {
            List<String> universe = field.equals("priority") ? PRIORITIES : KEYS;
            return Combinators.combine(Arbitraries.of(universe).set().ofMinSize(1),
                            Arbitraries.of(universe).injectNull(0.25))
                    .as((listed, value) -> new Case(field, listed, value));
        });
    }

    /** For every field: {@code { not: X }} matches exactly the tickets {@code X} does not, those without a value too. */
    @Property
    void notXMatchesExactlyTheTicketsXDoesNot(@ForAll("cases") Case c) throws InvalidPolicyException {
        String list = String.join(", ", c.listed());
        PolicyCondition listed = parse(c.field() + ": [" + list + "]");
        PolicyCondition negated = parse(c.field() + ": { not: [" + list + "] }");
        String project = c.field().equals("project") ? c.value() : null;
        String[] values = new String[Attribute.values().length];
        Attribute attribute = Attribute.fromWire(c.field());
        if (attribute != null) {
            values[attribute.ordinal()] = c.value();
        }

        assertNotEquals(listed.matches(project, values), negated.matches(project, values), c.toString());
    }

    private static PolicyCondition parse(String field) throws InvalidPolicyException {
        return PolicyFileParser.parse("sla.yaml", """
                calendars:
                  always: { zone: UTC, week: 24x7 }
                policies:
                  - name: tested
                    when: { %s }
                    calendar: always
                    targets: { first_response: 1h }
                """.formatted(field)).policies().get(0).when();
    }

    private static final List<String> SMALL = List.of("ENG", "SUP", "PLAT");
    /** Every ticket over project and tier, as {project, tier}: each a value of {@link #SMALL}, another, or none. */
    private static final List<String[]> TICKETS = tickets();

    private static List<String[]> tickets() {
        List<String> values = new ArrayList<>(SMALL);
        values.add("OTHER");
        values.add(null);
        List<String[]> out = new ArrayList<>();
        for (String project : values) {
            for (String tier : values) {
                out.add(new String[] {project, tier});
            }
        }
        return out;
    }

    @Provide
    Arbitrary<PolicyCondition> sides() {
        Arbitrary<FieldCondition> field = Combinators.combine(Arbitraries.of(SMALL).set().ofMinSize(1),
                Arbitraries.of(true, false)).as(FieldCondition::new).injectNull(0.3);
        return Combinators.combine(field, field).as((project, tier) -> {
            Map<Attribute, FieldCondition> fields = new EnumMap<>(Attribute.class);
            if (tier != null) {
                fields.put(Attribute.TIER, tier);
            }
            return PolicyCondition.of(project, fields);
        });
    }

    /**
     * The OLA rule is exact: two sides are accepted as telling the tickets of a link apart exactly when no ticket
     * (any project and tier, or none) matches both.
     */
    @Property
    void sidesExcludeEachOtherExactlyWhenNoTicketMatchesBoth(@ForAll("sides") PolicyCondition engineering,
            @ForAll("sides") PolicyCondition customer) {
        List<String> both = TICKETS.stream().filter(t -> matches(engineering, t) && matches(customer, t))
                .map(t -> t[0] + "/" + t[1]).collect(Collectors.toList());

        assertEquals(both.isEmpty(), engineering.excludes(customer), engineering + " against " + customer + ": " + both);
        assertEquals(engineering.excludes(customer), customer.excludes(engineering), "symmetric");
    }

    private static boolean matches(PolicyCondition c, String[] projectAndTier) {
        String[] attributes = new String[Attribute.values().length];
        attributes[Attribute.TIER.ordinal()] = projectAndTier[1];
        return c.matches(projectAndTier[0], attributes);
    }
}
