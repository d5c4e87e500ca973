package jp.hitotsu.console;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * On every bean of the console: it exists only in a web server with the console enabled
 * ({@code hitotsu.admin.console.enabled}) outside the My Number zone. The console calls
 * the server's own endpoints over HTTP, which a My Number process never does (README,
 * "Zone rules"), and that zone's access tokens are bound to a client key (DPoP), which
 * the console's login client does not hold; there the admin API is served alone.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Conditional(ConsoleServed.Condition.class)
@interface ConsoleServed {

	class Condition implements org.springframework.context.annotation.Condition {

		@Override
		public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return AdminConsole.servedIn(context.getEnvironment());
		}

	}

}
