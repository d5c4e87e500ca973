package jp.hitotsu.login;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.realm.RealmContext;

import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.DefaultRedirectStrategy;
import org.springframework.security.web.RedirectStrategy;
import org.springframework.stereotype.Component;

/** Sends a browser that is not logged in to the login page of the request's realm. */
@Component
public class RealmLoginEntryPoint implements AuthenticationEntryPoint {

	private final RedirectStrategy redirects = new DefaultRedirectStrategy();

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response,
			AuthenticationException authException) throws IOException {
		this.redirects.sendRedirect(request, response, "/realms/" + RealmContext.require().name() + "/login");
	}

}
