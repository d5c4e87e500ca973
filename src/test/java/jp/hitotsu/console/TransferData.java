package jp.hitotsu.console;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneId;

import jp.hitotsu.support.AdminApi;
import jp.hitotsu.support.DirectoryAdmin;
import jp.hitotsu.support.ServerTest;

/**
 * Units and people of the staff realm that only the console's transfer page tests use
 * (codes and employee numbers with their own prefix), set up through the admin API by
 * {@code ctransfers-setup}; and transfer files for them.
 */
final class TransferData {

	static final String HEADER = "action,employee_number,primary_unit,post,concurrent_posts,effective_date,"
			+ "username,family_name,given_name\r\n";

	private final AdminApi admin;

	private final String token;

	private final DirectoryAdmin directory;

	TransferData(ServerTest server) {
		this.admin = new AdminApi(server);
		this.token = this.admin.token("ctransfers-setup", "ctransfers-setup-test-pass");
		this.directory = new DirectoryAdmin(this.admin, this.token);
	}

	/** Today in Japan, where a batch's date is a day. */
	static LocalDate today() {
		return LocalDate.now(ZoneId.of("Asia/Tokyo"));
	}

	static byte[] csv(String... lines) {
		return (HEADER + String.join("\r\n", lines) + "\r\n").getBytes(StandardCharsets.UTF_8);
	}

	void unit(String code) {
		this.directory.unit(code, "section", "異動試験課", null);
	}

	/** A new account with an employee number, holding its primary post at the unit since two days ago. */
	void person(String username, String employeeNumber, String unit) {
		HttpResponse<String> created = this.admin.postJson("/admin/api/realms/staff/users", this.token,
				"{\"username\": \"%s\", \"familyName\": \"試験\", \"givenName\": \"花子\"}".formatted(username));
		DirectoryAdmin.ok(created);
		String subject = AdminApi.json(created).get("id").asString();
		this.directory.staff(subject, employeeNumber);
		this.directory.assign(subject, unit, "primary", null, Instant.now().minus(Duration.ofDays(2)), null);
	}

	/** The unit closes at that time. */
	void close(String code, OffsetDateTime at) {
		DirectoryAdmin.ok(this.admin.postJson("/admin/api/realms/staff/directory/units/" + code + "/close", this.token,
				"{\"effectiveAt\": \"%s\"}".formatted(at)));
	}

	/** How many batches the staff realm has (in any status). */
	int batches() {
		HttpResponse<String> list = this.admin.get("/admin/api/realms/staff/transfers?limit=500", this.token);
		DirectoryAdmin.ok(list);
		return AdminApi.json(list).size();
	}

}
