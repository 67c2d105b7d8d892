// Headless Chromium for the console's end-to-end tests: Debian's /usr/bin/chromium driven by
// playwright-core (no browser download). Locally the tests skip when it is absent; in CI (the CI
// variable set) they fail instead, since .ci/run installs it.
import { existsSync, mkdirSync } from "node:fs";
import { chromium, type Browser, type ConsoleMessage, type Page } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";

export type ChromiumAvailability = "present" | "absent" | "required-but-absent";

export function chromiumAvailability(
  env: NodeJS.ProcessEnv = process.env,
  path = CHROMIUM,
): ChromiumAvailability {
  if (existsSync(path)) return "present";
  return env.CI ? "required-but-absent" : "absent";
}

/** The flags this machine needs: no sandbox as root, no GPU, and no background calls to Google. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

/** What the page logged as an error: script errors and console.error calls. */
export function recordErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message: ConsoleMessage) => {
    if (message.type() === "error")
      errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  return errors;
}

export const ARTIFACTS = new URL("../../test-artifacts/console/", import.meta.url);

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: new URL(`${name}.png`, ARTIFACTS).pathname, fullPage: true });
}
