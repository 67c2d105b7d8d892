// The streamed answer of an invocation (docs/invoke.md, "Streaming the answer"): a client that sends
// `Accept: application/x-ndjson` gets 200 at once and one FunctionInvocationsResponse element per
// line as each Unit finishes, exactly the elements of the JSON array, then one last line
// {"Summary": {...}} with the status the array would have had (200/207, or the error of a call that
// failed as a whole: 422, 429, 503, 500) and the counts. A request that is wrong before any Unit
// runs (400/403/404/409/422) is still answered with its status and the usual error body. A stream
// without a Summary line was cut short. A client that disconnects stops the call: the stream is
// destroyed, the element loop left, and no further Unit is read or run.
import { Readable } from "node:stream";
import type { FastifyReply, FastifyRequest } from "fastify";
import { InvokeError, type InvokeRun } from "../../invoke/index.ts";
import { describeError, errorBody } from "../plugins/error-handler.ts";
import type { StandardErrorResponse } from "../errors.ts";

export const NDJSON = "application/x-ndjson";

/** The last line of a streamed answer. */
export interface InvokeStreamSummary {
  Summary: {
    /** What the JSON array answer's status would have been. */
    Status: number;
    /** Element lines sent (skipped Units are not counted). */
    Elements: number;
    Succeeded: number;
    Failed: number;
    /** When the call failed as a whole (Status >= 400): the error body the array answer would have had. */
    Error?: StandardErrorResponse;
    /** With Status 429: seconds after which a retry may succeed (the array answer's Retry-After). */
    RetryAfterSeconds?: number;
  };
}

/** Whether the client asked for the streamed answer: `application/x-ndjson` among its accepted types. */
export function wantsStream(request: FastifyRequest): boolean {
  const accept = request.headers.accept;
  if (accept === undefined) return false;
  return accept.split(",").some((range) => {
    const [type, ...params] = range.split(";").map((part) => part.trim().toLowerCase());
    // q=0 means "not acceptable" (RFC 9110 12.4.2).
    const refused = params.some((p) => /^q=0(\.0{0,3})?$/.test(p));
    return type === NDJSON && !refused;
  });
}

/**
 * The NDJSON body: a line per element as it comes, then the Summary line. Reading it runs the
 * Units; destroying it (the client went away) leaves the loop, which stops the run.
 */
export function invokeStream(run: InvokeRun, request: FastifyRequest, reply: FastifyReply): Readable {
  return Readable.from(lines(run, request, reply), { objectMode: false, highWaterMark: 64 * 1024 });
}

async function* lines(run: InvokeRun, request: FastifyRequest, reply: FastifyReply): AsyncGenerator<string> {
  // The body is first read once fastify has written the head: send it now, so the client has its
  // 200 while the first Units run (a writing call's first element waits for its write batch).
  reply.raw.flushHeaders();
  const { tally } = run;
  let summary: InvokeStreamSummary["Summary"];
  try {
    for await (const element of run.elements) {
      tally.add(element);
      yield `${JSON.stringify(element)}\n`;
    }
    summary = counts(tally.verdict(), tally);
  } catch (error) {
    const cause = error instanceof Error ? error : new Error(String(error));
    const { status, message } = describeError(cause, request);
    if (status >= 500 && !(cause instanceof InvokeError)) {
      request.log.error({ err: cause }, "streamed invocation failed");
    }
    summary = { ...counts(status, tally), Error: errorBody(status, message) };
    if (cause instanceof InvokeError && cause.retryAfterSeconds !== undefined) {
      summary.RetryAfterSeconds = Math.max(1, Math.ceil(cause.retryAfterSeconds));
    }
  }
  yield `${JSON.stringify({ Summary: summary } satisfies InvokeStreamSummary)}\n`;
}

function counts(status: number, tally: InvokeRun["tally"]): InvokeStreamSummary["Summary"] {
  return {
    Status: status,
    Elements: tally.elements,
    Succeeded: tally.elements - tally.failed,
    Failed: tally.failed,
  };
}
