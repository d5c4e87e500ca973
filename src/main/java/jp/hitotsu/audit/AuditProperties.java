package jp.hitotsu.audit;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * How the audit trail is written, sealed and trimmed (docs/audit.md).
 *
 * @param batchInterval pause between two writes of the events of calls that change nothing
 * (client-credentials tokens, UserInfo, introspection) outside realms with full audit
 * @param batchQueueLimit events waiting for that write beyond which callers write their own
 * at once, so a stalled database never fills the heap
 * @param sealInterval pause between two runs of the sealer, which chains finished events
 * @param sealBatchSize events chained per sealer transaction at most
 * @param unsealedWarningAfter an event still unsealed after this long is reported by the
 * verifier (a transaction left open, or no sealer running)
 * @param segmentSize chain positions per segment: retention deletes whole segments only
 * @param retentionInterval pause between two looks for segments older than a realm's
 * {@code audit.retention}
 */
@Validated
@ConfigurationProperties("hitotsu.audit")
public record AuditProperties(@DefaultValue("100ms") Duration batchInterval,
		@DefaultValue("10000") @Min(100) @Max(1_000_000) int batchQueueLimit,
		@DefaultValue("1s") Duration sealInterval, @DefaultValue("5000") @Min(1) @Max(100_000) int sealBatchSize,
		@DefaultValue("1m") Duration unsealedWarningAfter,
		@DefaultValue("100000") @Min(1) @Max(100_000_000) int segmentSize,
		@DefaultValue("1h") Duration retentionInterval) {
}
