package jp.hitotsu.oidc;

import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;

import org.springframework.web.util.UriComponentsBuilder;

/**
 * A request as the authorization server should see it, with other parameters than the
 * browser or client sent: one added (a client id read from an assertion), or one left
 * out (a {@code prompt=login} already honoured).
 */
final class RequestWithParameters extends HttpServletRequestWrapper {

	private final Map<String, String[]> parameters;

	private final String queryString;

	private RequestWithParameters(HttpServletRequest request, Map<String, String[]> parameters, boolean queryFollows) {
		super(request);
		this.parameters = Collections.unmodifiableMap(parameters);
		if (queryFollows) {
			UriComponentsBuilder query = UriComponentsBuilder.newInstance();
			parameters.forEach((name, values) -> query.queryParam(name, (Object[]) values));
			this.queryString = query.encode().build().getQuery();
		}
		else {
			this.queryString = request.getQueryString();
		}
	}

	/**
	 * A form post with one more parameter. The query string stays as sent: the
	 * authorization server tells form parameters from query parameters by it.
	 */
	static HttpServletRequest withFormParameter(HttpServletRequest request, String name, String value) {
		Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
		parameters.put(name, new String[] { value });
		return new RequestWithParameters(request, parameters, false);
	}

	/**
	 * A GET request without one parameter, its query string rebuilt, so that a request
	 * saved from it resumes without that parameter.
	 */
	static HttpServletRequest withoutQueryParameter(HttpServletRequest request, String name) {
		Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
		parameters.remove(name);
		return new RequestWithParameters(request, parameters, true);
	}

	/** A GET request with one parameter's value replaced, its query string rebuilt. */
	static HttpServletRequest withQueryParameter(HttpServletRequest request, String name, String value) {
		Map<String, String[]> parameters = new LinkedHashMap<>(request.getParameterMap());
		parameters.put(name, new String[] { value });
		return new RequestWithParameters(request, parameters, true);
	}

	@Override
	public String getQueryString() {
		return this.queryString;
	}

	@Override
	public String getParameter(String name) {
		String[] values = this.parameters.get(name);
		return (values != null && values.length > 0) ? values[0] : null;
	}

	@Override
	public Map<String, String[]> getParameterMap() {
		return this.parameters;
	}

	@Override
	public Enumeration<String> getParameterNames() {
		return Collections.enumeration(this.parameters.keySet());
	}

	@Override
	public String[] getParameterValues(String name) {
		return this.parameters.get(name);
	}

}
