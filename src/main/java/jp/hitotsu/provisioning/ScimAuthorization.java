package jp.hitotsu.provisioning;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jp.hitotsu.admin.ProvisioningAccess;
import jp.hitotsu.realm.RealmRegistry;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Lets a SCIM call through only for a realm this process serves and a caller whose admin
 * roles allow provisioning it, before any body is read; hands the handler the
 * {@link ProvisioningAccess.Provisioner} (request attribute {@link #PROVISIONER}).
 */
@Component
class ScimAuthorization implements HandlerInterceptor {

	static final String PROVISIONER = "jp.hitotsu.provisioning.provisioner";

	private final ProvisioningAccess access;

	private final RealmRegistry realms;

	ScimAuthorization(ProvisioningAccess access, RealmRegistry realms) {
		this.access = access;
		this.realms = realms;
	}

	@Override
	public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler) {
		if (!(handler instanceof HandlerMethod)) {
			return true;
		}
		String realm = realmOf(request);
		this.realms.get(realm);
		ProvisioningAccess.Provisioner provisioner = this.access.provisioner(realm)
			.orElseThrow(() -> new ScimException(HttpStatus.FORBIDDEN, null, "forbidden", realm));
		request.setAttribute(PROVISIONER, provisioner);
		return true;
	}

	@SuppressWarnings("unchecked")
	static String realmOf(HttpServletRequest request) {
		Object variables = request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
		return (variables instanceof Map<?, ?> map) ? ((Map<String, String>) map).get("realm") : null;
	}

}
