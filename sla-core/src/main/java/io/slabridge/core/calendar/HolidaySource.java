package io.slabridge.core.calendar;

import java.time.LocalDate;
import java.util.Set;

/** Whole local days on which a calendar is closed, asked for one year at a time. */
@FunctionalInterface
public interface HolidaySource {
    HolidaySource NONE = year -> Set.of();

    /**
     * The closed days of {@code year}. Days of a neighbouring year may be included and count (a US New Year's
     * Day on a Saturday is observed on the Friday before, in the old year).
     */
    Set<LocalDate> holidaysIn(int year);
}
