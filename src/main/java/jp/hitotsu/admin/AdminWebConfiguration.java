package jp.hitotsu.admin;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class AdminWebConfiguration implements WebMvcConfigurer {

	private final AdminAuthorization authorization;

	AdminWebConfiguration(AdminAuthorization authorization) {
		this.authorization = authorization;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.authorization).addPathPatterns(AdminSecurityConfiguration.API_PATHS);
	}

}
