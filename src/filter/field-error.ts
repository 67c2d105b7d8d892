// A filter text that came from a named input (a query parameter, a body field, a saved Filter's
// Where) and was rejected: the FilterError, with the input in front of its message
// (`querystring/where: unknown attribute 'Lables' at column 1 ...`). The API maps it, like a
// bare FilterError, to a 400 (src/api/plugins/error-handler.ts): the one place that decides that.
import { isFilterError, type FilterError } from "./errors.ts";

export class FilterFieldError extends Error {
  override readonly name = "FilterFieldError";
  readonly code: FilterError["code"];

  constructor(
    /** The input the filter text came from: `querystring/where`, `body/WhereData`, `Filter web Where`. */
    readonly field: string,
    readonly filterError: FilterError,
  ) {
    // The field names the input, so the message leaves out the language the filter's own message
    // starts with (`querystring/where_data: unexpected ...`, not `querystring/where_data: where_data: ...`).
    const prefix = `${filterError.language}: `;
    const detail = filterError.message.startsWith(prefix)
      ? filterError.message.slice(prefix.length)
      : filterError.message;
    super(`${field}: ${detail}`, { cause: filterError });
    this.code = filterError.code;
  }
}

/** Runs `check` (a parse, a compile); a FilterError it throws comes back as a FilterFieldError for `field`. */
export function checkFilterField<T>(field: string, check: () => T): T {
  try {
    return check();
  } catch (error) {
    if (isFilterError(error)) throw new FilterFieldError(field, error);
    throw error;
  }
}
