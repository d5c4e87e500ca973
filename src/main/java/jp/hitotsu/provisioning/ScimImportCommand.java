package jp.hitotsu.provisioning;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import jp.hitotsu.account.AccountImport;
import jp.hitotsu.directory.DirectoryError;
import jp.hitotsu.directory.DirectoryService;
import jp.hitotsu.directory.InvalidDirectoryInputException;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * {@code java -jar hitotsu.jar import-accounts REALM FILE [--property=value ...]}: loads the
 * accounts of a CSV file (columns {@link AccountImport#COLUMNS}) into the realm, without
 * passwords, with the staff data of the rows that have an employee number, in one
 * transaction, and exits: 0 when loaded, 1 listing the bad lines when nothing was. It opens
 * the same database as the server, without a web server (on the embedded default, stop the
 * server first: one process per data directory).
 */
public final class ScimImportCommand {

	public static final String NAME = "import-accounts";

	private ScimImportCommand() {
	}

	public static void run(Class<?> application, String[] args) {
		List<String> positional = Arrays.stream(args).filter((arg) -> !arg.startsWith("--")).toList();
		if (positional.size() != 3) {
			System.err.println("usage: import-accounts REALM FILE [--property=value ...]");
			System.err.println("FILE: CSV, UTF-8, header line " + String.join(",", AccountImport.COLUMNS));
			System.exit(2);
		}
		String realm = positional.get(1);
		Path file = Path.of(positional.get(2));
		String[] options = Arrays.stream(args).filter((arg) -> arg.startsWith("--")).toArray(String[]::new);
		int status;
		long started = System.nanoTime();
		try (ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.web(WebApplicationType.NONE)
			.run(options); BufferedReader csv = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
			context.getBean(RealmRegistry.class).get(realm);
			AccountImport accounts = context.getBean(AccountImport.class);
			DirectoryService directory = context.getBean(DirectoryService.class);
			AccountImport.Outcome outcome = context.getBean(TransactionTemplate.class).execute((transaction) -> {
				AccountImport.Outcome imported = accounts.importCsv(realm, csv, file.getFileName().toString());
				directory.importStaff(realm, imported.staff()
					.stream()
					.map((row) -> new DirectoryService.StaffRow(row.account(), row.employeeNumber(), row.familyName(),
							row.givenName()))
					.toList());
				return imported;
			});
			System.out.printf("Imported %d accounts (%d with staff data) into realm '%s' in %.1f s%n",
					outcome.accounts(), outcome.staff().size(), realm, (System.nanoTime() - started) / 1e9);
			status = 0;
		}
		catch (AccountImport.ImportRefusedException ex) {
			System.err.println("Nothing imported into realm '" + realm + "' from " + file + ":");
			ex.problems().forEach((problem) -> System.err.println("  " + problem));
			status = 1;
		}
		catch (InvalidDirectoryInputException ex) {
			System.err.println("Nothing imported into realm '" + realm + "' from " + file
					+ ": staff data refused (row = n-th row with an employee number):");
			for (DirectoryError error : ex.errors()) {
				System.err.println("  row " + error.line() + ": " + error.field() + ": " + error.code() + " "
						+ error.arguments());
			}
			status = 1;
		}
		catch (IOException ex) {
			System.err.println("Cannot read " + file + ": " + ex.getMessage());
			status = 1;
		}
		System.exit(status);
	}

}
