package jp.hitotsu.console;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.context.MessageSource;

/**
 * Times and durations of the admin API's JSON as an administrator reads them: instants in
 * the console's time zone, ISO-8601 durations in words of their language. Templates reach
 * it as {@code format}.
 */
public final class ConsoleFormat {

	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

	private final ZoneId zone;

	private final MessageSource messages;

	private final Locale locale;

	ConsoleFormat(ZoneId zone, MessageSource messages, Locale locale) {
		this.zone = zone;
		this.messages = messages;
		this.locale = locale;
	}

	/** An instant ({@code 2026-11-27T01:00:00Z}, or with an offset) in the console's zone; "-" when absent. */
	public String time(Object value) {
		if (value == null || value.toString().isBlank()) {
			return "-";
		}
		try {
			Instant instant = OffsetDateTime.parse(value.toString()).toInstant();
			return TIME.format(instant.atZone(this.zone));
		}
		catch (DateTimeParseException ex) {
			// not a time after all: show it as the API gave it rather than nothing
			return value.toString();
		}
	}

	/** A duration ({@code PT10H30M}) in words: "10 hours 30 minutes", "10 時間 30 分". */
	public String duration(Object value) {
		if (value == null) {
			return "-";
		}
		Duration duration;
		try {
			duration = Duration.parse(value.toString());
		}
		catch (DateTimeParseException ex) {
			return value.toString();
		}
		List<String> parts = new ArrayList<>();
		add(parts, duration.toDaysPart(), "days");
		add(parts, duration.toHoursPart(), "hours");
		add(parts, duration.toMinutesPart(), "minutes");
		add(parts, duration.toSecondsPart(), "seconds");
		return parts.isEmpty() ? this.messages.getMessage("console.duration.seconds", new Object[] { 0 }, this.locale)
				: String.join(" ", parts);
	}

	private void add(List<String> parts, long amount, String unit) {
		if (amount > 0) {
			parts.add(this.messages.getMessage("console.duration." + unit, new Object[] { amount }, this.locale));
		}
	}

	/** The zone times are shown in, for a page to say so. */
	public ZoneId zone() {
		return this.zone;
	}

}
