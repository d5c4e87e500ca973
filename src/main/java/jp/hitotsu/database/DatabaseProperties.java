package jp.hitotsu.database;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How long a request waits for PostgreSQL before it is answered 503, whichever database
 * (embedded or external) is used.
 *
 * @param unavailableTimeout the longest wait for a connection: the pool's connection
 * timeout, and the driver's connect timeout (rounded up to whole seconds)
 * @param socketTimeout the longest wait for one answer of the database on an open
 * connection, so that a connection the network dropped without closing it (a database host
 * that vanished) fails rather than hangs; keep it above the longest statement, migrations
 * included
 * @param retryAfter what a 503 answered while the database is unreachable tells the caller
 * to wait ({@code Retry-After})
 */
@Validated
@ConfigurationProperties("hitotsu.database")
public record DatabaseProperties(@DefaultValue("2s") Duration unavailableTimeout,
		@DefaultValue("60s") Duration socketTimeout, @DefaultValue("5s") Duration retryAfter) {

	public DatabaseProperties {
		if (unavailableTimeout.compareTo(Duration.ofMillis(250)) < 0) {
			throw new IllegalArgumentException(
					"hitotsu.database.unavailable-timeout must be at least 250ms (the pool's least): " + unavailableTimeout);
		}
		if (socketTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("hitotsu.database.socket-timeout must be at least 1s: " + socketTimeout);
		}
		if (retryAfter.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("hitotsu.database.retry-after must be at least 1s: " + retryAfter);
		}
	}

	/** The bounds above on a pool that has not opened a connection yet. */
	void applyTo(com.zaxxer.hikari.HikariConfig pool) {
		pool.setConnectionTimeout(this.unavailableTimeout.toMillis());
		// checking a pooled connection is part of the same wait; Hikari's least is 250 ms
		pool.setValidationTimeout(Math.max(250, this.unavailableTimeout.toMillis() / 2));
		pool.addDataSourceProperty("connectTimeout", wholeSeconds(this.unavailableTimeout));
		pool.addDataSourceProperty("socketTimeout", wholeSeconds(this.socketTimeout));
	}

	private static String wholeSeconds(Duration duration) {
		return String.valueOf((duration.toMillis() + 999) / 1000);
	}

}
