package jp.hitotsu.selfservice;

import java.util.List;
import java.util.Map;

/**
 * What a person recognises a session by: the browser and the system of its
 * {@code User-Agent}, named only when the header says so plainly. The raw header is shown
 * beside it, so nothing is hidden when the guess is wrong.
 *
 * @param browser the browser's name, or {@code null} when the header names none known
 * @param system the operating system's name, or {@code null}
 */
record BrowserDescription(String browser, String system) {

	/** In the order they are tried: Edge and Opera also say "Chrome", Chrome also says "Safari". */
	private static final List<Map.Entry<String, String>> BROWSERS = List.of(Map.entry("Edg/", "Edge"),
			Map.entry("OPR/", "Opera"), Map.entry("Firefox/", "Firefox"), Map.entry("Chrome/", "Chrome"),
			Map.entry("CriOS/", "Chrome"), Map.entry("Safari/", "Safari"));

	/** iOS and Android first: their headers also say "Mac OS X" and "Linux". */
	private static final List<Map.Entry<String, String>> SYSTEMS = List.of(Map.entry("iPhone", "iOS"),
			Map.entry("iPad", "iPadOS"), Map.entry("Android", "Android"), Map.entry("Windows", "Windows"),
			Map.entry("CrOS", "ChromeOS"), Map.entry("Mac OS X", "macOS"), Map.entry("Linux", "Linux"));

	static BrowserDescription of(String userAgent) {
		if (userAgent == null) {
			return new BrowserDescription(null, null);
		}
		return new BrowserDescription(first(BROWSERS, userAgent), first(SYSTEMS, userAgent));
	}

	private static String first(List<Map.Entry<String, String>> names, String userAgent) {
		return names.stream()
			.filter((name) -> userAgent.contains(name.getKey()))
			.map(Map.Entry::getValue)
			.findFirst()
			.orElse(null);
	}

}
