package jp.hitotsu.oidc;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/** The grant cache's size is checked where it is read, with the property named. */
class GrantStoragePropertiesTests {

	@Test
	void cacheSizeWhenNegativeThenRefusedNamingTheProperty() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> properties(DataSize.ofMegabytes(-1)))
			.withMessageContaining("hitotsu.grants.cache-size");
	}

	@Test
	void cacheSizeWhenZeroThenAccepted() {
		assertThat(properties(DataSize.ofBytes(0)).cacheSize().toBytes()).isZero();
	}

	private static GrantStorageProperties properties(DataSize cacheSize) {
		return new GrantStorageProperties(Duration.ofMinutes(5), 5000, Duration.ofSeconds(30), 10000, cacheSize);
	}

}
