// The worker SDK's checks before any connection: settings from ConfigHub's (or confn's) environment
// variables with messages naming the variable, the reconnect backoff's schedule, and the shape of a
// worker module's exports.
import { describe, expect, it } from "vitest";
import costCenterFunctions from "../../examples/worker/cost-center.ts";
import { Backoff } from "../../src/worker/backoff.ts";
import { functionsOfModule, Worker, workerSettingsFromEnv } from "../../src/worker/index.ts";

const ID = "6a1c3c55-7a0b-4d2e-9a61-0f3e8f6d2b11";

describe("worker settings from the environment", () => {
  it("reads ConfigHub's names, then confn's, and strips a trailing slash", () => {
    expect(
      workerSettingsFromEnv({
        CONFIGHUB_URL: "http://confn.internal:7878/",
        CONFIGHUB_WORKER_ID: ID,
        CONFIGHUB_WORKER_SECRET: "a-long-secret",
      }),
    ).toEqual({ url: "http://confn.internal:7878", workerId: ID, secret: "a-long-secret" });
    expect(
      workerSettingsFromEnv({
        CONFN_URL: "https://confn.example.com",
        CONFN_WORKER_ID: ID,
        CONFN_WORKER_SECRET: "another-secret",
        CONFIGHUB_WORKER_PORT: "8443",
      }),
    ).toEqual({ url: "https://confn.example.com", workerId: ID, secret: "another-secret", workerPort: 8443 });
  });

  it("prefers settings given in code", () => {
    expect(
      workerSettingsFromEnv(
        {
          CONFIGHUB_URL: "http://a:1",
          CONFIGHUB_WORKER_ID: "not-used",
          CONFIGHUB_WORKER_SECRET: "not-used-either",
        },
        { workerId: ID, secret: "from-the-code" },
      ),
    ).toEqual({ url: "http://a:1", workerId: ID, secret: "from-the-code" });
  });

  it("names the variable that is missing or wrong", () => {
    const env = {
      CONFIGHUB_URL: "http://127.0.0.1:7878",
      CONFIGHUB_WORKER_ID: ID,
      CONFIGHUB_WORKER_SECRET: "long-enough",
    };
    expect(() => workerSettingsFromEnv({ ...env, CONFIGHUB_WORKER_SECRET: "" })).toThrow(
      "set CONFIGHUB_WORKER_SECRET or CONFN_WORKER_SECRET",
    );
    expect(() => workerSettingsFromEnv({ ...env, CONFIGHUB_WORKER_ID: "cost-center" })).toThrow(
      "CONFIGHUB_WORKER_ID cost-center: expected the worker's BridgeWorkerID (a UUID), not its slug",
    );
    expect(() => workerSettingsFromEnv({ ...env, CONFIGHUB_WORKER_SECRET: "short" })).toThrow(
      "CONFIGHUB_WORKER_SECRET: a worker secret has at least 8 characters; this one has 5",
    );
    expect(() => workerSettingsFromEnv({ ...env, CONFIGHUB_URL: "ftp://x" })).toThrow(
      "CONFIGHUB_URL ftp://x: expected an http:// or https:// URL",
    );
    expect(() => workerSettingsFromEnv({ ...env, CONFIGHUB_WORKER_PORT: "70000" })).toThrow(
      "CONFIGHUB_WORKER_PORT 70000: expected a port number between 1 and 65535",
    );
  });
});

describe("reconnect backoff", () => {
  it("doubles from 1 s to 60 s, jittered down by at most half, and starts over after a reset", () => {
    const top = new Backoff({ random: () => 0 });
    expect(Array.from({ length: 9 }, () => top.next())).toEqual([
      1000, 2000, 4000, 8000, 16000, 32000, 60000, 60000, 60000,
    ]);
    top.reset();
    expect(top.next()).toBe(1000);
    const bottom = new Backoff({ random: () => 0.999999 });
    expect(bottom.next()).toBe(500);
    expect(bottom.next()).toBe(1000);
  });
});

describe("a worker module's exports", () => {
  it("takes a default list, a default { functions }, or a named functions export", () => {
    expect(functionsOfModule({ default: costCenterFunctions }, "m.ts")).toBe(costCenterFunctions);
    expect(functionsOfModule({ default: { functions: costCenterFunctions } }, "m.ts")).toBe(
      costCenterFunctions,
    );
    expect(functionsOfModule({ functions: costCenterFunctions }, "m.ts")).toBe(costCenterFunctions);
    // An ES module compiled to CommonJS: import() gives its exports object as the default.
    const compiled = { default: costCenterFunctions, requireCostCenter: costCenterFunctions[0] };
    expect(functionsOfModule({ ...compiled, default: compiled }, "m.ts")).toBe(costCenterFunctions);
  });

  it("says what is wrong with a module of another shape", () => {
    expect(() => functionsOfModule({ default: () => 1 }, "w.ts")).toThrow(
      "w.ts exports no functions: export default a list of function definitions (or { functions: [...] })",
    );
    expect(() =>
      functionsOfModule({ default: [costCenterFunctions[0], { signature: {}, toolchains: [] }] }, "w.ts"),
    ).toThrow("w.ts: the default export[1] has no invoke(call) function");
  });

  it("refuses malformed signatures before connecting", () => {
    const broken = { ...costCenterFunctions[1]!, signature: { FunctionName: "Set Cost", Description: "" } };
    expect(
      () =>
        new Worker({ url: "http://127.0.0.1:1", workerId: ID, secret: "long-enough", functions: [broken] }),
    ).toThrow("the worker's functions: function Set Cost: name must match ^[a-z0-9_-]+$");
    expect(
      () => new Worker({ url: "http://127.0.0.1:1", workerId: ID, secret: "long-enough", functions: [] }),
    ).toThrow("the worker has no functions to offer");
  });
});
