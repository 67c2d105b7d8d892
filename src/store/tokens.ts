// API tokens: 32 random bytes, base64url, prefixed `confn_` so they are recognisable in logs and
// secret scanners. Only the SHA-256 of a token is stored; the plaintext exists once, in the
// return value of createApiToken. SHA-256 (not a slow KDF) suffices for 256-bit random secrets
// and keeps the lookup a single indexed equality.
import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import type { ApiTokenRow, DatabaseSchema, Role } from "./schema.ts";
import { inTransaction } from "./transaction.ts";

export const TOKEN_PREFIX = "confn_";
export const ROLES: readonly Role[] = ["admin", "editor", "viewer"];

export function generateToken(): string {
  return TOKEN_PREFIX + randomBytes(32).toString("base64url");
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export interface NewApiToken {
  readonly organizationId: string;
  readonly role: Role;
  readonly description?: string;
}

export interface IssuedToken {
  /** The secret; shown once, never stored. */
  readonly token: string;
  readonly row: ApiTokenRow;
}

export async function createApiToken(db: Kysely<DatabaseSchema>, request: NewApiToken): Promise<IssuedToken> {
  const token = generateToken();
  const row = await db
    .insertInto("api_tokens")
    .values({
      token_id: randomUUID(),
      organization_id: request.organizationId,
      token_hash: hashToken(token),
      role: request.role,
      description: request.description ?? "",
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { token, row };
}

/** Who a bearer token speaks for. */
export interface Principal {
  readonly tokenId: string;
  readonly organizationId: string;
  readonly organizationSlug: string;
  readonly organizationDisplayName: string;
  readonly organizationExternalId: string;
  readonly role: Role;
  readonly description: string;
}

/** The principal of a live (unrevoked) token, or undefined for an unknown or revoked one. */
export async function authenticateToken(
  db: Kysely<DatabaseSchema>,
  token: string,
): Promise<Principal | undefined> {
  if (!token.startsWith(TOKEN_PREFIX)) return undefined;
  const row = await db
    .selectFrom("api_tokens")
    .innerJoin("organizations", "organizations.organization_id", "api_tokens.organization_id")
    .select([
      "api_tokens.token_id",
      "api_tokens.organization_id",
      "api_tokens.role",
      "api_tokens.description",
      "organizations.slug",
      "organizations.display_name",
      "organizations.external_id",
    ])
    .where("api_tokens.token_hash", "=", hashToken(token))
    .where("api_tokens.revoked_at", "is", null)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    tokenId: row.token_id,
    organizationId: row.organization_id,
    organizationSlug: row.slug,
    organizationDisplayName: row.display_name,
    organizationExternalId: row.external_id,
    role: row.role,
    description: row.description,
  };
}

/** The organization's tokens, live and revoked, oldest first (hashes never leave the store). */
export async function listApiTokens(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
): Promise<Omit<ApiTokenRow, "token_hash">[]> {
  return db
    .selectFrom("api_tokens")
    .select([
      "token_id",
      "organization_id",
      "role",
      "description",
      "created_at",
      "last_used_at",
      "revoked_at",
    ])
    .where("organization_id", "=", organizationId)
    .orderBy("created_at")
    .orderBy("token_id")
    .execute();
}

export type RevokeOutcome =
  | { readonly kind: "revoked"; readonly row: Omit<ApiTokenRow, "token_hash"> }
  | { readonly kind: "not-found" }
  | { readonly kind: "already-revoked" }
  /** It is the organization's last live admin token: revoking it would lock every admin out. */
  | { readonly kind: "last-admin" };

/** Revokes one token of the organization; a token of another organization is "not-found". */
export async function revokeApiToken(
  db: Kysely<DatabaseSchema>,
  organizationId: string,
  tokenId: string,
): Promise<RevokeOutcome> {
  return inTransaction(db, async (trx) => {
    // Lock the organization's live admin tokens first, so two concurrent revocations cannot
    // each see the other's token as the remaining admin.
    const admins = await trx
      .selectFrom("api_tokens")
      .select("token_id")
      .where("organization_id", "=", organizationId)
      .where("role", "=", "admin")
      .where("revoked_at", "is", null)
      .forUpdate()
      .execute();
    const token = await trx
      .selectFrom("api_tokens")
      .select(["token_id", "role", "revoked_at"])
      .where("organization_id", "=", organizationId)
      .where("token_id", "=", tokenId)
      .executeTakeFirst();
    if (!token) return { kind: "not-found" };
    if (token.revoked_at !== null) return { kind: "already-revoked" };
    if (token.role === "admin" && admins.length <= 1) return { kind: "last-admin" };
    const row = await trx
      .updateTable("api_tokens")
      .set({ revoked_at: new Date() })
      .where("organization_id", "=", organizationId)
      .where("token_id", "=", tokenId)
      .returning([
        "token_id",
        "organization_id",
        "role",
        "description",
        "created_at",
        "last_used_at",
        "revoked_at",
      ])
      .executeTakeFirstOrThrow();
    return { kind: "revoked", row };
  });
}
