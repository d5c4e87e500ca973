package jp.hitotsu.database;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import jp.hitotsu.HitotsuProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Starts an embedded PostgreSQL when the operator gave no {@code spring.datasource.url},
 * so that {@code java -jar} needs nothing installed and behaves like production (same
 * database engine, same migrations). With a URL set, Spring Boot's own DataSource
 * configuration takes over and nothing here runs.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(ExternalDatabaseAbsent.class)
class EmbeddedDatabaseConfiguration {

	@Bean(destroyMethod = "close")
	EmbeddedPostgresServer embeddedPostgresServer(HitotsuProperties hitotsu, EmbeddedDatabaseProperties properties)
			throws java.io.IOException {
		Path dataDir;
		if (properties.ephemeral()) {
			dataDir = Files.createTempDirectory("hitotsu-pg-");
		}
		else if (properties.dataDir() != null) {
			dataDir = properties.dataDir();
		}
		else {
			dataDir = hitotsu.zoneDataDir().resolve("postgres");
		}
		return EmbeddedPostgresServer.start(dataDir, properties.port(), properties.durable(), properties.ephemeral());
	}

	/**
	 * The pool depends on the server bean, so Spring closes the pool before it stops
	 * PostgreSQL.
	 */
	@Bean(destroyMethod = "close")
	DataSource dataSource(EmbeddedPostgresServer server, EmbeddedDatabaseProperties properties,
			DatabaseProperties timeouts) {
		HikariConfig config = new HikariConfig();
		config.setPoolName("hitotsu-embedded");
		config.setJdbcUrl(server.jdbcUrl());
		config.setUsername("postgres");
		config.setMaximumPoolSize(properties.maxPoolSize());
		timeouts.applyTo(config);
		return new HikariDataSource(config);
	}

}
