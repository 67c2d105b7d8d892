// JSON Merge Patch (RFC 7396): objects merge recursively, null removes a member, anything else
// replaces. Small enough to own; pure, so routes can apply it to the wire view of an entity.

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export function applyMergePatch(target: Json | undefined, patch: Json): Json {
  if (!isObject(patch)) return patch;
  const result: { [key: string]: Json } = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

function isObject(value: Json | undefined): value is { [key: string]: Json } {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
