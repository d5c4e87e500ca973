package jp.hitotsu.account;

import java.security.MessageDigest;
import java.util.Base64;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import org.springframework.security.crypto.keygen.BytesKeyGenerator;
import org.springframework.security.crypto.keygen.KeyGenerators;
import org.springframework.security.crypto.password.AbstractValidatingPasswordEncoder;

/**
 * Argon2 password hashes in the format of Spring Security's {@code Argon2PasswordEncoder}
 * ({@code $argon2id$v=19$m=7168,t=5,p=1$salt$hash}, unpadded Base64), computed by the same
 * BouncyCastle generator, but with the generator's memory blocks kept by the hashing thread
 * from one hash to the next.
 * <p>
 * Why: one hash at Keycloak's parameters fills 7 MiB of 1 KiB blocks. Allocated afresh for
 * every hash, as Spring's encoder does, they outlive the young generation's collections
 * while the hash runs, are promoted and fill the old generation: at 9 logins a second on a
 * 128 MiB heap the server spent a quarter of its time in full collections. Kept per thread
 * (BouncyCastle clears each block before it goes back to the pool), the blocks are
 * allocated once per hashing thread and the collector never sees them again. Public for
 * the JMH benchmark of a hash ({@code src/jmh/java}).
 */
public final class PooledArgon2PasswordEncoder extends AbstractValidatingPasswordEncoder {

	private static final Log logger = LogFactory.getLog(PooledArgon2PasswordEncoder.class);

	private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();

	/** The most memory a stored hash may ask for: the largest {@code memory-kib} allowed (4 GiB). */
	private static final int MAX_MEMORY_KIB = 4194304;

	private final int hashLength;

	private final int parallelism;

	private final int memoryKib;

	private final int iterations;

	private final BytesKeyGenerator saltGenerator;

	/** Each thread's blocks, at most one hash's worth at the configured parameters. */
	private final ThreadLocal<Argon2BytesGenerator.BlockPool> blocks;

	public PooledArgon2PasswordEncoder(int saltLength, int hashLength, int parallelism, int memoryKib, int iterations) {
		this.hashLength = hashLength;
		this.parallelism = parallelism;
		this.memoryKib = memoryKib;
		this.iterations = iterations;
		this.saltGenerator = KeyGenerators.secureRandom(saltLength);
		int blockCount = Argon2BytesGenerator.getBlockCount(memoryKib, parallelism);
		this.blocks = ThreadLocal.withInitial(() -> new Argon2BytesGenerator.FixedBlockPool(blockCount));
	}

	@Override
	protected String encodeNonNullPassword(String rawPassword) {
		Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
			.withSalt(this.saltGenerator.generateKey())
			.withParallelism(this.parallelism)
			.withMemoryAsKB(this.memoryKib)
			.withIterations(this.iterations)
			.build();
		byte[] hash = compute(rawPassword, parameters, this.hashLength);
		return "$" + typeName(parameters.getType()) + "$v=" + parameters.getVersion() + "$m=" + parameters.getMemory()
				+ ",t=" + parameters.getIterations() + ",p=" + parameters.getLanes() + "$"
				+ BASE64.encodeToString(parameters.getSalt()) + "$" + BASE64.encodeToString(hash);
	}

	@Override
	protected boolean matchesNonNull(String rawPassword, String encodedPassword) {
		StoredHash stored;
		try {
			stored = StoredHash.parse(encodedPassword);
		}
		catch (IllegalArgumentException ex) {
			logger.warn("Malformed Argon2 password hash: " + ex.getMessage());
			return false;
		}
		byte[] computed = compute(rawPassword, stored.parameters(), stored.hash().length);
		return MessageDigest.isEqual(stored.hash(), computed);
	}

	@Override
	protected boolean upgradeEncodingNonNull(String encodedPassword) {
		Argon2Parameters stored = StoredHash.parse(encodedPassword).parameters();
		return stored.getMemory() < this.memoryKib || stored.getIterations() < this.iterations;
	}

	private byte[] compute(String rawPassword, Argon2Parameters parameters, int length) {
		Argon2Parameters pooled = new Argon2Parameters.Builder(parameters.getType())
			.withVersion(parameters.getVersion())
			.withSalt(parameters.getSalt())
			.withParallelism(parameters.getLanes())
			.withMemoryAsKB(parameters.getMemory())
			.withIterations(parameters.getIterations())
			.withBlockPool(this.blocks.get())
			.build();
		Argon2BytesGenerator generator = new Argon2BytesGenerator();
		generator.init(pooled);
		byte[] hash = new byte[length];
		generator.generateBytes(rawPassword.toCharArray(), hash);
		return hash;
	}

	private static String typeName(int type) {
		return switch (type) {
			case Argon2Parameters.ARGON2_d -> "argon2d";
			case Argon2Parameters.ARGON2_i -> "argon2i";
			case Argon2Parameters.ARGON2_id -> "argon2id";
			default -> throw new IllegalArgumentException("Unknown Argon2 type " + type);
		};
	}

	/** A stored hash and the parameters it was made with. */
	private record StoredHash(Argon2Parameters parameters, byte[] hash) {

		/** Reads {@code $argon2id$v=19$m=7168,t=5,p=1$salt$hash}; {@code v=} may be absent (version 16). */
		static StoredHash parse(String encoded) {
			String[] parts = encoded.split("\\$");
			if (parts.length < 5 || !parts[0].isEmpty()) {
				throw new IllegalArgumentException("expected $type$v=..$m=..,t=..,p=..$salt$hash");
			}
			Argon2Parameters.Builder builder = new Argon2Parameters.Builder(switch (parts[1]) {
				case "argon2d" -> Argon2Parameters.ARGON2_d;
				case "argon2i" -> Argon2Parameters.ARGON2_i;
				case "argon2id" -> Argon2Parameters.ARGON2_id;
				default -> throw new IllegalArgumentException("unknown type " + parts[1]);
			});
			int next = 2;
			if (parts[next].startsWith("v=")) {
				builder.withVersion(number(parts[next++], "v="));
			}
			String[] cost = parts[next++].split(",");
			if (cost.length != 3 || parts.length != next + 2) {
				throw new IllegalArgumentException("expected $type$v=..$m=..,t=..,p=..$salt$hash");
			}
			int memoryKib = number(cost[0], "m=");
			int iterations = number(cost[1], "t=");
			int lanes = number(cost[2], "p=");
			// what BouncyCastle would refuse with an exception, or a memory no server could give
			if (lanes < 1 || lanes > 64 || iterations < 1 || memoryKib < 8 * lanes || memoryKib > MAX_MEMORY_KIB) {
				throw new IllegalArgumentException("cost out of range: " + parts[next - 1]);
			}
			builder.withMemoryAsKB(memoryKib)
				.withIterations(iterations)
				.withParallelism(lanes)
				.withSalt(Base64.getDecoder().decode(parts[next++]));
			return new StoredHash(builder.build(), Base64.getDecoder().decode(parts[next]));
		}

		private static int number(String part, String prefix) {
			if (!part.startsWith(prefix)) {
				throw new IllegalArgumentException("expected " + prefix + " but found " + part);
			}
			return Integer.parseInt(part.substring(prefix.length()));
		}

	}

}
