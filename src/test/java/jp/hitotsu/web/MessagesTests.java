package jp.hitotsu.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every text exists in both languages, and every message a template names literally
 * exists: a key missing in one file shows its key (or the other language) to people.
 */
class MessagesTests {

	/** {@code #{key}} or {@code #{key(...)}} with a literal key (not {@code #{${...}}}). */
	private static final Pattern TEMPLATE_KEY = Pattern.compile("#\\{([A-Za-z0-9_.-]+)[(}]");

	@Test
	void bothLanguagesHaveTheSameKeys() throws IOException {
		Set<String> english = load("messages_en.properties").stringPropertyNames();
		Set<String> japanese = load("messages_ja.properties").stringPropertyNames();
		assertThat(difference(english, japanese)).as("keys only in messages_en.properties").isEmpty();
		assertThat(difference(japanese, english)).as("keys only in messages_ja.properties").isEmpty();
	}

	@Test
	void everyKeyATemplateNamesExists() throws IOException {
		Set<String> keys = load("messages_en.properties").stringPropertyNames();
		Set<String> missing = new TreeSet<>();
		Path root = Path.of("src/main/resources/templates");
		// the folders too (templates/console): a directory itself is no template to read
		try (Stream<Path> templates = Files.walk(root)) {
			for (Path template : templates.filter(Files::isRegularFile).toList()) {
				Matcher matcher = TEMPLATE_KEY.matcher(Files.readString(template));
				while (matcher.find()) {
					if (!keys.contains(matcher.group(1))) {
						missing.add(root.relativize(template) + ": " + matcher.group(1));
					}
				}
			}
		}
		assertThat(missing).isEmpty();
	}

	private static Set<String> difference(Set<String> these, Set<String> those) {
		Set<String> only = new TreeSet<>(these);
		only.removeAll(those);
		return only;
	}

	private static Properties load(String name) throws IOException {
		Properties properties = new Properties();
		try (InputStream in = MessagesTests.class.getClassLoader().getResourceAsStream(name);
				Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
			properties.load(reader);
		}
		return properties;
	}

}
