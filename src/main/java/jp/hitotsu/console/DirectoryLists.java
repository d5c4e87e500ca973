package jp.hitotsu.console;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The directory's lists as the admin API pages them ({@code items}, and {@code next} as the
 * following page's {@code first}).
 */
final class DirectoryLists {

	/** The most items the API gives in one page. */
	private static final int MAX = 1000;

	private DirectoryLists() {
	}

	@SuppressWarnings("unchecked")
	static List<Map<String, Object>> items(Map<String, Object> page) {
		return (List<Map<String, Object>>) page.getOrDefault("items", List.of());
	}

	/** Every item of a list, page after page: for lists a realm keeps short (units, rules, groups). */
	static List<Map<String, Object>> all(AdminApi api, String path, Object... variables) {
		List<Map<String, Object>> all = new ArrayList<>();
		Object first = 0;
		while (first != null) {
			Map<String, Object> page = api.query(path, Map.of("first", first, "max", MAX), variables);
			all.addAll(items(page));
			first = page.get("next");
		}
		return all;
	}

}
