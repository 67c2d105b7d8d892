// The web console (console/, docs/console.md): a single page served at `/` with its assets under
// /console/, built by `npm run build` into dist/console/. It holds no data of its own: the page
// talks to the server only through the public /api with the token the user signs in with, so these
// routes need no authentication (like /docs). A strict Content-Security-Policy goes with every
// console response: the page runs no inline script and loads nothing from elsewhere.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { serviceUnavailable } from "../errors.ts";

export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** dist/console of the package: the nearest directory with a package.json above this file. */
export function defaultConsoleDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, "dist", "console");
}

export async function registerConsole(app: FastifyInstance, root = defaultConsoleDir()): Promise<void> {
  const secure = (reply: FastifyReply) => {
    reply.header("Content-Security-Policy", CONSOLE_CSP);
    reply.header("X-Content-Type-Options", "nosniff");
    reply.header("Referrer-Policy", "no-referrer");
  };
  if (!existsSync(join(root, "index.html"))) {
    // A checkout that was never built: say how to get the page instead of a bare 404.
    app.get("/", { schema: { hide: true } }, async () => {
      throw serviceUnavailable(
        `the web console is not built (no ${join(root, "index.html")}): run npm run build`,
      );
    });
    return;
  }
  await app.register(fastifyStatic, {
    root,
    prefix: "/console/",
    decorateReply: false,
    index: false,
    // The bundle's name never changes, so the browser revalidates instead of caching blindly.
    cacheControl: true,
    maxAge: 0,
    setHeaders: (reply) => secure(reply),
  });
  const index = join(root, "index.html");
  app.get("/", { schema: { hide: true } }, async (_request, reply) => {
    secure(reply);
    reply.type("text/html; charset=utf-8");
    return readFile(index);
  });
}
