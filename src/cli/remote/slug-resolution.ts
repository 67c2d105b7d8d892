// Slugs wherever an ID is taken: the API addresses entities by ID, so a slug is looked up with the
// list's `where Slug = '...'` (as cub does) and the client always sends IDs. A slug that names
// nothing is a usage error (exit 2) that says where it looked and, when one is close, which slug
// the user probably meant.
import { closest, distance } from "fastest-levenshtein";
import { CliUsageError } from "../cli-error.ts";
import type { ConfnClient } from "./http-client.ts";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ConfigHub's slug rule: no quote can appear, so the where literal needs no escaping. */
const SLUG = /^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$/;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

/** Whether `text` can be a slug (which also makes it safe inside a where literal). */
export function isSlug(text: string): boolean {
  return SLUG.test(text) && text.length <= 128;
}

export interface SlugLookup {
  /** The list route to search, e.g. `/space` or `/space/<id>/unit`. */
  readonly listPath: string;
  /** The entity's API name, for messages and the `Extended*` wrapper: `Unit`. */
  readonly title: string;
  readonly idField: string;
  /** Where it was looked for, for the message: `in your organization`, `in space prod`. */
  readonly scope: string;
  /** How the user passed it, prefixed to messages: `--space`. */
  readonly flag?: string;
}

export interface Resolved {
  readonly id: string;
  /** The slug when known (for messages); the ID otherwise. */
  readonly label: string;
}

export async function resolveSlug(client: ConfnClient, lookup: SlugLookup, ref: string): Promise<Resolved> {
  const prefix = lookup.flag ? `${lookup.flag} ${ref}: ` : "";
  if (isUuid(ref)) return { id: ref.toLowerCase(), label: ref };
  if (!isSlug(ref)) {
    throw new CliUsageError(
      `${prefix}expected a ${lookup.title} slug (letters, digits and -_. inside) or a ${lookup.title} ID`,
    );
  }
  const what = `${lookup.title.toLowerCase()} ${ref}`;
  const found = await client.get<WireList>(lookup.listPath, what, {
    where: `Slug = '${ref}'`,
    select: "Slug",
  });
  const match = entitiesOf(found, lookup.title).find((entity) => entity.Slug === ref);
  if (match && typeof match[lookup.idField] === "string") {
    return { id: match[lookup.idField] as string, label: ref };
  }
  const all = entitiesOf(
    await client.get<WireList>(lookup.listPath, `${lookup.title.toLowerCase()}s`, { select: "Slug" }),
    lookup.title,
  ).map((entity) => String(entity.Slug));
  throw new CliUsageError(`${prefix}no ${lookup.title} '${ref}' ${lookup.scope}${suggestion(ref, all)}`);
}

type WireList = Record<string, Record<string, unknown>>[] | null;

/** The entities of a list of `Extended*` wrappers (`[{ "Unit": {...} }]`). */
export function entitiesOf(list: WireList, title: string): Record<string, unknown>[] {
  return (list ?? []).map((entry) => entry?.[title]).filter((e): e is Record<string, unknown> => !!e);
}

/** ` (did you mean web?)` when a slug is within a few edits of `ref`, else nothing. */
export function suggestion(ref: string, candidates: readonly string[]): string {
  if (candidates.length === 0) return "";
  const best = closest(ref, [...candidates]);
  return distance(ref, best) <= Math.max(2, Math.floor(ref.length / 3)) ? ` (did you mean ${best}?)` : "";
}
