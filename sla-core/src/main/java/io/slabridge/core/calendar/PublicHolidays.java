package io.slabridge.core.calendar;

import de.focus_shift.jollyday.core.Holiday;
import de.focus_shift.jollyday.core.HolidayCalendar;
import de.focus_shift.jollyday.core.HolidayManager;
import de.focus_shift.jollyday.core.HolidayType;
import de.focus_shift.jollyday.core.ManagerParameters;
import java.time.LocalDate;
import java.time.Year;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Public holidays of a country (and optionally a subdivision, {@code DE-BY}) from Jollyday, the maintained
 * holiday library: never a hand-kept list. Only {@link HolidayType#PUBLIC_HOLIDAY}s close a calendar, on
 * their observed date where the country moves them (a US holiday on a Saturday is observed on Friday).
 */
public final class PublicHolidays implements HolidaySource {
    private final String code;
    private final HolidayManager manager;
    private final String[] subdivisions;

    private PublicHolidays(String code, HolidayManager manager, String[] subdivisions) {
        this.code = code;
        this.manager = manager;
        this.subdivisions = subdivisions;
    }

    /**
     * @param code an ISO 3166 country code, optionally followed by subdivision codes: {@code DE}, {@code DE-BY}
     * @throws IllegalArgumentException when Jollyday knows no such country or subdivision
     */
    public static PublicHolidays of(String code) {
        Objects.requireNonNull(code, "code");
        // -1 keeps empty parts: "-" is then an unknown country "", not an empty array (PolicyFileFuzzProperties found it).
        String[] parts = code.strip().toLowerCase(Locale.ROOT).split("-", -1);
        String country = parts[0];
        boolean known = Arrays.stream(HolidayCalendar.values()).anyMatch(c -> c.getId().equalsIgnoreCase(country));
        if (!known) {
            throw new IllegalArgumentException("'" + code + "' is not a country the holiday library knows (use an ISO 3166 code such as DE, US, GB)");
        }
        HolidayManager manager = HolidayManager.getInstance(ManagerParameters.create(country));
        String[] subdivisions = Arrays.copyOfRange(parts, 1, parts.length);
        var hierarchy = manager.getCalendarHierarchy();
        for (String sub : subdivisions) {
            if (!hierarchy.getChildren().containsKey(sub)) {
                throw new IllegalArgumentException("'" + code + "': the holiday library knows no subdivision '" + sub.toUpperCase(Locale.ROOT)
                        + "' of " + country.toUpperCase(Locale.ROOT) + " (known: "
                        + String.join(", ", hierarchy.getChildren().keySet()).toUpperCase(Locale.ROOT) + ")");
            }
            hierarchy = hierarchy.getChildren().get(sub);
        }
        return new PublicHolidays(code, manager, subdivisions);
    }

    @Override
    public Set<LocalDate> holidaysIn(int year) {
        Set<LocalDate> days = new HashSet<>();
        for (Holiday h : manager.getHolidays(Year.of(year), HolidayType.PUBLIC_HOLIDAY, subdivisions)) {
            days.add(h.getDate()); // the observed date (getActualDate() is the date before any move)
        }
        return days;
    }

    @Override
    public String toString() {
        return "public holidays of " + code;
    }
}
