package jp.hitotsu.metrics;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * @param databaseGaugeRefresh how long the gauges counted in the database (active sessions,
 * audit trail length) are reused before a scrape counts them again
 */
@Validated
@ConfigurationProperties("hitotsu.metrics")
public record MetricsProperties(@DefaultValue("30s") Duration databaseGaugeRefresh) {

	public MetricsProperties {
		if (databaseGaugeRefresh.isNegative()) {
			throw new IllegalArgumentException(
					"hitotsu.metrics.database-gauge-refresh cannot be negative: " + databaseGaugeRefresh);
		}
	}

}
