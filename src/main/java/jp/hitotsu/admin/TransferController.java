package jp.hitotsu.admin;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jp.hitotsu.directory.TransferBatches;

import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Transfer batches: upload a CSV file ({@code text/csv}), look at the dry run, schedule,
 * cancel, reverse once applied. The batch applies on its own at its time.
 */
@RestController
@RequestMapping("/admin/api/realms/{realm}/transfers")
class TransferController {

	/** As {@link TransferBatches.Batch#status()} names them. */
	private static final List<String> STATUSES = List.of("validated", "scheduled", "applied", "cancelled", "failed");

	private final TransferBatches batches;

	private final AdminChanges changes;

	TransferController(TransferBatches batches, AdminChanges changes) {
		this.batches = batches;
		this.changes = changes;
	}

	@PostMapping(consumes = { "text/csv", "application/octet-stream" })
	@Operation(summary = "Upload a transfer batch file (CSV)")
	@AdminOperation(AdminPermission.MANAGE_TRANSFERS)
	@ResponseStatus(HttpStatus.CREATED)
	TransferBatches.Batch upload(@PathVariable String realm, @RequestBody byte[] file,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.changes.uploadTransfers(administrator, realm, file, request.getRemoteAddr());
	}

	/**
	 * @param status only the batches in this status
	 * @param limit how many at most
	 */
	@GetMapping
	@Operation(summary = "List the realm's transfer batches, the newest upload first")
	@AdminOperation(AdminPermission.MANAGE_TRANSFERS)
	List<TransferBatches.Batch> list(@PathVariable String realm, @RequestParam(required = false) String status,
			@RequestParam(defaultValue = "50") @Min(1) @Max(500) int limit) {
		if (status != null && !STATUSES.contains(status)) {
			throw new InvalidParameterException("status", "admin.problem.not-one-of", status, String.join(", ", STATUSES));
		}
		return this.batches.list(realm, status, limit);
	}

	@GetMapping("/{id}")
	@Operation(summary = "Show a transfer batch")
	@AdminOperation(AdminPermission.MANAGE_TRANSFERS)
	TransferBatches.Batch get(@PathVariable String realm, @PathVariable UUID id) {
		return this.batches.find(realm, id).orElseThrow(() -> new UnknownTransferBatchException(realm, id));
	}

	@GetMapping("/{id}/diff")
	@Operation(summary = "Dry run of a transfer batch: who gains and loses what")
	@AdminOperation(AdminPermission.MANAGE_TRANSFERS)
	TransferBatches.Diff diff(@PathVariable String realm, @PathVariable UUID id) {
		return this.batches.diff(realm, id).orElseThrow(() -> new UnknownTransferBatchException(realm, id));
	}

	@PostMapping("/{id}/schedule")
	@Operation(summary = "Check a transfer batch again and schedule it")
	@AdminOperation(AdminPermission.MANAGE_TRANSFERS)
	TransferBatches.Batch schedule(@PathVariable String realm, @PathVariable UUID id,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.changes.scheduleTransfers(administrator, realm, id, request.getRemoteAddr());
	}

	/**
	 * Generates the batch that puts back everyone this applied batch changed; it is
	 * {@code validated}, to be looked at ({@code diff}) and scheduled like any batch.
	 * @param effectiveDate the reverse batch's date, today when absent
	 */
	@PostMapping("/{id}/reverse")
	@Operation(summary = "Generate the batch that undoes an applied batch")
	@AdminOperation(AdminPermission.MANAGE_TRANSFERS)
	@ResponseStatus(HttpStatus.CREATED)
	TransferBatches.Batch reverse(@PathVariable String realm, @PathVariable UUID id,
			@RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE) LocalDate effectiveDate,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.changes.reverseTransfers(administrator, realm, id, effectiveDate, request.getRemoteAddr());
	}

	@PostMapping("/{id}/cancel")
	@Operation(summary = "Cancel a transfer batch not applied yet")
	@AdminOperation(AdminPermission.MANAGE_TRANSFERS)
	TransferBatches.Batch cancel(@PathVariable String realm, @PathVariable UUID id,
			@RequestAttribute(AdminAuthorization.ADMINISTRATOR) Administrator administrator,
			HttpServletRequest request) {
		return this.changes.cancelTransfers(administrator, realm, id, request.getRemoteAddr());
	}

}
