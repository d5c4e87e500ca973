package jp.hitotsu.bench;

import java.util.List;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * One access-token signature. {@link #nimbusSign} is the floor: Nimbus JOSE+JWT signs and
 * serializes a prepared header and claims set. {@link #springEncode} is what the server
 * calls: Spring Security's {@link NimbusJwtEncoder} over a JWK set holding the realm's
 * RS256 and ES256 keys (as {@code RealmJwtEncoder} builds it), which also selects the key,
 * converts the claims and builds the header. A client-credentials token costs one of these.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigningBenchmark {

	@Param({ "RS256", "ES256" })
	public String alg;

	private JWSHeader header;

	private JWTClaimsSet claims;

	private JWSSigner signer;

	private NimbusJwtEncoder encoder;

	private JwtEncoderParameters parameters;

	@Setup
	public void setUp() throws JOSEException {
		JWSAlgorithm algorithm = JWSAlgorithm.parse(this.alg);
		JWK rsa = Tokens.generateKey(JWSAlgorithm.RS256);
		JWK ec = Tokens.generateKey(JWSAlgorithm.ES256);
		JWK key = JWSAlgorithm.RS256.equals(algorithm) ? rsa : ec;
		this.header = Tokens.nimbusHeader(key);
		this.claims = Tokens.nimbusClaims();
		this.signer = new DefaultJWSSignerFactory().createJWSSigner(key, algorithm);
		this.encoder = new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(List.of(rsa, ec))));
		this.parameters = Tokens.springParameters(algorithm);
		Jwt jwt = this.encoder.encode(this.parameters);
		if (!key.getKeyID().equals(jwt.getHeaders().get("kid"))) {
			throw new IllegalStateException("Signed with the wrong key: " + jwt.getHeaders());
		}
		String token = nimbusSign();
		System.out.println();
		System.out.println("Token: " + token.length() + " characters (NimbusJwtEncoder: "
				+ jwt.getTokenValue().length() + "), header " + jwt.getHeaders());
	}

	@Benchmark
	public String nimbusSign() throws JOSEException {
		SignedJWT jwt = new SignedJWT(this.header, this.claims);
		jwt.sign(this.signer);
		return jwt.serialize();
	}

	@Benchmark
	public Jwt springEncode() {
		return this.encoder.encode(this.parameters);
	}

}
