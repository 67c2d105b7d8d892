// The OpenAPI document as committed in openapi/openapi.json: generated from the route schemas of
// a built app, serialised deterministically (2-space JSON, trailing newline).
import type { FastifyInstance } from "fastify";
import { MEMORY_DATA_DIR, openDatabase } from "../store/index.ts";
import { buildApp } from "./app.ts";

export async function renderOpenApi(app: FastifyInstance): Promise<string> {
  await app.ready();
  return `${JSON.stringify(app.swagger(), null, 2)}\n`;
}

/** Builds the app over a throw-away in-memory database (no query runs) and renders its document. */
export async function generateOpenApi(): Promise<string> {
  const database = await openDatabase({ kind: "pglite", dataDir: MEMORY_DATA_DIR });
  try {
    const app = await buildApp({ db: database.db });
    try {
      return await renderOpenApi(app);
    } finally {
      await app.close();
    }
  } finally {
    await database.close();
  }
}
