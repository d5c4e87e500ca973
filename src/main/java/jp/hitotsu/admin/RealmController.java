package jp.hitotsu.admin;

import java.util.Arrays;
import java.util.List;

import io.swagger.v3.oas.annotations.Operation;
import jp.hitotsu.realm.DisplayName;
import jp.hitotsu.realm.Realm;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RestController;

/**
 * The realms of this process as an administrator sees them: which ones they may act in,
 * what they may do there, and each realm's settings. Settings are read here and changed in
 * the realm file (see README, "Realm files"): the file is what a deployment reviews and
 * versions, so a setting changed at runtime would be lost at the next start.
 */
@RestController
class RealmController {

	private final RealmRegistry realms;

	RealmController(RealmRegistry realms) {
		this.realms = realms;
	}

	@GetMapping("/admin/api/realms")
	@Operation(summary = "List the realms in which the caller holds an admin role, with what each role allows there")
	@AdminOperation(AdminPermission.READ_REALM)
	List<RealmSummary> list(@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator) {
		return this.realms.all()
			.stream()
			.filter((realm) -> administrator.may(AdminPermission.READ_REALM, realm.name()))
			.map((realm) -> RealmSummary.of(realm, administrator))
			.toList();
	}

	@GetMapping("/admin/api/realms/{realm}")
	@Operation(summary = "Read a realm's settings (as its realm file sets them) and what the caller may do in it")
	@AdminOperation(AdminPermission.READ_REALM)
	RealmSettings read(@PathVariable String realm,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator) {
		Realm found = this.realms.get(realm);
		return new RealmSettings(RealmSummary.of(found, administrator), found);
	}

	/**
	 * @param permissions what the caller's roles allow in the realm (names of
	 * {@link AdminPermission}), so that a console offers only those actions
	 */
	record RealmSummary(String name, String zone, DisplayName displayName, List<String> permissions) {

		static RealmSummary of(Realm realm, Administrator administrator) {
			return new RealmSummary(realm.name(), realm.zone().id(), realm.displayName(),
					Arrays.stream(AdminPermission.values())
						.filter((permission) -> administrator.may(permission, realm.name()))
						.map(Enum::name)
						.toList());
		}

	}

	/** @param settings the realm's policies: tokens, login, passwords, lockout, rules, audit, sign-up, profile */
	record RealmSettings(RealmSummary realm, Realm settings) {
	}

}
