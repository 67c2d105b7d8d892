// The web console end to end in headless Chromium against a real listening server (one server and
// one browser for the file, on PGlite): sign in, filter Units (and see a `where` error with its
// column), open a Unit, diff two Revisions, preview set-image over a label selection and read the
// diff, apply it and see the new Revision, restore, Triggers and gates, and a viewer who sees no
// write buttons. A screenshot of each page goes to test-artifacts/console/.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { standardFunctions } from "../../functions/index.ts";
import { FunctionRegistry } from "../../src/engine/index.ts";
import type { WorkerExecutor } from "../../src/invoke/index.ts";
import { recordWorkerConnected } from "../../src/store/index.ts";
import { workerInfoOf } from "../../src/worker/worker-info.ts";
import { b64, buildTestApp, testDatabases, type TestApp } from "../support/databases.ts";
import { FakeWorker } from "../support/fake-worker.ts";
import { chromiumAvailability, launchChromium, recordErrors, screenshot } from "./browser.ts";

const root = fileURLToPath(new URL("../../", import.meta.url));
// ../shared beside the clone (read in place, never copied here).
const corpus = join(root, "../shared/corpus/kubernetes/GoogleCloudPlatform__microservices-demo/");
const manifest = (name: string) => readFileSync(`${corpus}kubernetes-manifests__${name}.yaml`, "utf8");

const availability = chromiumAvailability();

it("runs the browser tests when Chromium is there, skips them without it, and fails them in CI without it", () => {
  expect(chromiumAvailability({}, process.execPath)).toBe("present");
  expect(chromiumAvailability({}, "/nonexistent/chromium")).toBe("absent");
  expect(chromiumAvailability({ CI: "1" }, "/nonexistent/chromium")).toBe("required-but-absent");
});

if (availability === "required-but-absent") {
  describe("web console", () => {
    it("runs in CI, where /usr/bin/chromium must be installed (.ci/run installs Debian's chromium)", () => {
      throw new Error("CI is set but /usr/bin/chromium is missing: the console's browser tests cannot run");
    });
  });
}

describe.skipIf(availability !== "present")(
  availability === "absent"
    ? "web console (skipped: /usr/bin/chromium is absent; apt-get install -y chromium)"
    : "web console",
  () => {
    const [pglite] = testDatabases();
    let t: TestApp;
    let base: string;
    let browser: Browser;
    let page: Page;
    let errors: string[];
    let consoleDir: string;
    let spaceId: string;
    const unitIds: Record<string, string> = {};
    /** A bridge worker in the test process, registered with set-label and cel-validate. */
    let worker: FakeWorker | undefined;

    const api = async (method: "GET" | "POST" | "PATCH", url: string, body?: unknown) => {
      const response = await t.request({ method, url, body });
      expect(response.statusCode, response.body).toBeLessThan(300);
      return response.json();
    };

    beforeAll(async () => {
      // The page under test is built from this checkout's console/, not whatever dist/ holds.
      consoleDir = mkdtempSync(join(tmpdir(), "confn-console-"));
      execFileSync(process.execPath, [join(root, "scripts", "build-console.js"), consoleDir]);
      const database = await pglite!.open();
      const workerExecutor: WorkerExecutor = {
        registeredWorker: (org, id) => worker?.registeredWorker(org, id) ?? Promise.resolve(null),
        invoke: (org, id, request) => worker!.invoke(org, id, request),
      };
      t = await buildTestApp(database, { consoleDir, workerExecutor });
      await t.app.listen({ host: "127.0.0.1", port: 0 });
      const address = t.app.server.address();
      base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;

      const space = await api("POST", "/api/space", { Slug: "shop", Labels: { env: "prod" } });
      spaceId = space.SpaceID;
      const units = [
        ["cartservice", { tier: "backend", team: "shop" }],
        ["frontend", { tier: "web", team: "shop" }],
        ["loadgenerator", { tier: "tools", team: "qa" }],
      ] as const;
      for (const [slug, labels] of units) {
        const unit = await api("POST", `/api/space/${spaceId}/unit`, {
          Slug: slug,
          ToolchainType: "Kubernetes/YAML",
          Labels: labels,
          Data: b64(manifest(slug)),
        });
        unitIds[slug] = unit.UnitID;
      }
      // Long data: a ConfigMap of 3,500 lines.
      const big = ["apiVersion: v1", "kind: ConfigMap", "metadata:", "  name: big", "data:"];
      for (let i = big.length; i < 3500; i++) big.push(`  key-${i}: "value ${i}"`);
      const bigUnit = await api("POST", `/api/space/${spaceId}/unit`, {
        Slug: "big-config",
        ToolchainType: "Kubernetes/YAML",
        Labels: { team: "data" },
        Data: b64(`${big.join("\n")}\n`),
      });
      unitIds["big-config"] = bigUnit.UnitID;
      await api("POST", `/api/space/${spaceId}/filter`, {
        Slug: "qa-only",
        From: "Unit",
        Where: "Labels.team = 'qa'",
      });

      const created = await api("POST", `/api/space/${spaceId}/bridge_worker`, { Slug: "policy" });
      worker = new FakeWorker(t.org.organizationId, created.BridgeWorkerID);
      const offered = FunctionRegistry.from(standardFunctions);
      const info = workerInfoOf(
        FunctionRegistry.from(
          ["set-label", "cel-validate"].map((name) => offered.lookup("Kubernetes/YAML", name)!.definition),
        ),
      );
      const key = { organizationId: t.org.organizationId, bridgeWorkerId: created.BridgeWorkerID };
      expect(await recordWorkerConnected(database.db, key, { ...info }, "127.0.0.1")).toBe(true);

      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      errors = recordErrors(page);
    });

    afterAll(async () => {
      await browser?.close();
      await t?.app.close();
      if (consoleDir) rmSync(consoleDir, { recursive: true, force: true });
    });

    /**
     * Errors other than the browser's log of the error answers the tests provoke and the page shows:
     * the 401 to the wrong token, the 400s to a `where` typed wrong.
     */
    const unexpectedErrors = () =>
      errors.filter(
        (e) =>
          !/status of 401 .*\/api\/me\)$/.test(e) &&
          !/status of 400 .*\/api\/space\/[^/]+\/unit\?.*where/.test(e),
      );

    const rowSlugs = () => page.locator("table.units tbody tr td:nth-child(2) a").allTextContents();

    it("serves the page with a strict Content-Security-Policy, and keeps Swagger UI at /docs", async () => {
      const response = await fetch(`${base}/`);
      expect(response.status).toBe(200);
      expect(response.headers.get("content-security-policy")).toContain("script-src 'self'");
      expect(await response.text()).toContain('<script type="module" src="/console/app.js">');
      expect((await fetch(`${base}/docs/`)).status).toBe(200);
    });

    it("refuses a wrong token, then signs in and shows the organization and role", async () => {
      await page.goto(base);
      await page.fill("#token", "confn_not-a-token");
      await page.click("button[type=submit]");
      await expect
        .poll(() => page.locator(".sign-in .error").textContent())
        .toContain("invalid or revoked API token");
      await screenshot(page, "01-sign-in");
      await page.fill("#token", t.org.tokens.admin);
      await page.click("button[type=submit]");
      await page.waitForSelector("#org");
      expect(await page.textContent("#org")).toBe(t.org.organization.slug);
      expect(await page.textContent("#role")).toBe("admin");
      // Kept for the tab's session only.
      expect(await page.evaluate("sessionStorage.getItem('confn.token')")).toBe(t.org.tokens.admin);
      expect(await page.evaluate("localStorage.length")).toBe(0);
      await page.waitForSelector(`a[href="#/space/${spaceId}"]`);
      await screenshot(page, "02-spaces");
    });

    it("filters Units by where and by a saved Filter", async () => {
      await page.click(`a[href="#/space/${spaceId}"]`);
      await page.waitForSelector("table.units");
      expect(await rowSlugs()).toEqual(["big-config", "cartservice", "frontend", "loadgenerator"]);
      await page.fill("input[name=where]", "Labels.team = 'shop'");
      await expect.poll(rowSlugs).toEqual(["cartservice", "frontend"]);
      await screenshot(page, "03-units-where");
      await page.fill("input[name=where]", "");
      await page.selectOption("#filter", { label: "qa-only — Labels.team = 'qa'" });
      await expect.poll(rowSlugs).toEqual(["loadgenerator"]);
      await page.selectOption("#filter", "");
      await expect.poll(rowSlugs).toEqual(["big-config", "cartservice", "frontend", "loadgenerator"]);
    });

    it("shows the server's where and where_data errors with their column as you type", async () => {
      await page.fill("input[name=where]", "Labels.team = ");
      const whereError = page.locator(".field:has(input[name=where]) .expr-error");
      await expect.poll(() => whereError.locator(".error").textContent()).toMatch(/^where: .* at column 15/);
      // The caret sits under column 15.
      expect(await whereError.locator("pre.caret").textContent()).toBe(`Labels.team = \n${" ".repeat(14)}^`);
      await screenshot(page, "04-units-where-error");
      await page.fill("input[name=where]", "Labels.team = 'shop'");
      await expect.poll(() => whereError.textContent()).toBe("");
      await page.fill("input[name=where_data]", "spec.replicas >");
      const dataError = page.locator(".field:has(input[name=where_data]) .expr-error .error");
      await expect.poll(() => dataError.textContent()).toMatch(/where_data: .* at column 16/);
      await page.fill("input[name=where_data]", "");
      await expect.poll(rowSlugs).toEqual(["cartservice", "frontend"]);
    });

    it("opens a Unit: highlighted data with line numbers and its Revisions", async () => {
      await page.click("table.units a:text-is('cartservice')");
      await page.waitForSelector("table.code");
      const firstKey = page.locator("table.code .tok-key", { hasText: "apiVersion" }).first();
      expect(await firstKey.textContent()).toBe("apiVersion");
      const lines = manifest("cartservice").trimEnd().split("\n").length;
      expect(await page.locator(".code-scroll table.code td.ln").last().textContent()).toBe(String(lines));
      expect(await page.locator("ol.timeline > li").count()).toBe(1);
      await screenshot(page, "05-unit");
    });

    it("shows long data's first 3,000 lines, and the rest on request", async () => {
      await page.goto(`${base}/#/space/${spaceId}/unit/${unitIds["big-config"]}`);
      await page.waitForSelector("table.code");
      expect(await page.locator(".code-scroll table.code tr").count()).toBe(3000);
      await page.click("button:has-text('Show the other 500 lines')");
      expect(await page.locator(".code-scroll table.code td.ln").last().textContent()).toBe("3500");
    });

    it("checks a function's arguments in the form as the server does", async () => {
      await page.goto(`${base}/#/space/${spaceId}/run`);
      await page.selectOption("#function-pick", "set-image");
      await page.click("#add-function");
      await page.fill("input[data-param=container-name]", "server");
      await page.fill("input[data-param=container-image]", "Not An Image");
      const error = page.locator(".field:has(input[data-param=container-image]) .field-error");
      await expect
        .poll(() => error.textContent())
        .toContain("value Not An Image for argument container-image does not match");
      await page.fill("input[data-param=container-name]", "");
      await page.click("#preview");
      await expect
        .poll(() => page.locator(".field:has(input[data-param=container-name]) .field-error").textContent())
        .toBe("missing required parameter container-name for function set-image");
      expect(await page.locator("details.result").count()).toBe(0);
    });

    it("previews set-image over a label selection: a diff per Unit and the counts", async () => {
      await page.fill("input[data-param=container-name]", "server");
      await page.fill("input[data-param=container-image]", "registry.example.com/shop/server:v2.1.0");
      await page.fill("input[name=where]", "Labels.team = 'shop'");
      await expect
        .poll(() => page.locator("p[aria-live]:has-text('selected')").textContent())
        .toContain("2 Kubernetes/YAML Units selected");
      await page.click("#preview");
      await expect.poll(() => page.textContent(".counts")).toBe("2 changed · 0 unchanged · 0 failed");
      expect(await page.getAttribute("progress", "value")).toBe("2");
      const cart = page.locator("details.result[data-unit=cartservice]");
      await cart.locator("summary").click();
      // The diff renders when the row opens (the toggle event comes a task later).
      await expect
        .poll(() => cart.locator("tr.d-del td.src").allTextContents())
        .toEqual(["        image: cartservice"]);
      expect(await cart.locator("tr.d-add td.src").allTextContents()).toEqual([
        "        image: registry.example.com/shop/server:v2.1.0",
      ]);
      await screenshot(page, "06-run-preview");
      // A dry run wrote nothing.
      const unit = await api("GET", `/api/space/${spaceId}/unit/${unitIds.cartservice}`);
      expect((unit.Unit ?? unit).HeadRevisionNum).toBe(1);
    });

    it("applies it with a change description and links to the new Revisions", async () => {
      await page.click("#apply");
      await expect
        .poll(() => page.locator(".apply-out .error").textContent())
        .toBe("Write a change description first.");
      await page.fill("#change-description", "shop servers to v2.1.0");
      await page.click("#apply");
      await expect.poll(() => page.locator("ul.written a").count()).toBe(2);
      await screenshot(page, "07-run-applied");
      await page.click("ul.written a:has-text('cartservice')");
      await page.waitForSelector("ol.timeline li.focused");
      expect(await page.locator("ol.timeline > li").count()).toBe(2);
      const newest = page.locator("ol.timeline > li").first();
      expect(await newest.textContent()).toContain("shop servers to v2.1.0");
      expect(await newest.locator(".mutation").textContent()).toContain('set-image(container-name="server"');
      await newest.locator("summary").click();
      expect(await newest.locator("ul.paths").textContent()).toContain(
        "spec.template.spec.containers.0.image (Update)",
      );
      // The diff opens on the new Revision against the one before it.
      await expect
        .poll(() => page.locator(".diff-out tr.d-add td.src").allTextContents())
        .toEqual(["        image: registry.example.com/shop/server:v2.1.0"]);
    });

    it("diffs any two Revisions, unified or side by side, and restores one", async () => {
      await page.selectOption("#diff-layout", "split");
      await page.waitForSelector("table.diff-split");
      expect(await page.locator("table.diff-split td.src.d-del").allTextContents()).toEqual([
        "        image: cartservice",
      ]);
      expect(await page.locator("table.diff-split td.src.d-add").allTextContents()).toEqual([
        "        image: registry.example.com/shop/server:v2.1.0",
      ]);
      await screenshot(page, "08-unit-diff-split");
      page.once("dialog", (dialog) => void dialog.accept());
      await page.click("button:has-text('Restore #1')");
      await expect.poll(() => page.locator("ol.timeline > li").count()).toBe(3);
      const restored = await page.locator("ol.timeline > li").first().textContent();
      expect(restored).toContain("Restore to Revision #1");
      expect(restored).toContain("Restored Revision #1");
      // #1 against the restored #3: the same data.
      const options = await page.locator("#diff-from option").allTextContents();
      await page.selectOption("#diff-from", { label: options.find((o) => o.startsWith("#1"))! });
      await page.selectOption("#diff-to", { label: options.find((o) => o.startsWith("#3"))! });
      await expect.poll(() => page.textContent(".diff-out")).toContain("No differences.");
    });

    it("shows Triggers and the Units they gate, and why", async () => {
      await api("POST", `/api/space/${spaceId}/trigger`, {
        Slug: "no-latest",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        FunctionName: "cel-validate",
        Arguments: [
          {
            ParameterName: "validation-expr",
            Value:
              "r.kind != 'Deployment' || r.spec.template.spec.containers.all(c, !c.image.endsWith(':latest'))",
          },
        ],
      });
      await api("POST", `/api/space/${spaceId}/function/invoke?where=Slug%20%3D%20'frontend'`, {
        FunctionInvocations: [
          {
            FunctionName: "set-image",
            Arguments: [
              { ParameterName: "container-name", Value: "server" },
              { ParameterName: "container-image", Value: "frontend:latest" },
            ],
          },
        ],
      });
      await page.goto(`${base}/#/space/${spaceId}/triggers`);
      const trigger = page.locator("section.trigger", { hasText: "no-latest" });
      await expect.poll(() => trigger.locator("ul.gated li a").allTextContents()).toEqual(["frontend"]);
      expect(await trigger.textContent()).toContain("shop/no-latest/cel-validate");
      await trigger.locator("button:has-text('Why is frontend gated?')").click();
      await expect.poll(() => trigger.locator(".why .badge").first().textContent()).toBe("failed");
      // The result names the Trigger's function (its FunctionName), not only its position.
      expect(await trigger.locator(".why li").first().textContent()).toContain("failed cel-validate #0");
      await screenshot(page, "09-triggers");
      await page.goto(`${base}/#/space/${spaceId}`);
      await expect
        .poll(() => page.locator("tr:has(a:text-is('frontend')) .badge.gate").textContent())
        .toBe("gate: shop/no-latest/cel-validate");
    });

    it("runs a bridge worker's functions: its catalogue, a preview that names the worker", async () => {
      await page.goto(`${base}/#/space/${spaceId}/run`);
      await page.waitForSelector("#executor");
      expect(await page.locator("#executor option").allTextContents()).toEqual([
        "Built-in functions",
        "Bridge worker policy (shop): Ready",
      ]);
      await page.selectOption("#executor", { label: "Bridge worker policy (shop): Ready" });
      // The worker's two functions replace the built-ins.
      await expect
        .poll(() => page.locator("#function-pick option").allTextContents())
        .toEqual(["set-label", "cel-validate"]);
      await page.selectOption("#function-pick", "set-label");
      await page.click("#add-function");
      await page.fill("input[data-param=label-key]", "owner");
      await page.fill("input[data-param=label-value]", "payments");
      await page.fill("input[name=where]", "Slug = 'loadgenerator'");
      await expect
        .poll(() => page.locator("p[aria-live]:has-text('selected')").textContent())
        .toContain("1 Kubernetes/YAML Unit selected");
      worker!.requests.length = 0;
      await page.click("#preview");
      await expect.poll(() => page.textContent(".counts")).toBe("1 changed · 0 unchanged · 0 failed");
      expect(worker!.requests.map((r) => [r.UnitSlug, r.FunctionInvocations![0]!.FunctionName])).toEqual([
        ["loadgenerator", "set-label"],
      ]);
      const row = page.locator("details.result[data-unit=loadgenerator]");
      await row.locator("summary").click();
      await expect
        .poll(() => row.locator("tr.d-add td.src").allTextContents())
        .toContain("    owner: payments");
      await screenshot(page, "10-run-on-worker");
      // Back to the built-ins: their catalogue, and the worker's preview is gone.
      await page.selectOption("#executor", "");
      await expect.poll(() => page.locator("#function-pick option").count()).toBeGreaterThan(20);
      expect(await page.locator("details.result").count()).toBe(0);
      // A Trigger on the worker says so (disabled: the other tests' changes do not run it).
      await api("POST", `/api/space/${spaceId}/trigger`, {
        Slug: "has-owner",
        Event: "Mutation",
        ToolchainType: "Kubernetes/YAML",
        FunctionName: "cel-validate",
        Arguments: [{ Value: "has(r.metadata.labels) && has(r.metadata.labels.owner)" }],
        BridgeWorkerID: worker!.workerId,
        Disabled: true,
      });
      await page.goto(`${base}/#/space/${spaceId}/triggers`);
      const trigger = page.locator("section.trigger", { hasText: "has-owner" });
      await expect
        .poll(() => trigger.textContent())
        .toContain("on Kubernetes/YAML, run by bridge worker policy");
    });

    it("is readable at 800 px and reachable from the keyboard", async () => {
      await page.setViewportSize({ width: 800, height: 900 });
      await page.goto(`${base}/#/space/${spaceId}/run`);
      await page.waitForSelector("#function-pick");
      // Nothing wider than the window but the scrolling tables.
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(800);
      await screenshot(page, "10-run-800px");
      await page.goto(`${base}/#/space/${spaceId}/unit/${unitIds.cartservice}`);
      await page.waitForSelector("table.code");
      expect(await page.evaluate("document.documentElement.scrollWidth")).toBeLessThanOrEqual(800);
      await screenshot(page, "11-unit-800px");
      // A page's content takes the focus; Tab reaches its links and Enter follows one.
      expect(await page.evaluate("document.activeElement.id")).toBe("view");
      await page.keyboard.press("Tab");
      expect(await page.evaluate("document.activeElement.textContent")).toBe("Space shop");
      await page.keyboard.press("Enter");
      await page.waitForSelector("table.units");
      await page.keyboard.press("Tab");
      expect(await page.evaluate("document.activeElement.textContent")).toBe("All Spaces");
      await page.setViewportSize({ width: 1280, height: 900 });
    });

    it("shows a viewer no write buttons: preview yes, apply and restore no", async () => {
      const viewer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const viewerErrors = recordErrors(viewer);
      await viewer.goto(base);
      await viewer.fill("#token", t.org.tokens.viewer);
      await viewer.click("button[type=submit]");
      await viewer.waitForSelector("#role");
      expect(await viewer.textContent("#role")).toBe("viewer");
      await viewer.goto(`${base}/#/space/${spaceId}/unit/${unitIds.cartservice}`);
      await viewer.waitForSelector("ol.timeline");
      expect(await viewer.locator("ol.timeline button").allTextContents()).not.toContain("Restore #1");
      expect(await viewer.locator("button.write").count()).toBe(0);
      await viewer.goto(`${base}/#/space/${spaceId}/run`);
      await viewer.waitForSelector("#preview");
      expect(await viewer.locator("#apply").count()).toBe(0);
      expect(await viewer.textContent("main")).toContain(
        "Your token is a viewer: you can preview, not apply.",
      );
      await viewer.selectOption("#function-pick", "set-image");
      await viewer.click("#add-function");
      await viewer.fill("input[data-param=container-name]", "server");
      await viewer.fill("input[data-param=container-image]", "registry.example.com/shop/server:v3");
      await viewer.fill("input[name=where]", "Slug = 'cartservice'");
      await viewer.click("#preview");
      await expect.poll(() => viewer.textContent(".counts")).toBe("1 changed · 0 unchanged · 0 failed");
      await screenshot(viewer, "12-viewer-run");
      expect(viewerErrors).toEqual([]);
      // Signing out forgets the token at once.
      await viewer.click("#sign-out");
      await viewer.waitForSelector("#token");
      expect(await viewer.evaluate("sessionStorage.getItem('confn.token')")).toBeNull();
      await viewer.close();
    });

    it("logged no script or console errors", () => {
      expect(unexpectedErrors()).toEqual([]);
    });
  },
);
