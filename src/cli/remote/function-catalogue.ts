// The server's function signatures: GET /api/function (the organization's builtins) or
// GET /api/space/{id}/function, both `{ ToolchainType: { FunctionName: FunctionSignature } }`,
// optionally narrowed by a `where` over signature attributes (evaluated by the server).
import type { FunctionSignature } from "../../engine/index.ts";
import type { ConfnClient } from "./http-client.ts";
import { RemoteError } from "./remote-error.ts";
import type { SelectedSpace } from "./space-selection.ts";

export type SignatureMap = Record<string, Record<string, FunctionSignature>>;

export async function fetchSignatures(
  client: ConfnClient,
  space: SelectedSpace | undefined,
  where: string | undefined,
): Promise<SignatureMap> {
  const path = space ? `/space/${space.spaceId}/function` : "/function";
  const what = space ? `functions of space ${space.label}` : "functions";
  const map = await client.get<unknown>(path, what, { where });
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new RemoteError("BAD_RESPONSE", `${what}: the server did not answer with a map of toolchains`);
  }
  return map as SignatureMap;
}
