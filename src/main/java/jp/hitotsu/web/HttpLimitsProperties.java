package jp.hitotsu.web;

import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Limits on request parameters, checked before any endpoint sees them.
 *
 * @param maxParameterLength the longest value of one parameter, in characters
 * @param maxParameters the most parameters one request may carry
 */
@Validated
@ConfigurationProperties("hitotsu.http")
public record HttpLimitsProperties(@DefaultValue("8192") @Min(256) int maxParameterLength,
		@DefaultValue("64") @Min(8) int maxParameters) {
}
