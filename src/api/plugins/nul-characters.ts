// U+0000 cannot be stored: PostgreSQL's text and jsonb refuse it, so a NUL in any text that reaches
// the database would fail there, as a 500, after part of the request has run. Every request's text
// (path parameters, query string, JSON body: string values and property names) is checked here, in
// one place before validation, and a NUL is a 400 naming the field. Unit Data (base64, or the raw
// bytes of an upload) has its own check after decoding (unit-data.ts).
import type { FastifyInstance } from "fastify";
import { badRequest } from "../errors.ts";

export function registerNulCheck(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const found =
      findNul(request.params, "params") ??
      findNul(request.query, "querystring") ??
      findNul(request.body, "body");
    if (found) {
      throw badRequest(`${found} contains a NUL character (U+0000), which cannot be stored: remove it`);
    }
  });
}

/** The field (`body/Labels/tier`, or `body/Labels key "a\u0000"`) holding the first NUL, if any. */
export function findNul(value: unknown, root: string): string | undefined {
  // An explicit stack: a body may nest deeper than the call stack allows.
  const pending: [unknown, string][] = [[value, root]];
  while (pending.length > 0) {
    const [current, path] = pending.pop()!;
    if (typeof current === "string") {
      if (current.includes("\0")) return path;
    } else if (ArrayBuffer.isView(current)) {
      // Raw bytes (a data upload's body): the route decodes them and checks its text itself. Walked
      // as an object, 15 MB made 15 million entries and held the main thread for tens of seconds.
      continue;
    } else if (Array.isArray(current)) {
      for (let i = current.length - 1; i >= 0; i--) pending.push([current[i], `${path}/${i}`]);
    } else if (typeof current === "object" && current !== null) {
      const entries = Object.entries(current);
      for (let i = entries.length - 1; i >= 0; i--) {
        const [key, child] = entries[i]!;
        if (key.includes("\0")) return `${path} key ${JSON.stringify(key)}`;
        pending.push([child, `${path}/${key}`]);
      }
    }
  }
  return undefined;
}
