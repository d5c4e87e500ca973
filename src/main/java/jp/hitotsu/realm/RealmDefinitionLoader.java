package jp.hitotsu.realm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.module.SimpleModule;
import tools.jackson.databind.ser.std.ToStringSerializer;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.boot.convert.DurationStyle;

/**
 * Reads realm files. Validation lives in the definition records' constructors, so the
 * YAML parser reports the line where the offending entry is.
 */
public final class RealmDefinitionLoader {

	private final YAMLMapper mapper;

	public RealmDefinitionLoader() {
		this.mapper = YAMLMapper.builder()
			.propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
			.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
			.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
			.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.addModule(durationModule())
			.build();
	}

	/** Durations read as {@code 5m} or ISO-8601 and written as ISO-8601. */
	static SimpleModule durationModule() {
		SimpleModule durations = new SimpleModule("hitotsu-durations");
		durations.addDeserializer(Duration.class, new FriendlyDurationDeserializer());
		durations.addSerializer(Duration.class, ToStringSerializer.instance);
		return durations;
	}

	/** Every {@code *.yaml} and {@code *.yml} file of the directory, in name order. */
	public List<LoadedDefinition> loadDirectory(Path directory) {
		if (!Files.isDirectory(directory)) {
			throw new RealmDefinitionException(directory, 0,
					"the realms directory does not exist (set hitotsu.realms-dir to the directory of realm files)");
		}
		List<Path> files;
		try (Stream<Path> listing = Files.list(directory)) {
			files = listing.filter(Files::isRegularFile)
				.filter((file) -> file.getFileName().toString().matches(".*\\.ya?ml"))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new RealmDefinitionException(directory, 0, "cannot list the directory: " + ex.getMessage());
		}
		List<LoadedDefinition> definitions = new ArrayList<>();
		for (Path file : files) {
			definitions.add(new LoadedDefinition(file, load(file)));
		}
		return definitions;
	}

	public RealmDefinition load(Path file) {
		try {
			RealmDefinition definition = this.mapper.readValue(file.toFile(), RealmDefinition.class);
			if (definition == null) {
				throw new RealmDefinitionException(file, 0, "the file is empty");
			}
			return definition;
		}
		catch (JacksonException ex) {
			TokenStreamLocation location = ex.getLocation();
			int line = (location != null) ? location.getLineNr() : 0;
			if (ex instanceof UnrecognizedPropertyException unknown) {
				throw new RealmDefinitionException(file, lineOf(file, unknown.getPropertyName(), line),
						"unknown field '" + unknown.getPropertyName() + "' (see README.md for the fields of a realm file)");
			}
			throw new RealmDefinitionException(file, line, describe(ex));
		}
	}

	private static String describe(JacksonException ex) {
		IllegalArgumentException invalid = cause(ex, IllegalArgumentException.class);
		String message = (invalid != null) ? invalid.getMessage() : ex.getOriginalMessage();
		return message.replaceAll("\\s*\\R\\s*", "; ");
	}

	private static <T extends Throwable> T cause(Throwable failure, Class<T> type) {
		for (Throwable cause = failure.getCause(); cause != null; cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * The line where an unknown field is written. The parser's position is unreliable
	 * here (records are read through a buffer), and an unknown name is nearly always unique
	 * in the file.
	 */
	private static int lineOf(Path file, String fieldName, int fallback) {
		Pattern field = Pattern.compile("^\\s*(?:-\\s*)?\"?" + Pattern.quote(fieldName) + "\"?\\s*:");
		try {
			List<String> lines = Files.readAllLines(file);
			for (int index = 0; index < lines.size(); index++) {
				if (field.matcher(lines.get(index)).find()) {
					return index + 1;
				}
			}
		}
		catch (IOException ex) {
			// keep the parser's line
		}
		return fallback;
	}

	/** A definition with the file it came from, for messages. */
	public record LoadedDefinition(Path file, RealmDefinition definition) {
	}

	/** Accepts {@code 5m}, {@code 8h}, {@code 30s} as well as ISO-8601 durations. */
	private static final class FriendlyDurationDeserializer extends ValueDeserializer<Duration> {

		@Override
		public Duration deserialize(JsonParser parser, DeserializationContext context) {
			String text = parser.getValueAsString();
			try {
				return DurationStyle.detectAndParse(text);
			}
			catch (IllegalArgumentException ex) {
				return (Duration) context.handleWeirdStringValue(Duration.class, text,
						"'%s' is not a duration; write it like 30s, 5m, 8h or PT5M", text);
			}
		}

	}

}
