package jp.hitotsu.database;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded PostgreSQL used when no {@code spring.datasource.url} is set.
 *
 * @param dataDir where PostgreSQL keeps its files; empty means
 * {@code ${hitotsu.data-dir}/${hitotsu.zone}/postgres}
 * @param port TCP port on 127.0.0.1; 0 picks a free one
 * @param durable whether commits are flushed to disk (fsync, synchronous commit); only a
 * throw-away test database should turn this off
 * @param ephemeral start from an empty temporary directory and delete it on shutdown
 * (tests)
 * @param maxPoolSize connections the server keeps open to it
 */
@Validated
@ConfigurationProperties("hitotsu.embedded-database")
public record EmbeddedDatabaseProperties(Path dataDir, @DefaultValue("0") @Min(0) @Max(65535) int port,
		@DefaultValue("true") boolean durable, @DefaultValue("false") boolean ephemeral,
		@DefaultValue("20") @Min(1) int maxPoolSize) {
}
