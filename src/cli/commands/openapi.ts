// `confn openapi [--write FILE]`: prints the OpenAPI document generated from the route schemas, or
// writes it (`npm run openapi` refreshes openapi/openapi.json; a test fails when that is stale).
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { Command } from "commander";
import { generateOpenApi } from "../../api/openapi-document.ts";
import { action } from "../cli-error.ts";

export function register(program: Command): void {
  program
    .command("openapi")
    .description("print the OpenAPI document of the server's API, or write it to a file")
    .option("--write <file>", "write the document to FILE instead of stdout")
    .action(
      action(async (options: { write?: string }) => {
        const document = await generateOpenApi();
        if (options.write) {
          mkdirSync(dirname(options.write), { recursive: true });
          writeFileSync(options.write, document);
          process.stderr.write(`wrote ${options.write}\n`);
        } else {
          process.stdout.write(document);
        }
      }),
    );
}
