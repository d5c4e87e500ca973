package jp.hitotsu.database;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Bounds every wait for the external database by {@code hitotsu.database.*}, on the pool
 * Spring Boot builds from {@code spring.datasource.*} (the embedded database's pool applies
 * them itself). Without them a request would wait Hikari's 30 s for a connection, and one
 * on a half-open connection until the operating system gives up (minutes).
 */
@Configuration(proxyBeanMethods = false)
class DatabaseTimeouts {

	@Bean
	static BeanPostProcessor databaseTimeoutsPostProcessor(ObjectProvider<DatabaseProperties> properties) {
		return new BeanPostProcessor() {
			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				// after spring.datasource.hikari.* is bound, before the pool opens its first connection
				if (bean instanceof HikariDataSource pool && !pool.isRunning()) {
					properties.getObject().applyTo(pool);
				}
				return bean;
			}
		};
	}

}
