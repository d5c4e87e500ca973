package jp.hitotsu.directory;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads a transfer batch file: CSV (RFC 4180: commas, fields in double quotes may hold
 * commas, quotes written twice and line breaks), UTF-8 with or without a byte order mark,
 * a header line naming the columns in any order. Every problem found is reported with its
 * line; none stops the reading of the others.
 */
final class TransferCsv {

	static final String ACTION = "action";

	static final String EMPLOYEE_NUMBER = "employee_number";

	static final String EFFECTIVE_DATE = "effective_date";

	static final String PRIMARY_UNIT = "primary_unit";

	static final String POST = "post";

	static final String CONCURRENT_POSTS = "concurrent_posts";

	static final String ACTING_POSTS = "acting_posts";

	static final String JOB_GRADE = "job_grade";

	static final String USERNAME = "username";

	static final String FAMILY_NAME = "family_name";

	static final String GIVEN_NAME = "given_name";

	static final String FAMILY_NAME_KANA = "family_name_kana";

	static final String GIVEN_NAME_KANA = "given_name_kana";

	static final Set<String> COLUMNS = Set.of(ACTION, EMPLOYEE_NUMBER, EFFECTIVE_DATE, PRIMARY_UNIT, POST,
			CONCURRENT_POSTS, ACTING_POSTS, JOB_GRADE, USERNAME, FAMILY_NAME, GIVEN_NAME, FAMILY_NAME_KANA,
			GIVEN_NAME_KANA);

	private static final List<String> REQUIRED = List.of(ACTION, EMPLOYEE_NUMBER, EFFECTIVE_DATE);

	/** One data line: its number in the file (1 is the header) and its values by column. */
	record Line(int number, Map<String, String> values) {

		/** The value of a column, {@code null} when absent or empty. */
		String get(String column) {
			String value = this.values.get(column);
			return (value == null || value.isBlank()) ? null : value.strip();
		}

	}

	record Parsed(List<Line> lines, List<DirectoryError> errors) {
	}

	private TransferCsv() {
	}

	static Parsed parse(byte[] content, int maxRows) {
		List<DirectoryError> errors = new ArrayList<>();
		String text = decode(content, errors);
		if (!errors.isEmpty()) {
			return new Parsed(List.of(), errors);
		}
		if (text.startsWith("\uFEFF")) {
			text = text.substring(1);
		}
		List<Record> records = records(text, errors);
		if (records.isEmpty()) {
			errors.add(DirectoryError.line(1, null, "csv-empty"));
			return new Parsed(List.of(), errors);
		}
		Record header = records.get(0);
		List<String> columns = new ArrayList<>();
		for (String name : header.fields()) {
			String column = name.strip().toLowerCase(Locale.ROOT);
			if (!COLUMNS.contains(column)) {
				errors.add(DirectoryError.line(header.line(), name, "csv-unknown-column", name,
						String.join(", ", COLUMNS.stream().sorted().toList())));
			}
			else if (columns.contains(column)) {
				errors.add(DirectoryError.line(header.line(), name, "csv-duplicate-column", name));
			}
			columns.add(column);
		}
		for (String required : REQUIRED) {
			if (!columns.contains(required)) {
				errors.add(DirectoryError.line(header.line(), required, "csv-missing-column", required));
			}
		}
		if (records.size() == 1) {
			errors.add(DirectoryError.line(header.line(), null, "csv-no-rows"));
		}
		if (records.size() - 1 > maxRows) {
			errors.add(DirectoryError.line(records.get(maxRows + 1).line(), null, "csv-too-many-rows", maxRows));
			return new Parsed(List.of(), errors);
		}
		List<Line> lines = new ArrayList<>();
		for (Record record : records.subList(1, records.size())) {
			if (record.fields().size() != columns.size()) {
				errors.add(DirectoryError.line(record.line(), null, "csv-field-count", record.fields().size(),
						columns.size()));
				continue;
			}
			Map<String, String> values = new LinkedHashMap<>();
			for (int i = 0; i < columns.size(); i++) {
				values.put(columns.get(i), record.fields().get(i));
			}
			lines.add(new Line(record.line(), values));
		}
		return new Parsed(lines, errors);
	}

	/** Strict UTF-8; each physical line that is not is reported. */
	private static String decode(byte[] content, List<DirectoryError> errors) {
		int line = 1;
		int start = 0;
		for (int i = 0; i <= content.length; i++) {
			if (i == content.length || content[i] == '\n') {
				try {
					StandardCharsets.UTF_8.newDecoder()
						.onMalformedInput(CodingErrorAction.REPORT)
						.onUnmappableCharacter(CodingErrorAction.REPORT)
						.decode(ByteBuffer.wrap(content, start, i - start));
				}
				catch (CharacterCodingException ex) {
					errors.add(DirectoryError.line(line, null, "csv-not-utf8"));
				}
				line++;
				start = i + 1;
			}
		}
		return errors.isEmpty() ? new String(content, StandardCharsets.UTF_8) : "";
	}

	private record Record(int line, List<String> fields) {
	}

	private static List<Record> records(String text, List<DirectoryError> errors) {
		List<Record> records = new ArrayList<>();
		List<String> fields = new ArrayList<>();
		StringBuilder field = new StringBuilder();
		boolean quoted = false;
		int line = 1;
		int recordLine = 1;
		int i = 0;
		while (i < text.length()) {
			char c = text.charAt(i);
			if (quoted) {
				if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
					field.append('"');
					i++;
				}
				else if (c == '"') {
					quoted = false;
				}
				else {
					if (c == '\n') {
						line++;
					}
					field.append(c);
				}
			}
			else if (c == '"' && field.isEmpty()) {
				quoted = true;
			}
			else if (c == ',') {
				fields.add(field.toString());
				field.setLength(0);
			}
			else if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
				// the \n ends the record
			}
			else if (c == '\n') {
				endRecord(records, fields, field, recordLine);
				line++;
				recordLine = line;
			}
			else if (c == '\0') {
				errors.add(DirectoryError.line(line, null, "csv-nul"));
			}
			else {
				field.append(c);
			}
			i++;
		}
		if (quoted) {
			errors.add(DirectoryError.line(recordLine, null, "csv-unclosed-quote"));
		}
		endRecord(records, fields, field, recordLine);
		return records;
	}

	private static void endRecord(List<Record> records, List<String> fields, StringBuilder field, int line) {
		fields.add(field.toString());
		field.setLength(0);
		boolean blank = fields.size() == 1 && fields.get(0).isBlank();
		if (!blank) {
			records.add(new Record(line, List.copyOf(fields)));
		}
		fields.clear();
	}

}
