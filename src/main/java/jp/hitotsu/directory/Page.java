package jp.hitotsu.directory;

import java.util.ArrayList;
import java.util.List;

/**
 * One page of a list in a stable order.
 * @param next the {@code first} of the next page, absent on the last page
 */
public record Page<T>(List<T> items, int first, int max, Integer next) {

	/** The most items one page may hold. */
	public static final int MAX = 1000;

	/** A page from what a query returned when asked for {@code max + 1} rows. */
	static <T> Page<T> of(List<T> oneMore, int first, int max) {
		boolean more = oneMore.size() > max;
		return new Page<>(more ? new ArrayList<>(oneMore.subList(0, max)) : oneMore, first, max,
				more ? first + max : null);
	}

	/** Refuses a page outside 0.. and 1..{@value #MAX}, with each bad parameter. */
	static void check(int first, int max) {
		List<DirectoryError> errors = new ArrayList<>();
		if (first < 0) {
			errors.add(DirectoryError.field("first", "at-least", 0));
		}
		if (max < 1 || max > MAX) {
			errors.add(DirectoryError.field("max", "between", 1, MAX));
		}
		DirectoryService.failIfAny(errors);
	}

}
