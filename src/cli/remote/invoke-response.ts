// The invoke response as the CLI reads it: ConfigHub's FunctionInvocationsResponse, one element per
// Unit. The server is not trusted blindly: an element missing what the report needs is a
// BAD_RESPONSE naming the element, not a crash further down.
import { fromBase64 } from "../../engine/index.ts";
import { RemoteError } from "./remote-error.ts";

export interface ResponseError {
  Message: string;
  Details?: string[] | null;
  Status?: number;
  Type?: string;
}

export interface InvokeElement {
  UnitID: string;
  UnitSlug: string;
  SpaceID: string;
  SpaceSlug: string;
  RevisionID: string;
  /** base64 of the resulting data. */
  ConfigData: string;
  /** Output type -> base64 JSON. */
  Outputs?: Record<string, string> | null;
  Mutators?: number[] | null;
  HasNewMutations?: boolean;
  Success: boolean;
  Error?: ResponseError | null;
}

/** Checks the parsed body: null (nothing matched) is an empty list, as ConfigHub's CLI treats it. */
export function readInvokeResponse(body: unknown): InvokeElement[] {
  if (body === null) return [];
  if (!Array.isArray(body)) {
    throw new RemoteError("BAD_RESPONSE", "invoke: the server's answer is not a list of Unit results");
  }
  body.forEach((element: unknown, i) => {
    const e = element as Partial<InvokeElement> | null;
    const missing =
      e === null || typeof e !== "object"
        ? "the element itself"
        : ((["UnitSlug", "SpaceSlug", "UnitID", "SpaceID", "RevisionID", "ConfigData"] as const).find(
            (key) => typeof e[key] !== "string",
          ) ?? (typeof e.Success === "boolean" ? undefined : "Success"));
    if (missing !== undefined) {
      throw new RemoteError("BAD_RESPONSE", `invoke: element ${i} of the server's answer lacks ${missing}`);
    }
  });
  return body as InvokeElement[];
}

/** Whether the element's data differs from what the functions started from. */
export function changed(element: InvokeElement): boolean {
  return element.HasNewMutations === true || (element.Mutators ?? []).length > 0;
}

/** Each output decoded from base64 JSON, in the order the server listed them. */
export function decodeOutputs(element: InvokeElement): [type: string, value: unknown][] {
  return Object.entries(element.Outputs ?? {}).map(([type, encoded]) => {
    try {
      return [type, JSON.parse(fromBase64(encoded)) as unknown];
    } catch {
      throw new RemoteError(
        "BAD_RESPONSE",
        `invoke: Outputs.${type} of unit ${element.SpaceSlug}/${element.UnitSlug} is not base64 JSON`,
      );
    }
  });
}
