package jp.hitotsu.admin;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The permission an admin API handler needs in the realm of its {@code {realm}} path
 * variable. A handler without it is refused to everyone: forgetting it fails closed.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@interface AdminOperation {

	AdminPermission value();

}
