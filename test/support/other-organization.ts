// Entities of the test app's second organization, made with its admin token: the tests that prove
// one organization cannot see or touch another's entities all start by creating one.
import type { TestApp } from "./test-app.ts";

export interface OtherOrganizationEntity {
  /** The other organization's Space that holds the entity. */
  readonly spaceId: string;
  /** The created entity, as the API returned it. */
  readonly entity: Readonly<Record<string, string>>;
}

/**
 * Creates a Space (`spaceSlug`) in the other organization and, in it, the entity of `entityPath`
 * (e.g. `filter`) with `body`.
 */
export async function createInOtherOrganization(
  t: TestApp,
  entityPath: string,
  body: unknown,
  spaceSlug = "theirs",
): Promise<OtherOrganizationEntity> {
  const token = t.otherOrg.tokens.admin;
  const space = await t.request({ method: "POST", url: "/api/space", body: { Slug: spaceSlug }, token });
  const spaceId = (space.json() as { SpaceID: string }).SpaceID;
  const created = await t.request({
    method: "POST",
    url: `/api/space/${spaceId}/${entityPath}`,
    body,
    token,
  });
  return { spaceId, entity: created.json() as Record<string, string> };
}
