// The server's version, from package.json (reported by /api/info and the OpenAPI document).
import { readFileSync } from "node:fs";

export const { version } = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as {
  version: string;
};
