package jp.hitotsu.console;

import jakarta.validation.constraints.NotNull;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The console's transfer batch pages.
 *
 * @param maxUploadSize the largest transfer file the console takes (a 50,000-line file,
 * the most the directory accepts by default, is a few MB); a larger one gets the upload form
 * back naming this limit. Keep {@code spring.servlet.multipart.max-file-size} above it: a
 * file over that one is refused before the console sees it, with the server's plain 400.
 */
@Validated
@ConfigurationProperties("hitotsu.admin.console.transfers")
public record TransferPagesProperties(@DefaultValue("16MB") @NotNull DataSize maxUploadSize) {
}
