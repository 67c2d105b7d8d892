// A worker's ActionResult as the dispatch decodes it (decodeWorkerResponse): Data must be base64
// (its alphabet, "=" only as the last one or two characters) of a JSON FunctionInvocationResponse,
// else a WORKER_FAILED naming what is wrong. ConfigData and Outputs are passed on as sent: the
// remote executor checks them where it decodes them (test/engine/execute-remote.test.ts).
import { describe, expect, it } from "vitest";
import type { FunctionInvocationRequest } from "../../src/engine/index.ts";
import { decodeWorkerResponse } from "../../src/invoke/worker-response.ts";
import { WorkerDispatchError } from "../../src/invoke/worker-executor.ts";

const request = {
  OrganizationID: "org",
  SpaceID: "space",
  UnitID: "unit",
  RevisionID: "revision",
  UnitSlug: "web",
  SpaceSlug: "apps",
} as unknown as FunctionInvocationRequest;

const base64 = (text: string) => Buffer.from(text).toString("base64");

function decode(data: string) {
  return decodeWorkerResponse("w1", { Status: "Completed", Data: data }, request);
}

function failure(data: string): string {
  try {
    decode(data);
  } catch (error) {
    expect(error).toBeInstanceOf(WorkerDispatchError);
    expect(error).toMatchObject({ code: "WORKER_FAILED" });
    return (error as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(data)} to be refused`);
}

describe("decodeWorkerResponse", () => {
  it("decodes a response, with the request's identity where the worker left it out", () => {
    const config = base64("a: 1\n");
    const padding = new Set<number>();
    for (const filler of ["", "a", "ab"]) {
      const data = base64(JSON.stringify({ ConfigData: config, Success: true, filler }));
      padding.add(data.length - data.replace(/=+$/, "").length);
      expect(decode(data)).toMatchObject({
        UnitID: "unit",
        UnitSlug: "web",
        ConfigData: config,
        Success: true,
      });
    }
    // Data without padding, with "=" and with "==".
    expect([...padding].sort()).toEqual([0, 1, 2]);
  });

  it("refuses Data that is not base64: another character, or padding that is not at the end", () => {
    const good = base64(JSON.stringify({ Success: true, x: "ab" }));
    expect(good).toMatch(/[^=]==$/);
    for (const bad of [
      `${good.slice(0, 4)}!${good.slice(4)}`,
      `${good}\n`,
      good.replace(/=+$/, "=A"),
      `${good}=`,
      `==${good}`,
    ]) {
      expect(failure(bad)).toBe("bridge worker w1 sent a malformed result: Data is not base64");
    }
    expect(failure("")).toMatch(/Data is not base64/);
    expect(failure(base64("not json"))).toMatch(/Data is not the base64 of JSON/);
    expect(failure(base64("[1]"))).toMatch(/Data is not a FunctionInvocationResponse object/);
  });

  it("refuses an Output that is not base64 and Outputs that are not a map of strings", () => {
    const with_ = (fields: object) => base64(JSON.stringify({ Success: true, ...fields }));
    expect(failure(with_({ Output: "a=b" }))).toMatch(/Output is not base64/);
    expect(failure(with_({ Outputs: { ValidationResult: 1 } }))).toMatch(/Outputs is not a map of strings/);
    expect(failure(with_({ Outputs: ["x"] }))).toMatch(/Outputs is not a map of strings/);
    expect(
      decode(with_({ Output: base64("{}"), Outputs: { ValidationResult: base64("{}") } })),
    ).toMatchObject({
      Output: base64("{}"),
      Outputs: { ValidationResult: base64("{}") },
    });
  });
});
