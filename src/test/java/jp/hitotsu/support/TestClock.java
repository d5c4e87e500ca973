package jp.hitotsu.support;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The server's clock in tests ({@link ServerTest} puts it in place of the application's):
 * the system clock plus an offset, so that a test crosses an effective time by moving the
 * server's "now" instead of sleeping. Every test shares it: a test that moves it forward
 * puts it back in a {@code finally}, and moves it by seconds, within the clock skew the
 * clients allow, since tokens are signed with the system's time.
 */
public final class TestClock extends Clock {

	private final AtomicReference<Duration> offset;

	private final ZoneId zone;

	private TestClock(AtomicReference<Duration> offset, ZoneId zone) {
		this.offset = offset;
		this.zone = zone;
	}

	TestClock() {
		this(new AtomicReference<>(Duration.ZERO), ZoneOffset.UTC);
	}

	/** The server's "now" is {@code by} later from here on, until {@link #reset}. */
	public void advance(Duration by) {
		this.offset.accumulateAndGet(by, Duration::plus);
	}

	/** The server's "now" is the system's again. */
	public void reset() {
		this.offset.set(Duration.ZERO);
	}

	@Override
	public Instant instant() {
		return Instant.now().plus(this.offset.get());
	}

	@Override
	public ZoneId getZone() {
		return this.zone;
	}

	/** The same moving clock in another zone (the directory's dates are in Asia/Tokyo). */
	@Override
	public Clock withZone(ZoneId zone) {
		return new TestClock(this.offset, zone);
	}

	/** Puts the clock in place of the application's, in the one shared context. */
	@TestConfiguration(proxyBeanMethods = false)
	public static class Configuration {

		@Bean
		@Primary
		TestClock testClock() {
			return new TestClock();
		}

	}

}
