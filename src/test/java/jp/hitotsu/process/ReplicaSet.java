package jp.hitotsu.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Several server processes on one external PostgreSQL (on loopback) with one master key,
 * as replicas behind a load balancer: started together (in parallel, as a first deployment
 * starts them on a new database), stopped together. Plus what tests of replicas share:
 * sending a request to another instance, reading an instance's JWKS, waiting for a
 * condition with a deadline.
 */
final class ReplicaSet implements AutoCloseable {

	static final String MASTER_KEY = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

	static {
		// the in-JVM PostgreSQL narrates initdb and every start at INFO; its problems are enough
		if (org.slf4j.LoggerFactory.getLogger("io.zonky.test.db.postgres") instanceof ch.qos.logback.classic.Logger zonky) {
			zonky.setLevel(ch.qos.logback.classic.Level.WARN);
		}
	}

	private final EmbeddedPostgres postgres;

	private final Path dataDir;

	private final List<String> databaseArguments;

	private final List<ServerProcess> servers = new ArrayList<>();

	private Path realmsDir;

	private ReplicaSet(EmbeddedPostgres postgres, Path dataDir) {
		this.postgres = postgres;
		this.dataDir = dataDir;
		this.databaseArguments = List.of(
				"--spring.datasource.url=jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/postgres",
				"--spring.datasource.username=postgres", "--spring.datasource.password=",
				"--hitotsu.keys.master-key=" + MASTER_KEY, "--hitotsu.data-dir=" + dataDir);
	}

	/**
	 * Starts a database and one server per name, all at once, each with the database
	 * arguments, the named test realms and the given arguments; returns when every server
	 * is ready.
	 */
	static ReplicaSet start(List<String> names, List<String> realms, List<String> arguments) {
		ReplicaSet replicas;
		try {
			replicas = new ReplicaSet(
					EmbeddedPostgres.builder().setServerConfig("listen_addresses", "127.0.0.1").start(),
					// unused with an external database; given so that nothing is written beside the build
					Files.createTempDirectory("hitotsu-replicas-it-"));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		try {
			List<String> all = new ArrayList<>(replicas.databaseArguments);
			replicas.realmsDir = ServerProcess.testRealms(replicas.dataDir, realms.toArray(String[]::new));
			all.add("--hitotsu.realms-dir=" + replicas.realmsDir);
			all.addAll(arguments);
			for (String name : names) {
				replicas.servers.add(ServerProcess.launch(name, ServerProcess.freePort(), all));
			}
			for (ServerProcess server : replicas.servers) {
				server.awaitReady(ServerProcess.START_TIMEOUT);
			}
			return replicas;
		}
		catch (RuntimeException | AssertionError ex) {
			replicas.close();
			throw ex;
		}
	}

	ServerProcess get(int index) {
		return this.servers.get(index);
	}

	List<ServerProcess> servers() {
		return List.copyOf(this.servers);
	}

	/** The arguments that put another process (a one-shot command) on the same database. */
	List<String> databaseArguments() {
		return this.databaseArguments;
	}

	/** The realm files the servers were started with. */
	Path realmsDir() {
		return this.realmsDir;
	}

	Path dataDir() {
		return this.dataDir;
	}

	/** The shared database, for checking what the servers wrote. */
	DataSource database() {
		return this.postgres.getPostgresDatabase();
	}

	@Override
	public void close() {
		try {
			for (ServerProcess server : this.servers) {
				if (server.isAlive()) {
					server.stop();
				}
			}
		}
		finally {
			try {
				this.postgres.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			finally {
				ServerProcess.deleteRecursively(this.dataDir);
			}
		}
	}

	/** Polls every 50 ms; fails when the condition does not hold within the time given. */
	static void awaitWithin(Duration timeout, String what, BooleanSupplier condition) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!condition.getAsBoolean()) {
			if (System.nanoTime() > deadline) {
				throw new AssertionError("Not within " + timeout + ": " + what);
			}
			ServerProcess.sleep(Duration.ofMillis(50));
		}
	}

	/** The same URI on another instance (what a load balancer does to a request). */
	static URI on(ServerProcess server, URI uri) {
		return URI.create(server.base() + uri.getRawPath() + ((uri.getRawQuery() != null) ? "?" + uri.getRawQuery() : ""));
	}

	/** A provider's metadata with the JWKS of another instance. */
	static OIDCProviderMetadata withJwksOf(OIDCProviderMetadata metadata, ServerProcess other) {
		metadata.setJWKSetURI(on(other, metadata.getJWKSetURI()));
		return metadata;
	}

	/** The realm's JWKS as the instance serves it now (the path is fixed; no discovery). */
	static JWKSet jwks(ServerProcess server, String realm) {
		try {
			return JWKSet.load(server.uri("/realms/" + realm + "/oauth2/jwks").toURL(), 5000, 30000, 1 << 20);
		}
		catch (IOException | java.text.ParseException ex) {
			throw new AssertionError(ex);
		}
	}

	static Set<String> kids(JWKSet jwks) {
		return jwks.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toCollection(HashSet::new));
	}

	static String kidOf(String jwt) {
		try {
			return SignedJWT.parse(jwt).getHeader().getKeyID();
		}
		catch (java.text.ParseException ex) {
			throw new AssertionError(ex);
		}
	}

}
