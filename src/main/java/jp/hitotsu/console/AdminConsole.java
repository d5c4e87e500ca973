package jp.hitotsu.console;

import jp.hitotsu.realm.Zone;

import org.springframework.core.env.Environment;

/** Whether this process serves the admin console at {@code /admin} (see {@link ConsoleServed}). */
public final class AdminConsole {

	private AdminConsole() {
	}

	/** Enabled ({@code hitotsu.admin.console.enabled}) and outside the My Number zone. */
	public static boolean servedIn(Environment environment) {
		return environment.getProperty("hitotsu.admin.console.enabled", Boolean.class, true)
				&& Zone.of(environment.getProperty("hitotsu.zone", Zone.INTERNET.id())) != Zone.MYNUMBER;
	}

}
