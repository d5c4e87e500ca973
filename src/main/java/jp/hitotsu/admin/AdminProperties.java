package jp.hitotsu.admin;

import java.util.List;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Who may call the admin API.
 *
 * @param realm the realm whose access tokens the admin API accepts (its people hold the
 * admin roles); it must be served by this process, or every call is refused
 * @param clients the clients of that realm whose access tokens the admin API accepts: a
 * token another application obtained for the same person is no key to the admin API
 */
@Validated
@ConfigurationProperties("hitotsu.admin")
public record AdminProperties(@DefaultValue("staff") @NotBlank String realm,
		@DefaultValue("admin-console") @NotEmpty List<@NotBlank String> clients) {
}
