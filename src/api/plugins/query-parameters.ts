// A query parameter a route does not implement is a 400 naming it, never silently ignored: a
// client sending `filter` or `select` to a list route would otherwise get a superset of what it
// asked for and no error. The route's querystring schema is the one list of what it accepts (no
// schema: no parameters). Checked before validation, so the unknown parameter is reported even
// when the body is also wrong. Hidden routes (the Swagger UI's assets, /openapi.json) are not API
// and are left alone: browsers may add cache-busting parameters to them.
import type { FastifyInstance, FastifySchema } from "fastify";
import { badRequest } from "../errors.ts";

export function registerQueryParameterCheck(app: FastifyInstance): void {
  app.addHook("preValidation", async (request) => {
    const schema = request.routeOptions.schema as (FastifySchema & { hide?: boolean }) | undefined;
    // An unknown route is a 404 (the not-found handler runs the hooks too), whatever it was sent.
    if (request.is404 || schema?.hide) return;
    const accepted = acceptedParameters(schema?.querystring);
    const unknown = Object.keys(request.query as object).filter((name) => !accepted.includes(name));
    if (unknown.length > 0) throw badRequest(unknownParametersMessage(unknown, accepted));
  });
}

function acceptedParameters(querystring: unknown): string[] {
  const properties = (querystring as { properties?: Record<string, unknown> } | undefined)?.properties;
  return properties ? Object.keys(properties) : [];
}

/** "querystring/filter: unknown parameter 'filter' is not supported on this route (it accepts: where, contains)". */
export function unknownParametersMessage(unknown: readonly string[], accepted: readonly string[]): string {
  const fields = unknown.map((name) => `querystring/${name}`).join(", ");
  const names = unknown.map((name) => `'${name}'`).join(", ");
  const what = unknown.length === 1 ? `unknown parameter ${names} is` : `unknown parameters ${names} are`;
  const allowed = accepted.length > 0 ? `it accepts: ${accepted.join(", ")}` : "it takes no query parameters";
  return `${fields}: ${what} not supported on this route (${allowed})`;
}
