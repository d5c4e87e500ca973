package jp.hitotsu.metrics;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.RealmContext;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.security.oauth2.core.endpoint.OAuth2ParameterNames;
import org.springframework.security.oauth2.server.authorization.authentication.OAuth2AccessTokenAuthenticationToken;
import org.springframework.security.web.authentication.AuthenticationSuccessHandler;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The token endpoint's metrics: how long each request of a realm took, whatever its
 * answer (a histogram, so percentiles can be computed across replicas), and the tokens
 * issued per realm, client and grant type. The realm was checked before (unknown realms
 * are refused earlier), the client is one the realm registered (only those get tokens) and
 * the grant type one the server supports, so the tags take few values.
 */
@Component
// inside the realm filter, which binds the realm the timer is tagged with
@Order(Ordered.HIGHEST_PRECEDENCE + 15)
public class TokenMetrics extends OncePerRequestFilter {

	static final String REQUESTS = "hitotsu.token.requests";

	static final String ISSUED = "hitotsu.tokens.issued";

	private static final Pattern TOKEN_PATH = Pattern.compile("/realms/[^/]+/oauth2/token");

	private final MeterRegistry registry;

	private final Map<String, Timer> timers = new ConcurrentHashMap<>();

	/** The counters already registered: looking one up in the registry at every token cost more than the count. */
	private final Map<IssuedTags, Counter> issued = new ConcurrentHashMap<>();

	TokenMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	/** Counts every access token response the delegate sends. */
	public AuthenticationSuccessHandler counting(AuthenticationSuccessHandler delegate) {
		return (request, response, authentication) -> {
			delegate.onAuthenticationSuccess(request, response, authentication);
			if (authentication instanceof OAuth2AccessTokenAuthenticationToken token) {
				RealmContext.current()
					.ifPresent((realm) -> this.issued
						.computeIfAbsent(new IssuedTags(realm.name(), token.getRegisteredClient().getClientId(),
								String.valueOf(request.getParameter(OAuth2ParameterNames.GRANT_TYPE))), this::issuedCounter)
						.increment());
			}
		};
	}

	private Counter issuedCounter(IssuedTags tags) {
		return Counter.builder(ISSUED)
			.description("Access tokens issued by the token endpoint")
			.tag("realm", tags.realm())
			.tag("client", tags.client())
			.tag("grant_type", tags.grantType())
			.register(this.registry);
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return RealmContext.current().isEmpty() || !TOKEN_PATH.matcher(request.getRequestURI()).matches();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Timer timer = this.timers.computeIfAbsent(RealmContext.require().name(), this::timer);
		long started = System.nanoTime();
		try {
			chain.doFilter(request, response);
		}
		finally {
			timer.record(Duration.ofNanos(System.nanoTime() - started));
		}
	}

	private Timer timer(String realm) {
		return Timer.builder(REQUESTS)
			.description("Time the token endpoint took to answer, whatever the answer")
			.tag("realm", realm)
			.publishPercentileHistogram()
			// 1 ms to 10 s: the buckets in between are the ones Prometheus gets (about 40)
			.minimumExpectedValue(Duration.ofMillis(1))
			.maximumExpectedValue(Duration.ofSeconds(10))
			.register(this.registry);
	}

	private record IssuedTags(String realm, String client, String grantType) {
	}

}
