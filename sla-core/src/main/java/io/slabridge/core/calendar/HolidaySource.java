package io.slabridge.core.calendar;

import java.time.LocalDate;
import java.util.Set;

/** Whole local days on which a calendar is closed, asked for one year at a time. */
@FunctionalInterface
public interface HolidaySource {
    HolidaySource NONE = year -> Set.of();

    /** The closed days of {@code year} (a few days either side may be included; they are ignored). */
    Set<LocalDate> holidaysIn(int year);
}
