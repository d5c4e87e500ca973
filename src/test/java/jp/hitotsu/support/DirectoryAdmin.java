package jp.hitotsu.support;

import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sets up the staff realm's directory through the admin API, as the HR system would:
 * units, staff data, posts, role rules. Every call must succeed.
 */
public final class DirectoryAdmin {

	private final AdminApi admin;

	private final String token;

	public DirectoryAdmin(AdminApi admin, String token) {
		this.admin = admin;
		this.token = token;
	}

	public static String users(String subject) {
		return "/admin/api/realms/staff/users/" + subject;
	}

	/** A unit that has existed since yesterday. */
	public void unit(String code, String kind, String nameJa, String parent) {
		ok(this.admin.putJson("/admin/api/realms/staff/directory/units/" + code, this.token,
				"{\"kind\": \"%s\", \"nameJa\": \"%s\", \"nameEn\": \"%s\", \"parent\": %s, \"validFrom\": \"%s\"}"
					.formatted(kind, nameJa, code, json(parent), OffsetDateTime.now(ZoneOffset.ofHours(9)).minusDays(1))));
	}

	public void staff(String subject, String employeeNumber) {
		ok(this.admin.putJson(users(subject) + "/staff", this.token,
				"{\"employeeNumber\": \"%s\", \"familyName\": \"試験\", \"givenName\": \"太郎\"}".formatted(employeeNumber)));
	}

	/** A post from {@code from} (an hour ago when {@code null}) until {@code to} (open when {@code null}). */
	public void assign(String subject, String unit, String kind, String post, Instant from, Instant to) {
		ok(this.admin.postJson(users(subject) + "/assignments", this.token,
				"{\"unit\": \"%s\", \"kind\": \"%s\", \"post\": %s, \"validFrom\": %s, \"validTo\": %s}".formatted(unit,
						kind, json(post), json((from != null) ? from : Instant.now().minusSeconds(3600)), json(to))));
	}

	/** @param condition the rule's JSON members beside client and role, e.g. {@code "unit": "X"} */
	public void rule(String client, String role, String condition) {
		ok(this.admin.postJson("/admin/api/realms/staff/directory/role-rules", this.token,
				"{\"client\": \"%s\", \"role\": \"%s\", %s}".formatted(client, role, condition)));
	}

	public static void ok(HttpResponse<String> response) {
		assertThat(response.statusCode()).as(response::body).isBetween(200, 299);
	}

	private static String json(Object value) {
		return (value != null) ? "\"" + value + "\"" : "null";
	}

}
