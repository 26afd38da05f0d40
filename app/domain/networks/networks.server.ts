import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../../../db/client";
import { preparedPer } from "../../../db/prepared";
import { networkMembers, networks, organisations, users } from "../../../db/schema";
import { recordAudit } from "../audit/audit.server";
import { notFound } from "../http-errors";
import { authorize, organisationIdsOf, type Actor, type NetworkResource } from "../policy";

/**
 * The SQL twin of the `network.view` rule: owner or shared-with organisation, or a member (a
 * system administrator sees all). Lists are filtered by it in the query, never fetched and
 * filtered afterwards. It is written with placeholders so that the list queries are prepared once
 * and reused for everyone; `visibilityParams` fills them in for one person.
 */
export const visibleNetworks = sql`(${sql.placeholder("seesAll")}::boolean
  or ${networks.ownerOrganisationId} = any(${sql.placeholder("organisationIds")}::uuid[])
  or ${networks.sharedWithOrganisationIds} && ${sql.placeholder("organisationIds")}::uuid[]
  or exists (select 1 from ${networkMembers} where ${networkMembers.networkId} = ${networks.id} and ${networkMembers.userId} = ${sql.placeholder("actorId")}::uuid))`;

export function visibilityParams(actor: Actor) {
  // An array literal: the ids are uuids from the session, never free text.
  return { seesAll: actor.isSystemAdmin, organisationIds: `{${organisationIdsOf(actor).join(",")}}`, actorId: actor.userId };
}

export { preparedPer } from "../../../db/prepared";

const likePattern = (search: string) => `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

const listQuery = preparedPer((db) =>
  db
    .select({
      id: networks.id,
      name: networks.name,
      purpose: networks.purpose,
      ownerName: organisations.name,
      members: sql<number>`(select count(*)::int from ${networkMembers} where ${networkMembers.networkId} = ${networks.id})`,
    })
    .from(networks)
    .innerJoin(organisations, eq(organisations.id, networks.ownerOrganisationId))
    .where(
      and(
        visibleNetworks,
        sql`(${sql.placeholder("pattern")}::text is null or ${networks.name} ilike ${sql.placeholder("pattern")} or ${networks.purpose} ilike ${sql.placeholder("pattern")} or ${organisations.name} ilike ${sql.placeholder("pattern")})`,
      ),
    )
    .orderBy(asc(networks.name))
    .prepare("list_networks"),
);

export async function listNetworks(db: Db, actor: Actor, query = "") {
  const search = query.trim();
  return listQuery(db).execute({ ...visibilityParams(actor), pattern: search ? likePattern(search) : null });
}

export async function loadNetworkResource(db: Db, networkId: string): Promise<(NetworkResource & { id: string; name: string }) | null> {
  const [network] = await db.select().from(networks).where(eq(networks.id, networkId));
  if (!network) return null;
  const members = await db
    .select({ userId: networkMembers.userId, role: networkMembers.role })
    .from(networkMembers)
    .where(eq(networkMembers.networkId, networkId));
  return {
    type: "network",
    id: network.id,
    name: network.name,
    ownerOrganisationId: network.ownerOrganisationId,
    sharedWithOrganisationIds: network.sharedWithOrganisationIds,
    members,
  };
}

export async function getNetwork(db: Db, actor: Actor, networkId: string) {
  const resource = await loadNetworkResource(db, networkId);
  // Someone who may not see a network is told it does not exist, not that it is forbidden.
  if (!resource) throw notFound("Nätverket finns inte.");
  try {
    authorize(actor, "network.view", resource);
  } catch {
    throw notFound("Nätverket finns inte.");
  }
  const [network] = await db
    .select({ id: networks.id, name: networks.name, purpose: networks.purpose, ownerName: organisations.name, ownerId: organisations.id })
    .from(networks)
    .innerJoin(organisations, eq(organisations.id, networks.ownerOrganisationId))
    .where(eq(networks.id, networkId));
  const members = await db
    .select({
      id: users.id,
      name: users.name,
      title: users.title,
      role: networkMembers.role,
      organisations: sql<string>`coalesce((select string_agg(o.name, ', ' order by o.name) from memberships m join organisations o on o.id = m.organisation_id where m.user_id = ${users.id}), '')`,
    })
    .from(networkMembers)
    .innerJoin(users, eq(users.id, networkMembers.userId))
    .where(eq(networkMembers.networkId, networkId))
    .orderBy(asc(users.name));
  const sharedWith = resource.sharedWithOrganisationIds.length
    ? await db
        .select({ id: organisations.id, name: organisations.name })
        .from(organisations)
        .where(sql`${organisations.id} = any(array[${sql.join(resource.sharedWithOrganisationIds.map((id) => sql`${id}`), sql`, `)}]::uuid[])`)
        .orderBy(asc(organisations.name))
    : [];
  return { network, members, sharedWith, resource };
}

export const createNetworkSchema = z.object({
  name: z.string().trim().min(3, "Ge nätverket ett namn (minst 3 tecken).").max(120, "Namnet får vara högst 120 tecken."),
  purpose: z.string().trim().max(2000, "Syftet får vara högst 2000 tecken.").default(""),
  ownerOrganisationId: z.uuid("Välj en ägande organisation."),
  sharedWithOrganisationIds: z.array(z.uuid("Ogiltig organisation.")).max(100).default([]),
});

export async function createNetwork(db: Db, actor: Actor, input: z.infer<typeof createNetworkSchema>) {
  authorize(actor, "network.create", { type: "organisation", id: input.ownerOrganisationId });
  return db.transaction(async (tx) => {
    const sharedWith = [...new Set(input.sharedWithOrganisationIds)].filter((id) => id !== input.ownerOrganisationId);
    if (sharedWith.length) {
      const found = await tx.select({ id: organisations.id }).from(organisations).where(sql`${organisations.id} = any(array[${sql.join(sharedWith.map((id) => sql`${id}`), sql`, `)}]::uuid[])`);
      if (found.length !== sharedWith.length) throw notFound("En av de valda organisationerna finns inte.");
    }
    const [network] = await tx
      .insert(networks)
      .values({ name: input.name, purpose: input.purpose, ownerOrganisationId: input.ownerOrganisationId, sharedWithOrganisationIds: sharedWith })
      .returning();
    await tx.insert(networkMembers).values({ networkId: network.id, userId: actor.userId, role: "samordnare" });
    await recordAudit(tx, {
      actor,
      action: "network.create",
      entityType: "network",
      entityId: network.id,
      organisationId: network.ownerOrganisationId,
      summary: `${actor.name} skapade nätverket ${network.name}`,
      after: { name: network.name, sharedWith },
    });
    return network;
  });
}
