package jp.hitotsu.keys;

import jp.hitotsu.HitotsuProperties;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

@Configuration(proxyBeanMethods = false)
class MasterKeyConfiguration {

	/**
	 * The zone's master key. Generated into the zone's data directory only on the embedded
	 * default; with an external database it must be given, or the keys it seals would be
	 * lost with the pod.
	 */
	@Bean
	MasterKey masterKey(KeyProperties properties, HitotsuProperties hitotsu, Environment environment) {
		boolean embeddedDatabase = !StringUtils.hasText(environment.getProperty("spring.datasource.url"));
		return MasterKey.load(properties, hitotsu.zoneDataDir().resolve("master.key"), embeddedDatabase);
	}

}
