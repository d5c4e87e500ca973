package jp.hitotsu.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import jp.hitotsu.realm.RealmRegistry;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The audit trail's commands, run against the same database as the server (same
 * {@code --property=value} options), without a web server:
 * <ul>
 * <li>{@code java -jar hitotsu.jar verify-audit REALM [CHECKPOINT_FILE]}: seals what is
 * finished, walks the realm's chain and prints the first broken link; given a checkpoint
 * exported earlier, also whether events were deleted from the end since. Exits 0 when the
 * chain holds, 1 when it does not, 2 on wrong usage;</li>
 * <li>{@code java -jar hitotsu.jar export-audit-checkpoint REALM}: prints a checkpoint of the
 * realm's chain head, a JWS signed with the realm's key, to keep outside the database.</li>
 * </ul>
 */
public final class AuditCommand {

	public static final String VERIFY = "verify-audit";

	public static final String EXPORT_CHECKPOINT = "export-audit-checkpoint";

	public static final Set<String> NAMES = Set.of(VERIFY, EXPORT_CHECKPOINT);

	private AuditCommand() {
	}

	public static void run(Class<?> application, String[] args) {
		List<String> positional = Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).toList();
		boolean verify = VERIFY.equals(positional.get(0));
		if (positional.size() != 2 && !(verify && positional.size() == 3)) {
			System.err.println(verify ? "usage: verify-audit REALM [CHECKPOINT_FILE] [--property=value ...]"
					: "usage: export-audit-checkpoint REALM [--property=value ...]");
			System.exit(2);
		}
		String realm = positional.get(1);
		String checkpoint = null;
		if (positional.size() == 3) {
			try {
				checkpoint = Files.readString(Path.of(positional.get(2)), StandardCharsets.UTF_8).strip();
			}
			catch (IOException ex) {
				System.err.println("Cannot read the checkpoint file " + positional.get(2) + ": " + ex.getMessage());
				System.exit(2);
			}
		}
		String[] options = Arrays.stream(args).filter((arg) -> arg.startsWith("--")).toArray(String[]::new);
		int status;
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.run(options)) {
			context.getBean(RealmRegistry.class).get(realm);
			AuditChain chain = context.getBean(AuditChain.class);
			if (verify) {
				chain.sealAll();
				status = print(chain.verify(realm, checkpoint));
			}
			else {
				System.out.println(chain.checkpoint(realm).checkpoint());
				status = 0;
			}
		}
		catch (AuditChain.InvalidCheckpointException ex) {
			System.err.println(ex.getMessage());
			status = 2;
		}
		System.exit(status);
	}

	private static int print(AuditChain.Verification result) {
		report(result).forEach(System.out::println);
		return result.intact() ? 0 : 1;
	}

	/** The lines {@code verify-audit} prints for a verification, the last one the verdict. */
	static List<String> report(AuditChain.Verification result) {
		List<String> lines = new ArrayList<>();
		lines.add("Audit chain of realm '" + result.realm() + "': " + result.checked() + " links checked after position "
				+ result.startPosition() + ", head at position " + result.head().position() + " ("
				+ result.head().hash() + ")");
		result.warnings().forEach((warning) -> lines.add("warning: " + warning));
		if (result.personalDataErased() > 0) {
			lines.add("personal data erased (account deleted) at " + result.personalDataErased()
					+ " links, which hold: " + String.join(", ", result.erased()
						.stream()
						.map((link) -> "position " + link.position() + " (event " + link.eventId() + ", "
								+ link.pseudonym() + ")")
						.toList())
					+ ((result.personalDataErased() > result.erased().size()) ? ", ..." : ""));
		}
		if (result.intact()) {
			lines.add("intact");
		}
		else {
			AuditChain.BrokenLink broken = result.firstBrokenLink();
			lines.add("BROKEN at position " + broken.position() + " (" + broken.problem() + "): " + broken.message());
		}
		return lines;
	}

}
