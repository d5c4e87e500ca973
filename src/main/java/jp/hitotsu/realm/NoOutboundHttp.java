package jp.hitotsu.realm;

import java.util.ArrayList;
import java.util.List;

import jp.hitotsu.HitotsuProperties;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.util.ClassUtils;

/**
 * The My Number zone has no route out, and nothing in its process may try one: a process
 * of that zone refuses to start when its application context holds an outbound HTTP client
 * (realm files are held to the same by the rule {@code no-outbound-calls}). A builder counts
 * as a client, since it is one call away from one; Spring Boot 4 auto-configures builders
 * only with its {@code spring-boot-restclient} / {@code -webclient} modules, which Hitotsu
 * does not use, so a builder found here was brought by a dependency and must be excluded in
 * that zone. The one call out such a zone allows, a logout token to a host its
 * configuration lists, uses a client that is no bean (see {@code session.LogoutSender}).
 */
@Component
class NoOutboundHttp implements SmartInitializingSingleton {

	/** The outbound HTTP clients of the JDK and of the libraries a Spring application uses. */
	static final List<String> CLIENT_TYPES = List.of("java.net.http.HttpClient",
			"org.springframework.web.client.RestClient", "org.springframework.web.client.RestClient$Builder",
			"org.springframework.web.client.RestTemplate", "org.springframework.boot.restclient.RestTemplateBuilder",
			"org.springframework.web.reactive.function.client.WebClient",
			"org.springframework.web.reactive.function.client.WebClient$Builder",
			"org.apache.hc.client5.http.classic.HttpClient", "org.apache.hc.client5.http.async.HttpAsyncClient",
			"org.apache.http.client.HttpClient");

	private final ListableBeanFactory beans;

	private final Zone zone;

	NoOutboundHttp(ListableBeanFactory beans, HitotsuProperties properties) {
		this.beans = beans;
		this.zone = properties.zone();
	}

	@Override
	public void afterSingletonsInstantiated() {
		if (this.zone != Zone.MYNUMBER) {
			return;
		}
		List<String> found = new ArrayList<>();
		ClassLoader loader = getClass().getClassLoader();
		for (String typeName : CLIENT_TYPES) {
			if (ClassUtils.isPresent(typeName, loader)) {
				// prototypes and lazy beans count too, without creating them
				for (String name : this.beans.getBeanNamesForType(ClassUtils.resolveClassName(typeName, loader), true,
						false)) {
					found.add("bean '" + name + "' (" + typeName.replace('$', '.') + ")");
				}
			}
		}
		if (!found.isEmpty()) {
			throw new IllegalStateException("Zone mynumber makes no outbound HTTP calls, but the application context has "
					+ String.join(", ", found)
					+ ": remove it, or exclude the auto-configuration that makes it when hitotsu.zone is mynumber");
		}
	}

}
