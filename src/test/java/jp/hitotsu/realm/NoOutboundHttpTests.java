package jp.hitotsu.realm;

import java.net.http.HttpClient;

import jp.hitotsu.HitotsuProperties;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Scope;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestTemplate;

import static org.assertj.core.api.Assertions.assertThat;

/** The My Number zone's process refuses to start with an outbound HTTP client in its context. */
class NoOutboundHttpTests {

	private final ApplicationContextRunner contexts = new ApplicationContextRunner()
		.withUserConfiguration(Guarded.class);

	@Test
	void startWhenMyNumberZoneAndNoHttpClientThenStarts() {
		this.contexts.withPropertyValues("hitotsu.zone=mynumber")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(NoOutboundHttp.class));
	}

	@Test
	void startWhenMyNumberZoneAndHttpClientBeanThenRefusedNamingTheBean() {
		this.contexts.withPropertyValues("hitotsu.zone=mynumber")
			.withBean("jdkClient", HttpClient.class, HttpClient::newHttpClient)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("Zone mynumber makes no outbound HTTP calls")
				.hasMessageContaining("bean 'jdkClient' (java.net.http.HttpClient)"));
	}

	@Test
	void startWhenMyNumberZoneAndRestClientOrTemplateThenRefused() {
		this.contexts.withPropertyValues("hitotsu.zone=mynumber")
			.withBean("restTemplate", RestTemplate.class)
			.withBean("restClient", RestClient.class, RestClient::create)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("bean 'restTemplate' (org.springframework.web.client.RestTemplate)")
				.hasMessageContaining("bean 'restClient' (org.springframework.web.client.RestClient)"));
	}

	@Test
	void startWhenMyNumberZoneAndPrototypeBuilderThenRefusedWithoutCreatingIt() {
		this.contexts.withPropertyValues("hitotsu.zone=mynumber")
			.withUserConfiguration(PrototypeBuilder.class)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasMessageContaining("bean 'restClientBuilder' (org.springframework.web.client.RestClient.Builder)"));
	}

	@Test
	void startWhenInternetZoneAndHttpClientBeanThenStarts() {
		this.contexts.withPropertyValues("hitotsu.zone=internet")
			.withBean("jdkClient", HttpClient.class, HttpClient::newHttpClient)
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(HitotsuProperties.class)
	static class Guarded {

		@Bean
		NoOutboundHttp noOutboundHttp(ListableBeanFactory beans,
				HitotsuProperties properties) {
			return new NoOutboundHttp(beans, properties);
		}

	}

	/** Like Spring Boot's auto-configured builder: a prototype, made only when asked for. */
	@Configuration(proxyBeanMethods = false)
	static class PrototypeBuilder {

		@Bean
		@Scope("prototype")
		RestClient.Builder restClientBuilder() {
			return RestClient.builder();
		}

	}

}
