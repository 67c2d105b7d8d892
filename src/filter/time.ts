// Time literals and values. ConfigHub documents `CreatedAt > '2025-02-18T23:16:34'` (no zone) while
// its SDK wants RFC 3339 with a zone (spec/functions.md §2.2, AMBIGUOUS): we accept both, and a time
// without a zone is UTC. Also accepted: a bare date (midnight UTC), a space instead of `T`, 1-9
// fraction digits. The result is normalised to microseconds, PostgreSQL's precision, so SQL and
// in-memory evaluation compare the same instant.

export interface Instant {
  /** `YYYY-MM-DDTHH:MM:SS.ffffffZ`, which PostgreSQL reads as the same timestamptz. */
  readonly iso: string;
  /** Microseconds since 1970-01-01T00:00:00Z (bigint: years up to 9999 exceed 2^53 µs). */
  readonly epochMicros: bigint;
}

const TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(?:([Zz])|([+-])(\d{2})(?::?(\d{2}))?)?)?$/;

export function parseInstant(text: string): Instant | undefined {
  const m = TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const [hour, minute, second] = [Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0)];
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[9] !== undefined) {
    const [oh, om] = [Number(m[10]), Number(m[11] ?? 0)];
    if (oh > 23 || om > 59) return undefined;
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (oh * 60 + om);
  }
  const micros = BigInt((m[7] ?? "").padEnd(6, "0").slice(0, 6) || "0");
  const date = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute - offsetMinutes, second, 0);
  // A zone offset can push the instant out of years 1-9999, which PostgreSQL cannot read back.
  if (date.getUTCFullYear() < 1 || date.getUTCFullYear() > 9999) return undefined;
  const epochMicros = BigInt(date.getTime()) * 1000n + micros;
  return Object.freeze({ iso: formatInstant(epochMicros), epochMicros });
}

/** Reads a stored time: an RFC 3339 string or a Date; anything else is no time at all. */
export function instantOf(value: unknown): Instant | undefined {
  if (value instanceof Date) {
    const ms = value.getTime();
    if (Number.isNaN(ms)) return undefined;
    const epochMicros = BigInt(ms) * 1000n;
    return Object.freeze({ iso: formatInstant(epochMicros), epochMicros });
  }
  return typeof value === "string" ? parseInstant(value) : undefined;
}

function formatInstant(epochMicros: bigint): string {
  const ms = epochMicros / 1000n - (epochMicros % 1000n < 0n ? 1n : 0n);
  const micros = epochMicros - ms * 1000n;
  const date = new Date(Number(ms));
  const pad = (n: number, width = 2): string => String(n).padStart(width, "0");
  const fraction = String(date.getUTCMilliseconds() * 1000 + Number(micros)).padStart(6, "0");
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${fraction}Z`
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
