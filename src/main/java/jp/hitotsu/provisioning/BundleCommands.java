package jp.hitotsu.provisioning;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.MessageSource;

/**
 * The bundle commands, run like {@code rotate-keys} against the same database and with the
 * same {@code --property=value} options as the server, without a web server:
 * <ul>
 * <li>{@code bundle-key}: prints this zone's bundle-signing public key (a JWK) to pin in
 * the importing zone;</li>
 * <li>{@code export-bundle REALM FILE --role=R [--client=C] [--unit=U] [--carry-roles=a,b]
 * [--incremental]}: writes a signed bundle;</li>
 * <li>{@code import-bundle REALM FILE}: applies a bundle and prints the report, with the
 * activation codes of the accounts it created; a refused bundle prints why and exits 1.</li>
 * </ul>
 */
public final class BundleCommands {

	public static final Set<String> NAMES = Set.of("bundle-key", "export-bundle", "import-bundle");

	private static final Set<String> OPTIONS = Set.of("role", "client", "unit", "carry-roles", "incremental");

	private static final String ACTOR = "command";

	private BundleCommands() {
	}

	public static void run(Class<?> application, String[] args) {
		String command = args[0];
		List<String> positional = Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).toList();
		Map<String, String> options = Arrays.stream(args)
			.filter((arg) -> arg.startsWith("--") && OPTIONS.contains(name(arg)))
			.collect(Collectors.toMap(BundleCommands::name, BundleCommands::value, (a, b) -> b));
		String[] springOptions = Arrays.stream(args)
			.filter((arg) -> arg.startsWith("--") && !OPTIONS.contains(name(arg)))
			.toArray(String[]::new);
		int expected = "bundle-key".equals(command) ? 1 : 3;
		if (positional.size() != expected || ("export-bundle".equals(command) && !options.containsKey("role")
				&& !options.containsKey("unit"))) {
			System.err.println("usage: bundle-key | export-bundle REALM FILE --role=R [--client=C] [--unit=U]"
					+ " [--carry-roles=a,b] [--incremental] | import-bundle REALM FILE  [--property=value ...]");
			System.exit(2);
		}
		int status;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.run(springOptions)) {
			status = execute(context, command, positional, options);
		}
		System.exit(status);
	}

	private static int execute(ConfigurableApplicationContext context, String command, List<String> positional,
			Map<String, String> options) {
		DirectoryBundles bundles = context.getBean(DirectoryBundles.class);
		try {
			switch (command) {
				case "bundle-key" -> System.out.println(bundles.publicKey());
				case "export-bundle" -> {
					List<String> carried = options.containsKey("carry-roles")
							? Arrays.stream(options.get("carry-roles").split(",")).map(String::strip).toList() : null;
					DirectoryBundles.Exported exported = bundles.export(positional.get(1),
							new DirectoryBundles.ExportRequest(options.get("role"), options.get("client"),
									options.get("unit"), carried, !options.containsKey("incremental")),
							ACTOR, null);
					Files.write(Path.of(positional.get(2)), exported.file());
					System.out.println("Wrote bundle " + exported.sequence() + " (" + exported.accounts()
							+ " accounts, key " + exported.kid() + ") to " + positional.get(2));
				}
				default -> {
					byte[] file = Files.readAllBytes(Path.of(positional.get(2)));
					DirectoryBundles.ImportReport report = bundles.importBundle(positional.get(1), file, ACTOR, null);
					System.out.println(JsonMapper.builder()
						.enable(SerializationFeature.INDENT_OUTPUT)
						.build()
						.writeValueAsString(report));
				}
			}
			return 0;
		}
		catch (BundleRefusedException ex) {
			MessageSource messages = context.getBean(MessageSource.class);
			System.err.println(messages.getMessage(ex.messageKey(), ex.arguments(), Locale.ENGLISH));
			ex.problems()
				.forEach((problem) -> System.err.println("  line " + problem.line() + " " + problem.field() + ": "
						+ messages.getMessage(problem.messageKey(), problem.arguments().toArray(), Locale.ENGLISH)));
			return 1;
		}
		catch (IOException ex) {
			System.err.println("Cannot read or write " + positional.get(2) + ": " + ex.getMessage());
			return 1;
		}
	}

	private static String name(String option) {
		int equals = option.indexOf('=');
		return option.substring(2, (equals < 0) ? option.length() : equals);
	}

	private static String value(String option) {
		int equals = option.indexOf('=');
		return (equals < 0) ? "" : option.substring(equals + 1);
	}

}
