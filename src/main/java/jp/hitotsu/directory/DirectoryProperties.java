package jp.hitotsu.directory;

import java.time.Duration;
import java.time.LocalTime;
import java.time.ZoneId;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The directory's settings.
 *
 * @param timeZone the zone in which transfer dates are days (Japan: Asia/Tokyo)
 * @param transferTime the time of day, in that zone, at which a transfer batch's date begins
 * @param transferCheckInterval pause between two looks for scheduled batches that are due
 * @param maxTransferRows the most rows one transfer batch may have
 */
@Validated
@ConfigurationProperties("hitotsu.directory")
public record DirectoryProperties(@DefaultValue("Asia/Tokyo") @NotNull ZoneId timeZone,
		@DefaultValue("00:00") @NotNull LocalTime transferTime,
		@DefaultValue("1m") @NotNull Duration transferCheckInterval,
		@DefaultValue("50000") @Min(1) @Max(1000000) int maxTransferRows) {
}
