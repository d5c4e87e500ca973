package jp.hitotsu.realm;

import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * For {@code @Conditional}: a bean that exists only outside the My Number zone, such as
 * anything that calls out over HTTP (see {@link NoOutboundHttp}).
 */
public class OutsideMyNumberZone implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return Zone.of(context.getEnvironment().getProperty("hitotsu.zone", Zone.INTERNET.id())) != Zone.MYNUMBER;
	}

}
