package jp.hitotsu.admin;

import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.context.request.ServletWebRequest;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class AdminWebConfiguration implements WebMvcConfigurer {

	private final AdminAuthorization authorization;

	private final AdminExceptionHandler exceptions;

	private final AdminProblems problems;

	AdminWebConfiguration(AdminAuthorization authorization, AdminExceptionHandler exceptions,
			AdminProblems problems) {
		this.authorization = authorization;
		this.exceptions = exceptions;
		this.problems = problems;
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.authorization)
			.addPathPatterns(AdminSecurityConfiguration.API_PATHS)
			.excludePathPatterns(AdminSecurityConfiguration.DESCRIPTION_PATHS);
	}

	@Override
	public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
		resolvers.add(0, this::unmatchedApiCall);
	}

	/**
	 * A call under the admin API that matched no admin handler (no such path, a method or
	 * media type no handler takes): a problem as from any handler. The controller advice
	 * cannot answer it, since no controller of this package was chosen.
	 */
	private ModelAndView unmatchedApiCall(HttpServletRequest request, HttpServletResponse response, Object handler,
			Exception ex) {
		if (handler instanceof HandlerMethod || !request.getRequestURI().startsWith("/admin/api/")) {
			return null;
		}
		ResponseEntity<Object> answer;
		try {
			answer = this.exceptions.handleException(ex, new ServletWebRequest(request, response));
		}
		catch (Exception notSpringMvcs) {
			return null;
		}
		if (answer == null || !(answer.getBody() instanceof ProblemDetail problem)) {
			return null;
		}
		try {
			answer.getHeaders().forEach((name, values) -> values.forEach((value) -> response.addHeader(name, value)));
			this.problems.write(response, problem);
		}
		catch (java.io.IOException writeFailed) {
			return null;
		}
		return new ModelAndView();
	}

}
