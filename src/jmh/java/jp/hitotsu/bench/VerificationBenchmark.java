package jp.hitotsu.bench;

import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

/**
 * One access-token verification, from the compact string to checked claims, against a JWK
 * set holding the realm's public RS256 and ES256 keys. {@link #nimbusProcess} is Nimbus's
 * {@link DefaultJWTProcessor} (parse, select the key by kid and alg, verify the signature,
 * check {@code typ}, {@code iss} and the times); {@link #springDecode} is Spring Security's
 * {@link NimbusJwtDecoder} configured as {@code RealmAccessTokenDecoder} configures it
 * (RS256 and ES256, timestamps and issuer), which UserInfo runs on every call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class VerificationBenchmark {

	@Param({ "RS256", "ES256" })
	public String alg;

	private String token;

	private DefaultJWTProcessor<SecurityContext> processor;

	private NimbusJwtDecoder decoder;

	@Setup
	public void setUp() throws JOSEException, BadJOSEException, java.text.ParseException {
		JWSAlgorithm algorithm = JWSAlgorithm.parse(this.alg);
		JWK rsa = Tokens.generateKey(JWSAlgorithm.RS256);
		JWK ec = Tokens.generateKey(JWSAlgorithm.ES256);
		JWK key = JWSAlgorithm.RS256.equals(algorithm) ? rsa : ec;
		SignedJWT signed = new SignedJWT(Tokens.nimbusHeader(key), Tokens.nimbusClaims());
		signed.sign(new com.nimbusds.jose.crypto.factories.DefaultJWSSignerFactory().createJWSSigner(key, algorithm));
		this.token = signed.serialize();

		ImmutableJWKSet<SecurityContext> publicKeys = new ImmutableJWKSet<>(
				new JWKSet(List.of(rsa.toPublicJWK(), ec.toPublicJWK())));

		this.processor = new DefaultJWTProcessor<>();
		this.processor.setJWSKeySelector(
				new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), publicKeys));
		this.processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(Tokens.AT_JWT));
		this.processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(
				new JWTClaimsSet.Builder().issuer(Tokens.ISSUER).build(), Set.of("sub", "exp", "iat")));

		this.decoder = NimbusJwtDecoder.withJwkSource(publicKeys).jwsAlgorithms((algorithms) -> {
			algorithms.add(SignatureAlgorithm.RS256);
			algorithms.add(SignatureAlgorithm.ES256);
		}).build();
		this.decoder.setJwtValidator(
				new DelegatingOAuth2TokenValidator<>(new JwtTimestampValidator(), new JwtIssuerValidator(Tokens.ISSUER)));

		// both must accept the token, or the benchmark measures an exception
		nimbusProcess();
		springDecode();
	}

	@Benchmark
	public JWTClaimsSet nimbusProcess() throws java.text.ParseException, BadJOSEException, JOSEException {
		return this.processor.process(this.token, null);
	}

	@Benchmark
	public Jwt springDecode() {
		return this.decoder.decode(this.token);
	}

}
