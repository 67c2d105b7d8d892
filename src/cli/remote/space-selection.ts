// `--space S` names a Space by slug or ID; the API addresses Spaces by ID, so a slug is looked up
// with the list's where filter (as cub does), and the client always sends IDs.
import { CliUsageError } from "../cli-error.ts";
import type { ConfnClient } from "./http-client.ts";

export interface SelectedSpace {
  readonly spaceId: string;
  /** The slug when known (for messages); the ID otherwise. */
  readonly label: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** ConfigHub's slug rule: no quote can appear, so the where literal needs no escaping. */
const SLUG = /^[A-Za-z0-9]([-_.A-Za-z0-9]*[A-Za-z0-9])?$/;

export function isUuid(text: string): boolean {
  return UUID.test(text);
}

export async function selectSpace(client: ConfnClient, space: string): Promise<SelectedSpace> {
  if (isUuid(space)) return { spaceId: space.toLowerCase(), label: space };
  if (!SLUG.test(space) || space.length > 128) {
    throw new CliUsageError(
      `--space ${space}: expected a Space slug (letters, digits and -_. inside) or a Space ID`,
    );
  }
  const found = await client.get<{ Space: { SpaceID: string; Slug: string } }[]>("/space", `space ${space}`, {
    where: `Slug = '${space}'`,
  });
  const match = (found ?? []).find((entry) => entry.Space?.Slug === space);
  if (!match) {
    throw new CliUsageError(`--space ${space}: no Space with this slug in your organization`);
  }
  return { spaceId: match.Space.SpaceID, label: space };
}
