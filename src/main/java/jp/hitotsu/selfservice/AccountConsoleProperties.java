package jp.hitotsu.selfservice;

import java.time.ZoneId;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The account console's settings.
 *
 * @param timeZone the zone in which its pages show dates and times (accounts have no zone
 * of their own; the city's is Asia/Tokyo)
 */
@Validated
@ConfigurationProperties("hitotsu.account-console")
public record AccountConsoleProperties(@DefaultValue("Asia/Tokyo") @NotNull ZoneId timeZone) {

}
