// A fully wired app on a test database, for API tests: buildApp over the database, a fresh
// organization with a token per role, and a second organization (with its own tokens) to prove
// that one organization cannot see or touch another's entities.
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from "fastify";
import { buildApp, type AppOptions } from "../../src/api/app.ts";
import type { Database } from "../../src/store/database.ts";
import type { Role } from "../../src/store/schema.ts";
import { createTestOrganization, type TestOrganization } from "./databases.ts";

export interface TestApp {
  readonly app: FastifyInstance;
  readonly org: TestOrganization;
  readonly otherOrg: TestOrganization;
  /** Injects a request with `Authorization: Bearer <token of role>` (admin unless said otherwise). */
  request(options: TestRequest): Promise<LightMyRequestResponse>;
  close(): Promise<void>;
}

export interface TestRequest {
  readonly method: InjectOptions["method"];
  readonly url: string;
  readonly body?: unknown;
  /** Which of the test organization's tokens to send; `none` sends no Authorization header. */
  readonly as?: Role | "none";
  /** A token to send instead (e.g. another organization's). */
  readonly token?: string;
  readonly headers?: Record<string, string>;
}

/**
 * CONFN_TEST_ENGINE_THREADS=N runs every test app's calls on N engine threads (those that may use
 * them: no bridge worker), every Unit of them (mainThreadUnits 0, so even one-Unit calls go): the invoke tests then check the threaded path
 * gives what the main thread gives (`CONFN_TEST_ENGINE_THREADS=2 npx vitest run test/api/invoke*`).
 */
function engineThreadsForTests(): Pick<AppOptions, "engineThreads"> {
  const threads = Number(process.env.CONFN_TEST_ENGINE_THREADS ?? "");
  return threads >= 2 ? { engineThreads: { threads, mainThreadUnits: 0 } } : {};
}

export async function buildTestApp(database: Database, options: Partial<AppOptions> = {}): Promise<TestApp> {
  const org = await createTestOrganization(database.db);
  const otherOrg = await createTestOrganization(database.db, "other");
  const app = await buildApp({ db: database.db, ...engineThreadsForTests(), ...options });
  await app.ready();
  return {
    app,
    org,
    otherOrg,
    request({ method, url, body, as = "admin", token, headers = {} }) {
      const bearer = token ?? (as === "none" ? undefined : org.tokens[as]);
      return app.inject({
        method,
        url,
        headers: { ...(bearer ? { authorization: `Bearer ${bearer}` } : {}), ...headers },
        ...(body !== undefined ? { payload: body as InjectOptions["payload"] } : {}),
      });
    },
    close: () => app.close(),
  };
}

/** Base64 of UTF-8 text, as Unit Data travels. */
export function b64(text: string): string {
  return Buffer.from(text, "utf8").toString("base64");
}

export function fromB64(data: string): string {
  return Buffer.from(data, "base64").toString("utf8");
}
