package jp.hitotsu.realm;

import java.util.Set;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.PropertyNamingStrategies;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON form of realm file content as stored in the database (realm settings, client
 * definitions): the same names and duration syntax as the YAML files.
 */
public final class RealmJson {

	/**
	 * A row is read by every later version of the server: a field added to a record since
	 * it was written is absent from it, and an absent {@code boolean} or {@code int} takes
	 * its Java default (false, 0) instead of failing the read of every realm (Jackson 3
	 * refuses by default; a replica reloading during another's provisioning met a row
	 * written before {@code login.passwordless} existed).
	 */
	private static final JsonMapper MAPPER = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
		.propertyNamingStrategy(PropertyNamingStrategies.KEBAB_CASE)
		.addModule(RealmDefinitionLoader.durationModule())
		.build();

	private RealmJson() {
	}

	public static String write(Object value) {
		return MAPPER.writeValueAsString(value);
	}

	public static <T> T read(String json, Class<T> type) {
		return MAPPER.readValue(json, type);
	}

	static String writeSettings(Realm realm) {
		return write(new Settings(realm.tokens(), realm.login(), realm.passwordPolicy(), realm.bruteForce(),
				realm.policies(), realm.audit(), realm.registration(), realm.profile()));
	}

	static Settings readSettings(String json) {
		return read(json, Settings.class);
	}

	record Settings(TokenPolicy tokens, LoginPolicy login, PasswordPolicy passwordPolicy,
			BruteForcePolicy bruteForce, Set<RealmRule> policies, AuditPolicy audit, RegistrationPolicy registration,
			ProfilePolicy profile) {

		Settings {
			// settings stored before realms had a password policy
			passwordPolicy = (passwordPolicy != null) ? passwordPolicy : PasswordPolicy.defaultsFor(login.level());
		}

	}

}
