import fs from "node:fs";
import path from "node:path";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionItems, actionLists, auditEvents, emails, meetingInvitees, meetings, memberships, networkMembers, networks, organisations, users } from "../../db/schema";
import { can, type Action, type Actor } from "../../app/domain/policy";
import type { Socket } from "socket.io-client";
import { liveSockets } from "../support/live-socket";
import { rows, tableDigest } from "../support/digest";
import { startTestPortal, type TestPortal } from "../support/portal";

/**
 * The authorisation matrix: every role × every action × the actor's own organisation's record,
 * a record shared with that organisation and another organisation's unshared record.
 *
 * 1. The policy itself (`can`), against an expectation table written out by hand below.
 * 2. The real pages and forms of a running portal, for people signed in with each role.
 * 3. Joining live socket rooms.
 *
 * The tables are deliberately explicit: nothing in them is computed from the policy's helpers,
 * so a change to a rule shows up here as a failing row that has to be looked at.
 */

const Y = true;
const N = false;
/** Not applicable: the actor has no such record (someone without an organisation has no colleagues). */
const _ = null;

const ROLES = ["systemadmin", "admin", "samordnare", "medlem", "outsider"] as const;
type Role = (typeof ROLES)[number];

// =============================================================================================
// 1. The policy layer.

/** The records each kind of resource is tried against, as seen from the actor. */
const SCOPES = {
  organisation: ["own organisation", "other organisation"],
  person: [
    "self",
    "colleague",
    "colleague also in another organisation",
    "person in another organisation",
    "person without an organisation",
    "colleague who is a system administrator",
  ],
  network: [
    "own network",
    "shared network",
    "other network",
    "other organisation's network as its member",
    "other organisation's network as its coordinator",
  ],
  meeting: [
    "meeting of own network",
    "meeting of shared network",
    "meeting of other network",
    "other network's meeting as an invitee",
    "other network's meeting as the network's member",
    "other network's meeting as the network's coordinator",
  ],
  poll: [
    "poll of own network",
    "poll of shared network",
    "poll of other network",
    "other network's poll as a participant",
    "other network's poll as the network's member",
    "other network's poll as the network's coordinator",
  ],
  invitee: ["own invitation", "someone else's invitation", "an external contact's invitation"],
  kunskapsdag: [
    "own organisation's kunskapsdag",
    "kunskapsdag shared with own organisation",
    "other organisation's kunskapsdag",
    "other organisation's kunskapsdag as its organiser",
  ],
  system: ["the system"],
  notes: [
    "open notes of own network's meeting",
    "open notes of shared network's meeting",
    "open notes of other network's meeting",
    "open notes of other network's meeting as an invitee",
    "open notes of other network's meeting as the network's member",
    "open notes of other network's meeting as the network's coordinator",
    "approved notes of own network's meeting",
    "approved notes of other network's meeting as the network's coordinator",
    "notes out for approval of own network's meeting",
  ],
  actionList: [
    "own organisation's action list",
    "action list shared with own organisation",
    "other organisation's action list",
    "other organisation's action list shared with a partner",
    "own organisation's archived action list",
    "archived action list shared with own organisation",
  ],
  ...agreementScopes(),
  ...followupScopes(),
  notesTask: [
    "own network's open notes → own organisation's list",
    "own network's open notes → other organisation's list",
    "other network's open notes as an invitee → own organisation's list",
    "other network's open notes as an invitee → other organisation's list",
    "shared network's open notes → own organisation's list",
    "own network's approved notes → own organisation's list",
    "own network's open notes → own organisation's archived list",
  ],
} as const;
type Kind = keyof typeof SCOPES;
/** A tuple with one cell of type V per scope of T (a homomorphic mapped type keeps the tuple's length). */
type PerScope<T extends readonly unknown[], V> = { -readonly [I in keyof T]: V };

/** Which scopes exist only for someone who belongs to an organisation. */
const NEEDS_OWN_ORGANISATION: { [K in Kind]: PerScope<(typeof SCOPES)[K], boolean> } = {
  organisation: [true, false],
  person: [false, true, true, false, false, true],
  network: [true, true, false, false, false],
  meeting: [true, true, false, false, false, false],
  poll: [true, true, false, false, false, false],
  invitee: [false, false, false],
  kunskapsdag: [true, true, false, false],
  system: [false],
  notes: [true, true, false, false, false, false, true, false, true],
  actionList: [true, true, false, false, true, true],
  ...agreementNeedsOwnOrganisation(),
  ...followupNeedsOwnOrganisation(),
  notesTask: [true, true, true, false, true, true, true],
};

/** The resource type `can` takes for an action, read from the policy's own signature. */
type ResourceOf<A extends Action> = Parameters<typeof can<A>>[2];
type Cells<K> = K extends Kind ? PerScope<(typeof SCOPES)[K], boolean | null> : never;
type Row<A extends Action> = { on: ResourceOf<A>["type"] } & { [R in Role]: Cells<ResourceOf<A>["type"]> };

/**
 * Columns: own invitation, someone else's invitation, an external contact's invitation. Only the
 * invited person, whatever their role: answering, giving up an invitation, answering a poll,
 * approving the notes as a justerare.
 */
const onlyOwnInvitation: Row<"meeting.respond"> = {
  on: "invitee",
  systemadmin: [Y, N, N],
  admin: [Y, N, N],
  samordnare: [Y, N, N],
  medlem: [Y, N, N],
  outsider: [Y, N, N],
};

/**
 * Expected decisions. A Record over every Action: TypeScript refuses this file when an action
 * is added to the policy without a row, and the first test below does the same at run time.
 *
 * Actors: the system administrator is a plain member of the own organisation (so any extra
 * right comes from the system flag); the others hold the named role there; the outsider has
 * an account but no organisation.
 */
const expectations: { [A in Action]: Row<A> } = {
  // Columns: own organisation, other organisation.
  "organisation.view": { on: "organisation", systemadmin: [Y, Y], admin: [Y, Y], samordnare: [Y, Y], medlem: [Y, Y], outsider: [_, Y] },
  "organisation.viewMembers": { on: "organisation", systemadmin: [Y, Y], admin: [Y, Y], samordnare: [Y, Y], medlem: [Y, Y], outsider: [_, Y] },
  "organisation.invite": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
  "organisation.manageMembers": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
  "organisation.viewAudit": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
  "network.create": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [Y, N], medlem: [N, N], outsider: [_, N] },

  // Columns: self, colleague, colleague also in another organisation, person in another organisation, person without an
  // organisation, colleague who is a system administrator.
  "person.viewContact": {
    on: "person",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, Y, N, N, Y],
    samordnare: [Y, Y, Y, N, N, Y],
    medlem: [Y, Y, Y, N, N, Y],
    outsider: [Y, _, _, N, N, _],
  },
  "person.editProfile": {
    on: "person",
    systemadmin: [Y, N, N, N, N, N],
    admin: [Y, N, N, N, N, N],
    samordnare: [Y, N, N, N, N, N],
    medlem: [Y, N, N, N, N, N],
    outsider: [Y, _, _, N, N, _],
  },
  "person.exportData": {
    on: "person",
    systemadmin: [Y, N, N, N, N, N],
    admin: [Y, N, N, N, N, N],
    samordnare: [Y, N, N, N, N, N],
    medlem: [Y, N, N, N, N, N],
    outsider: [Y, _, _, N, N, _],
  },
  // The calendar subscription URL is personal: nobody else creates or replaces it.
  "person.manageCalendarFeed": {
    on: "person",
    systemadmin: [Y, N, N, N, N, N],
    admin: [Y, N, N, N, N, N],
    samordnare: [Y, N, N, N, N, N],
    medlem: [Y, N, N, N, N, N],
    outsider: [Y, _, _, N, N, _],
  },
  "person.anonymise": {
    on: "person",
    systemadmin: [N, Y, Y, Y, Y, Y],
    admin: [N, Y, N, N, N, N],
    samordnare: [N, N, N, N, N, N],
    medlem: [N, N, N, N, N, N],
    outsider: [N, _, _, N, N, _],
  },
  "person.deactivate": {
    on: "person",
    systemadmin: [N, Y, Y, Y, Y, Y],
    admin: [N, Y, N, N, N, N],
    samordnare: [N, N, N, N, N, N],
    medlem: [N, N, N, N, N, N],
    outsider: [N, _, _, N, N, _],
  },

  // Columns: own network, shared network, other network, as network member, as network coordinator.
  "network.view": {
    on: "network",
    systemadmin: [Y, Y, Y, Y, Y],
    admin: [Y, Y, N, Y, Y],
    samordnare: [Y, Y, N, Y, Y],
    medlem: [Y, Y, N, Y, Y],
    outsider: [_, _, N, Y, Y],
  },
  "network.edit": {
    on: "network",
    systemadmin: [Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, Y],
    samordnare: [Y, N, N, N, Y],
    medlem: [N, N, N, N, Y],
    outsider: [_, _, N, N, Y],
  },
  "network.delete": {
    on: "network",
    systemadmin: [Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N],
    samordnare: [N, N, N, N, N],
    medlem: [N, N, N, N, N],
    outsider: [_, _, N, N, N],
  },
  "network.leave": {
    on: "network",
    systemadmin: [N, N, N, Y, Y],
    admin: [N, N, N, Y, Y],
    samordnare: [N, N, N, Y, Y],
    medlem: [N, N, N, Y, Y],
    outsider: [_, _, N, Y, Y],
  },
  // Members, external contacts and links are kept by those who edit the network.
  "network.manageMembers": {
    on: "network",
    systemadmin: [Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, Y],
    samordnare: [Y, N, N, N, Y],
    medlem: [N, N, N, N, Y],
    outsider: [_, _, N, N, Y],
  },
  "network.manageLinks": {
    on: "network",
    systemadmin: [Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, Y],
    samordnare: [Y, N, N, N, Y],
    medlem: [N, N, N, N, Y],
    outsider: [_, _, N, N, Y],
  },
  "meeting.create": {
    on: "network",
    systemadmin: [Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, Y],
    samordnare: [Y, N, N, N, Y],
    medlem: [N, N, N, N, Y],
    outsider: [_, _, N, N, Y],
  },

  // Columns: meeting of own network, of shared network, of other network, other network's meeting as an invitee, as
  // the network's member, as the network's coordinator.
  "meeting.view": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, N, Y, Y, Y],
    samordnare: [Y, Y, N, Y, Y, Y],
    medlem: [Y, Y, N, Y, Y, Y],
    outsider: [_, _, N, Y, Y, Y],
  },
  "meeting.edit": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "meeting.cancel": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "meeting.exportAttendees": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "meeting.markHeld": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "meeting.removeInvitee": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },

  "poll.create": {
    on: "network",
    systemadmin: [Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, Y],
    samordnare: [Y, N, N, N, Y],
    medlem: [N, N, N, N, Y],
    outsider: [_, _, N, N, Y],
  },

  // Columns: poll of own network, of shared network, of other network, other network's poll as a participant, as the
  // network's member who was not asked, as the network's coordinator. A poll shows people's availability: only those
  // who run it and those asked see it (with everyone's answers), not the rest of the network or the sharing.
  "poll.view": {
    on: "poll",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, Y, N, Y],
    samordnare: [Y, N, N, Y, N, Y],
    medlem: [N, N, N, Y, N, Y],
    outsider: [_, _, N, Y, N, Y],
  },
  "poll.pick": {
    on: "poll",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "poll.close": {
    on: "poll",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },

  // Answering is personal: not even a system administrator answers for someone else.
  "meeting.respond": onlyOwnInvitation,

  // Leaving a network gives up one's own invitations to its coming meetings; a coordinator takes others'
  // away with meeting.removeInvitee. Personal, as answering is.
  "meeting.withdrawOwnInvitation": onlyOwnInvitation,

  "poll.answer": onlyOwnInvitation,
  "kunskapsdag.create": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [Y, N], medlem: [N, N], outsider: [_, N] },

  // Columns: own organisation's kunskapsdag, one shared with the own organisation, another organisation's, another
  // organisation's as its organiser. Published days are public pages outside the policy.
  "kunskapsdag.view": {
    on: "kunskapsdag",
    systemadmin: [Y, Y, Y, Y],
    admin: [Y, Y, N, Y],
    samordnare: [Y, Y, N, Y],
    medlem: [Y, Y, N, Y],
    outsider: [_, _, N, Y],
  },
  "kunskapsdag.edit": {
    on: "kunskapsdag",
    systemadmin: [Y, Y, Y, Y],
    admin: [Y, N, N, Y],
    samordnare: [Y, N, N, Y],
    medlem: [N, N, N, Y],
    outsider: [_, _, N, Y],
  },
  "kunskapsdag.viewRegistrations": {
    on: "kunskapsdag",
    systemadmin: [Y, Y, Y, Y],
    admin: [Y, N, N, Y],
    samordnare: [Y, N, N, Y],
    medlem: [N, N, N, Y],
    outsider: [_, _, N, Y],
  },
  "kunskapsdag.moveRegistration": {
    on: "kunskapsdag",
    systemadmin: [Y, Y, Y, Y],
    admin: [Y, N, N, Y],
    samordnare: [Y, N, N, Y],
    medlem: [N, N, N, Y],
    outsider: [_, _, N, Y],
  },

  "actionList.create": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [Y, N], medlem: [Y, N], outsider: [_, N] },
  // Columns: own organisation's list, a list shared with the own organisation, another organisation's list, another
  // organisation's list shared with a third (partner) organisation, then the first two archived. Everyone in the owning
  // or a shared organisation reads and co-edits; the list's sharing and removing items stay with the owner's leads. An
  // archived list is read, exported and commented on, its items not changed by anyone, until the owner's leads restore it.
  "actionList.view": {
    on: "actionList",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, N, N, Y, Y],
    samordnare: [Y, Y, N, N, Y, Y],
    medlem: [Y, Y, N, N, Y, Y],
    outsider: [_, _, N, N, _, _],
  },
  "actionList.edit": {
    on: "actionList",
    systemadmin: [Y, Y, Y, Y, N, N],
    admin: [Y, Y, N, N, N, N],
    samordnare: [Y, Y, N, N, N, N],
    medlem: [Y, Y, N, N, N, N],
    outsider: [_, _, N, N, _, _],
  },
  "actionItem.edit": {
    on: "actionList",
    systemadmin: [Y, Y, Y, Y, N, N],
    admin: [Y, Y, N, N, N, N],
    samordnare: [Y, Y, N, N, N, N],
    medlem: [Y, Y, N, N, N, N],
    outsider: [_, _, N, N, _, _],
  },
  "actionList.manage": {
    on: "actionList",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, Y, N],
    samordnare: [Y, N, N, N, Y, N],
    medlem: [N, N, N, N, N, N],
    outsider: [_, _, N, N, _, _],
  },

  // Columns: own organisation's action list, one shared with the own organisation, another organisation's, another
  // organisation's shared with a partner (not with the actor), then the first two archived. Exports, imports and comments
  // follow the list's sharing only; an archived list takes no imports.
  "actionList.export": {
    on: "actionList",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, N, N, Y, Y],
    samordnare: [Y, Y, N, N, Y, Y],
    medlem: [Y, Y, N, N, Y, Y],
    outsider: [_, _, N, N, _, _],
  },
  "actionList.import": {
    on: "actionList",
    systemadmin: [Y, Y, Y, Y, N, N],
    admin: [Y, Y, N, N, N, N],
    samordnare: [Y, Y, N, N, N, N],
    medlem: [Y, Y, N, N, N, N],
    outsider: [_, _, N, N, _, _],
  },
  "actionItem.comment": {
    on: "actionList",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, N, N, Y, Y],
    samordnare: [Y, Y, N, N, Y, Y],
    medlem: [Y, Y, N, N, Y, Y],
    outsider: [_, _, N, N, _, _],
  },

  // Column: the system.
  "system.viewAudit": { on: "system", systemadmin: [Y], admin: [N], samordnare: [N], medlem: [N], outsider: [N] },
  "system.manageMail": { on: "system", systemadmin: [Y], admin: [N], samordnare: [N], medlem: [N], outsider: [N] },
  "system.manageOrganisations": { on: "system", systemadmin: [Y], admin: [N], samordnare: [N], medlem: [N], outsider: [N] },
  // Meeting notes: approval (justering), versions and exports. Columns as for meetings; sending for approval,
  // reopening and taking or restoring versions follow meeting.edit, reading versions and exporting follow meeting.view.
  "notes.sendForApproval": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "notes.reopen": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "notes.manageVersions": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, N, N, N, N, Y],
    samordnare: [Y, N, N, N, N, Y],
    medlem: [N, N, N, N, N, Y],
    outsider: [_, _, N, N, N, Y],
  },
  "notes.viewVersions": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, N, Y, Y, Y],
    samordnare: [Y, Y, N, Y, Y, Y],
    medlem: [Y, Y, N, Y, Y, Y],
    outsider: [_, _, N, Y, Y, Y],
  },
  "notes.export": {
    on: "meeting",
    systemadmin: [Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, N, Y, Y, Y],
    samordnare: [Y, Y, N, Y, Y, Y],
    medlem: [Y, Y, N, Y, Y, Y],
    outsider: [_, _, N, Y, Y, Y],
  },
  // Here the invitation is a place as a justerare. Approving is personal: a system administrator
  // does not approve for a justerare.
  "notes.approve": onlyOwnInvitation,

  // Columns: open notes of a meeting of own network, of shared network, of other network, of other network's meeting
  // as an invitee, as the network's member, as the network's coordinator; approved notes of own network's meeting, of
  // other network's meeting as its coordinator; notes of own network's meeting out for approval. Those who see a meeting only
  // through sharing read its notes; notes out for approval and approved minutes are read-only for everyone.
  "notes.read": {
    on: "notes",
    systemadmin: [Y, Y, Y, Y, Y, Y, Y, Y, Y],
    admin: [Y, Y, N, Y, Y, Y, Y, Y, Y],
    samordnare: [Y, Y, N, Y, Y, Y, Y, Y, Y],
    medlem: [Y, Y, N, Y, Y, Y, Y, Y, Y],
    outsider: [_, _, N, Y, Y, Y, _, Y, _],
  },
  "notes.edit": {
    on: "notes",
    systemadmin: [Y, Y, Y, Y, Y, Y, N, N, N],
    admin: [Y, N, N, Y, Y, Y, N, N, N],
    samordnare: [Y, N, N, Y, Y, Y, N, N, N],
    medlem: [N, N, N, Y, Y, Y, N, N, N],
    outsider: [_, _, N, Y, Y, Y, _, N, _],
  },
  ...agreementExpectations(),
  ...followupExpectations(),
  // Both the notes and the list are written: notes.edit and actionList.edit must both hold.
  "notes.convertTask": {
    on: "notesTask",
    systemadmin: [Y, Y, Y, Y, Y, N, N],
    admin: [Y, N, Y, N, N, N, N],
    samordnare: [Y, N, Y, N, N, N, N],
    medlem: [N, N, Y, N, N, N, N],
    outsider: [_, _, _, N, _, _, _],
  },
};

const OWN_ORG = "org-egen";
const PARTNER_ORG = "org-partner";
const OTHER_ORG = "org-annan";

const policyActors: Record<Role, Actor> = {
  systemadmin: { userId: "person-systemadmin", name: "Siv Ström", isSystemAdmin: true, memberships: [{ organisationId: OWN_ORG, role: "medlem" }] },
  admin: { userId: "person-admin", name: "Anna Alm", isSystemAdmin: false, memberships: [{ organisationId: OWN_ORG, role: "admin" }] },
  samordnare: { userId: "person-samordnare", name: "Sami Sund", isSystemAdmin: false, memberships: [{ organisationId: OWN_ORG, role: "samordnare" }] },
  medlem: { userId: "person-medlem", name: "Mia Mark", isSystemAdmin: false, memberships: [{ organisationId: OWN_ORG, role: "medlem" }] },
  outsider: { userId: "person-outsider", name: "Otto Utanför", isSystemAdmin: false, memberships: [] },
};

type AnyResource = ResourceOf<Action>;
type NetworkMember = { userId: string; role: "samordnare" | "medlem" };
const network = (owner: string, sharedWith: string[], members: NetworkMember[]): AnyResource => ({
  type: "network",
  ownerOrganisationId: owner,
  sharedWithOrganisationIds: sharedWith,
  members,
});

const pollOf = (owner: string, sharedWith: string[], members: NetworkMember[], participantUserIds: string[]): AnyResource => ({
  type: "poll",
  ownerOrganisationId: owner,
  sharedWithOrganisationIds: sharedWith,
  network: { type: "network", ownerOrganisationId: owner, sharedWithOrganisationIds: sharedWith, members },
  participantUserIds,
});

const meetingOf = (owner: string, sharedWith: string[], members: NetworkMember[], inviteeUserIds: string[]): AnyResource => ({
  type: "meeting",
  ownerOrganisationId: owner,
  sharedWithOrganisationIds: sharedWith,
  network: { type: "network", ownerOrganisationId: owner, sharedWithOrganisationIds: sharedWith, members },
  inviteeUserIds,
});

const notesOf = (meeting: AnyResource, status: "open" | "for_approval" | "approved"): AnyResource => ({
  type: "notes",
  meeting: meeting as Extract<AnyResource, { type: "meeting" }>,
  status,
});

const notesTaskOf = (notes: AnyResource, listOwner: string, archived = false): AnyResource => ({
  type: "notesTask",
  notes: notes as Extract<AnyResource, { type: "notes" }>,
  list: { type: "actionList", ownerOrganisationId: listOwner, sharedWithOrganisationIds: [], archived },
});

/** One record per scope, in the order of SCOPES. Other people's memberships never grant the actor anything. */
const fixtures: { [K in Kind]: ReadonlyArray<(actor: Actor) => AnyResource> } = {
  organisation: [() => ({ type: "organisation", id: OWN_ORG }), () => ({ type: "organisation", id: OTHER_ORG })],
  person: [
    (actor) => ({
      type: "person",
      id: actor.userId,
      organisationIds: actor.memberships.map((membership) => membership.organisationId),
      isSystemAdmin: actor.isSystemAdmin,
    }),
    () => ({ type: "person", id: "person-kollega", organisationIds: [OWN_ORG], isSystemAdmin: false }),
    () => ({ type: "person", id: "person-dubbel", organisationIds: [OWN_ORG, OTHER_ORG], isSystemAdmin: false }),
    () => ({ type: "person", id: "person-annan", organisationIds: [OTHER_ORG], isSystemAdmin: false }),
    () => ({ type: "person", id: "person-utan", organisationIds: [], isSystemAdmin: false }),
    () => ({ type: "person", id: "person-systemadmin-kollega", organisationIds: [OWN_ORG], isSystemAdmin: true }),
  ],
  network: [
    () => network(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }]),
    () => network(PARTNER_ORG, [OWN_ORG], [{ userId: "person-partner", role: "samordnare" }]),
    () => network(OTHER_ORG, [PARTNER_ORG], [{ userId: "person-annan", role: "samordnare" }]),
    (actor) => network(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }, { userId: actor.userId, role: "medlem" }]),
    (actor) => network(OTHER_ORG, [], [{ userId: actor.userId, role: "samordnare" }]),
  ],
  meeting: [
    () => meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]),
    () => meetingOf(PARTNER_ORG, [OWN_ORG], [{ userId: "person-partner", role: "samordnare" }], ["person-partner"]),
    () => meetingOf(OTHER_ORG, [PARTNER_ORG], [{ userId: "person-annan", role: "samordnare" }], ["person-annan"]),
    (actor) => meetingOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }], ["person-annan", actor.userId]),
    (actor) => meetingOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }, { userId: actor.userId, role: "medlem" }], []),
    (actor) => meetingOf(OTHER_ORG, [], [{ userId: actor.userId, role: "samordnare" }], []),
  ],
  poll: [
    () => pollOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]),
    () => pollOf(PARTNER_ORG, [OWN_ORG], [{ userId: "person-partner", role: "samordnare" }], ["person-partner"]),
    () => pollOf(OTHER_ORG, [PARTNER_ORG], [{ userId: "person-annan", role: "samordnare" }], ["person-annan"]),
    (actor) => pollOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }], ["person-annan", actor.userId]),
    (actor) => pollOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }, { userId: actor.userId, role: "medlem" }], ["person-annan"]),
    (actor) => pollOf(OTHER_ORG, [], [{ userId: actor.userId, role: "samordnare" }], []),
  ],
  invitee: [
    (actor) => ({ type: "invitee", userId: actor.userId }),
    () => ({ type: "invitee", userId: "person-kollega" }),
    () => ({ type: "invitee", userId: null }),
  ],
  kunskapsdag: [
    () => ({ type: "kunskapsdag", ownerOrganisationId: OWN_ORG, sharedWithOrganisationIds: [], organiserUserIds: ["person-kollega"] }),
    () => ({ type: "kunskapsdag", ownerOrganisationId: PARTNER_ORG, sharedWithOrganisationIds: [OWN_ORG], organiserUserIds: ["person-partner"] }),
    () => ({ type: "kunskapsdag", ownerOrganisationId: OTHER_ORG, sharedWithOrganisationIds: [PARTNER_ORG], organiserUserIds: ["person-annan"] }),
    (actor) => ({ type: "kunskapsdag", ownerOrganisationId: OTHER_ORG, sharedWithOrganisationIds: [], organiserUserIds: ["person-annan", actor.userId] }),
  ],
  system: [() => ({ type: "system" })],
  notes: [
    () => notesOf(meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]), "open"),
    () => notesOf(meetingOf(PARTNER_ORG, [OWN_ORG], [{ userId: "person-partner", role: "samordnare" }], ["person-partner"]), "open"),
    () => notesOf(meetingOf(OTHER_ORG, [PARTNER_ORG], [{ userId: "person-annan", role: "samordnare" }], ["person-annan"]), "open"),
    (actor) => notesOf(meetingOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }], ["person-annan", actor.userId]), "open"),
    (actor) => notesOf(meetingOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }, { userId: actor.userId, role: "medlem" }], []), "open"),
    (actor) => notesOf(meetingOf(OTHER_ORG, [], [{ userId: actor.userId, role: "samordnare" }], []), "open"),
    () => notesOf(meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]), "approved"),
    (actor) => notesOf(meetingOf(OTHER_ORG, [], [{ userId: actor.userId, role: "samordnare" }], []), "approved"),
    () => notesOf(meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]), "for_approval"),
  ],
  actionList: [
    () => ({ type: "actionList", ownerOrganisationId: OWN_ORG, sharedWithOrganisationIds: [], archived: false }),
    () => ({ type: "actionList", ownerOrganisationId: PARTNER_ORG, sharedWithOrganisationIds: [OWN_ORG], archived: false }),
    () => ({ type: "actionList", ownerOrganisationId: OTHER_ORG, sharedWithOrganisationIds: [], archived: false }),
    () => ({ type: "actionList", ownerOrganisationId: OTHER_ORG, sharedWithOrganisationIds: [PARTNER_ORG], archived: false }),
    () => ({ type: "actionList", ownerOrganisationId: OWN_ORG, sharedWithOrganisationIds: [], archived: true }),
    () => ({ type: "actionList", ownerOrganisationId: PARTNER_ORG, sharedWithOrganisationIds: [OWN_ORG], archived: true }),
  ],
  ...agreementFixtures(),
  ...followupFixtures(),
  notesTask: [
    () => notesTaskOf(notesOf(meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]), "open"), OWN_ORG),
    () => notesTaskOf(notesOf(meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]), "open"), OTHER_ORG),
    (actor) => notesTaskOf(notesOf(meetingOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }], ["person-annan", actor.userId]), "open"), OWN_ORG),
    (actor) => notesTaskOf(notesOf(meetingOf(OTHER_ORG, [], [{ userId: "person-annan", role: "samordnare" }], ["person-annan", actor.userId]), "open"), OTHER_ORG),
    () => notesTaskOf(notesOf(meetingOf(PARTNER_ORG, [OWN_ORG], [{ userId: "person-partner", role: "samordnare" }], ["person-partner"]), "open"), OWN_ORG),
    () => notesTaskOf(notesOf(meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]), "approved"), OWN_ORG),
    () => notesTaskOf(notesOf(meetingOf(OWN_ORG, [], [{ userId: "person-kollega", role: "samordnare" }], ["person-kollega"]), "open"), OWN_ORG, true),
  ],
};

const ACTIONS = Object.keys(expectations) as Action[];

/** The action names as declared in the policy's `Rules` type. */
function actionsDeclaredInPolicy() {
  const source = fs.readFileSync(path.resolve("app/domain/policy.ts"), "utf8");
  const block = /type Rules = \{([\s\S]*?)\n\};/.exec(source);
  if (!block) throw new Error("type Rules not found in app/domain/policy.ts");
  return [...block[1].matchAll(/^\s*"([^"]+)"\s*:/gm)].map((match) => match[1]);
}

type PolicyCase = { name: string; role: Role; action: Action; kind: Kind; scope: number; expected: boolean };

const policyCases: PolicyCase[] = ACTIONS.flatMap((action) => {
  const row = expectations[action] as unknown as { on: Kind } & Record<Role, ReadonlyArray<boolean | null>>;
  return ROLES.flatMap((role) =>
    row[role].flatMap((expected, scope) =>
      expected === null
        ? []
        : [{ name: `${role} · ${action} · ${SCOPES[row.on][scope]} → ${expected ? "allowed" : "denied"}`, role, action, kind: row.on, scope, expected }],
    ),
  );
});

describe("policy matrix: can(actor, action, resource)", () => {
  it("has an expectation row for exactly the actions declared in the policy", () => {
    const declared = actionsDeclaredInPolicy();
    expect(declared.length).toBeGreaterThanOrEqual(18);
    expect([...ACTIONS].sort()).toEqual([...declared].sort());
  });

  it("has a cell for every role and scope, and marks only what an outsider lacks as not applicable", () => {
    for (const action of ACTIONS) {
      const row = expectations[action] as unknown as { on: Kind } & Record<Role, ReadonlyArray<boolean | null>>;
      expect(fixtures[row.on]).toHaveLength(SCOPES[row.on].length);
      for (const role of ROLES) {
        expect(row[role], `${action} ${role}`).toHaveLength(SCOPES[row.on].length);
        row[role].forEach((cell, scope) => {
          const lacking = role === "outsider" && NEEDS_OWN_ORGANISATION[row.on][scope];
          expect(cell === null, `${role} · ${action} · ${SCOPES[row.on][scope]}`).toBe(lacking);
        });
      }
    }
  });

  it("covers every role with both allowed and denied decisions", () => {
    for (const role of ROLES) {
      expect(policyCases.some((c) => c.role === role && c.expected)).toBe(true);
      expect(policyCases.some((c) => c.role === role && !c.expected)).toBe(true);
    }
  });

  it.each(policyCases)("$name", ({ role, action, kind, scope, expected }) => {
    const actor = policyActors[role];
    expect(can(actor, action, fixtures[kind][scope](actor))).toBe(expected);
  });

  it.each(ACTIONS)("signed out · %s · every record → denied", (action) => {
    const kind = expectations[action].on as Kind;
    for (const fixture of fixtures[kind]) {
      expect(can(null, action, fixture(policyActors.medlem))).toBe(false);
      expect(can(undefined, action, fixture(policyActors.medlem))).toBe(false);
    }
  });
});

// =============================================================================================
// 2 and 3. A running portal: pages, forms and socket rooms.

let portal: TestPortal;
const db = () => portal.portal.db;

const FORBIDDEN = "Du har inte behörighet att göra det här.";

/** People signed in for the matrix; all in Järva stadsdelsnämnd except the outsider. */
const ACCOUNTS: Record<Role, { email: string; name: string }> = {
  systemadmin: { email: "siv.strom@matris.stockholm.se", name: "Siv Ström" },
  admin: { email: "anna.alm@matris.stockholm.se", name: "Anna Alm" },
  samordnare: { email: "sami.sund@matris.stockholm.se", name: "Sami Sund" },
  medlem: { email: "mia.mark@matris.stockholm.se", name: "Mia Mark" },
  outsider: { email: "otto.utanfor@matris.example", name: "Otto Utanför" },
};
const COLLEAGUE = { email: "karin.kollega@matris.stockholm.se", name: "Karin Kollega" };
const OTHER_PERSON = { email: "olle.annan@matris.stockholm.se", name: "Olle Annan" };

const NETWORK_NAMES = {
  own: "Matris Järva eget",
  shared: "Matris Södermalm delat med Järva",
  other: "Matris Farsta slutet",
  member: "Matris Farsta med medlemskap",
} as const;
type NetworkScope = keyof typeof NETWORK_NAMES;
const NETWORK_SCOPES = Object.keys(NETWORK_NAMES) as NetworkScope[];

const AUDIT_SUMMARIES = { own: "Matrishändelse i Järva", other: "Matrishändelse i Farsta" } as const;

const ids = {
  own: "",
  partner: "",
  other: "",
  colleague: "",
  otherPerson: "",
  deadMail: "",
  networks: { own: "", shared: "", other: "", member: "" } as Record<NetworkScope, string>,
  people: {} as Record<Role, string>,
};
const cookies = {} as Record<Role, string>;

/** Application tables a refused request must leave exactly as they were (rate_limits may change). */
const TABLES = ["organisations", "users", "memberships", "networks", "network_members", "audit_events", "emails", "sessions", "sign_in_tokens"];

function digest() {
  return tableDigest(db(), TABLES);
}

/** Waits until the mail workers have nothing queued, so that they do not write during a comparison. */
async function mailSettled() {
  for (let i = 0; i < 200; i++) {
    const [row] = await rows<{ pending: number }>(db(), sql`select count(*)::int as pending from emails where status in ('queued', 'sending')`);
    if (row.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error("mail queue did not settle");
}

let personCounter = 0;
async function createPerson(input: { name: string; email?: string; organisationId?: string; role?: "admin" | "samordnare" | "medlem"; status?: "active" | "deactivated"; isSystemAdmin?: boolean }) {
  personCounter += 1;
  const email = input.email ?? `person${personCounter}@matris.stockholm.se`;
  const [person] = await db()
    .insert(users)
    .values({ email, name: input.name, title: "Handläggare", phone: "08-123 456", status: input.status ?? "active", isSystemAdmin: input.isSystemAdmin ?? false })
    .returning();
  if (input.organisationId) await db().insert(memberships).values({ userId: person.id, organisationId: input.organisationId, role: input.role ?? "medlem" });
  return person;
}

beforeAll(async () => {
  portal = await startTestPortal();
  const orgId = async (name: string) => (await db().select().from(organisations).where(eq(organisations.name, name)))[0].id;
  ids.own = await orgId("Järva stadsdelsnämnd");
  ids.partner = await orgId("Södermalm stadsdelsnämnd");
  ids.other = await orgId("Farsta stadsdelsnämnd");

  const roleInOwn = { systemadmin: "medlem", admin: "admin", samordnare: "samordnare", medlem: "medlem" } as const;
  for (const role of ROLES) {
    const person = await createPerson({
      ...ACCOUNTS[role],
      organisationId: role === "outsider" ? undefined : ids.own,
      role: role === "outsider" ? undefined : roleInOwn[role],
      isSystemAdmin: role === "systemadmin",
    });
    ids.people[role] = person.id;
    cookies[role] = await portal.signInAs(ACCOUNTS[role].email);
  }
  ids.colleague = (await createPerson({ ...COLLEAGUE, organisationId: ids.own })).id;
  ids.otherPerson = (await createPerson({ ...OTHER_PERSON, organisationId: ids.other })).id;

  const addNetwork = async (name: string, owner: string, sharedWith: string[], members: NetworkMember[]) => {
    const [row] = await db().insert(networks).values({ name, purpose: "Matristest", ownerOrganisationId: owner, sharedWithOrganisationIds: sharedWith }).returning();
    if (members.length) await db().insert(networkMembers).values(members.map((member) => ({ networkId: row.id, ...member })));
    return row.id;
  };
  ids.networks.own = await addNetwork(NETWORK_NAMES.own, ids.own, [], [{ userId: ids.colleague, role: "samordnare" }]);
  ids.networks.shared = await addNetwork(NETWORK_NAMES.shared, ids.partner, [ids.own], []);
  // Shared, but not with Järva.
  ids.networks.other = await addNetwork(NETWORK_NAMES.other, ids.other, [ids.partner], [{ userId: ids.otherPerson, role: "samordnare" }]);
  // Every matrix person is a plain member of this one, whatever their organisation.
  ids.networks.member = await addNetwork(NETWORK_NAMES.member, ids.other, [], [
    { userId: ids.otherPerson, role: "samordnare" },
    ...ROLES.map((role) => ({ userId: ids.people[role], role: "medlem" as const })),
  ]);

  await db().insert(auditEvents).values([
    { actorLabel: "System", action: "matris.test", entityType: "organisation", entityId: ids.own, organisationId: ids.own, summary: AUDIT_SUMMARIES.own },
    { actorLabel: "System", action: "matris.test", entityType: "organisation", entityId: ids.other, organisationId: ids.other, summary: AUDIT_SUMMARIES.other },
  ]);

  // A mail that could not be delivered, for the retry button. Its template is unknown, so a retry ends up dead again.
  const [dead] = await db()
    .insert(emails)
    .values({ idempotencyKey: "matris-dead-letter", template: "matris-okand-mall", toAddress: OTHER_PERSON.email, subject: "Matrismejl", props: {}, status: "dead", transport: "outbox", attempts: 7, lastError: "Mallen finns inte." })
    .returning();
  ids.deadMail = dead.id;
});

afterAll(async () => {
  closeAll();
  await portal?.close();
});

async function answer(response: Response) {
  return { status: response.status, text: await response.text() };
}

describe("fixture sanity", () => {
  it("no network name is contained in another, so list checks cannot match by accident", () => {
    for (const a of Object.values(NETWORK_NAMES)) for (const b of Object.values(NETWORK_NAMES)) if (a !== b) expect(b).not.toContain(a);
  });
});

// ---------------------------------------------------------------------------------------------
// Organisation pages: who sees the member controls and whose contact details.

type OrganisationView = { invite: boolean; manage: boolean; contact: boolean };
/** Columns: own organisation (Järva), other organisation (Farsta). Every signed-in person may open both. */
const organisationPage: Record<Role, [OrganisationView | null, OrganisationView]> = {
  systemadmin: [{ invite: Y, manage: Y, contact: Y }, { invite: Y, manage: Y, contact: Y }],
  admin: [{ invite: Y, manage: Y, contact: Y }, { invite: N, manage: N, contact: N }],
  samordnare: [{ invite: N, manage: N, contact: Y }, { invite: N, manage: N, contact: N }],
  medlem: [{ invite: N, manage: N, contact: Y }, { invite: N, manage: N, contact: N }],
  outsider: [_, { invite: N, manage: N, contact: N }],
};
const ORG_SCOPES = ["own", "other"] as const;
type OrgScope = (typeof ORG_SCOPES)[number];
const orgLabel: Record<OrgScope, string> = { own: "own organisation", other: "other organisation" };
const orgIdOf = (scope: OrgScope) => (scope === "own" ? ids.own : ids.other);

const organisationPageCases = ROLES.flatMap((role) =>
  ORG_SCOPES.flatMap((scope, index) => {
    const view = organisationPage[role][index];
    if (!view) return [];
    const shows = (flag: boolean) => (flag ? "shown" : "hidden");
    return [{ name: `${role} · GET organisation page · ${orgLabel[scope]} → 200, invite ${shows(view.invite)}, member controls ${shows(view.manage)}, contact details ${shows(view.contact)}`, role, scope, view }];
  }),
);

describe("HTTP: organisation pages", () => {
  it.each(organisationPageCases)("$name", async ({ role, scope, view }) => {
    const { status, text } = await answer(await portal.fetch(`/organisationer/${orgIdOf(scope)}`, { cookie: cookies[role] }));
    expect(status).toBe(200);
    const member = scope === "own" ? COLLEAGUE : OTHER_PERSON;
    // The member list itself is the portal's directory and is shown to everyone.
    expect(text).toContain(member.name);
    expect(text.includes("Bjud in en person"), "invite form").toBe(view.invite);
    expect(text.includes("Hantera</th>"), "member controls").toBe(view.manage);
    expect(text.includes("Ändra roll"), "role form").toBe(view.manage);
    expect(text.includes(`mailto:${member.email}`), "e-mail address").toBe(view.contact);
    expect(text.includes("08-123 456"), "phone number").toBe(view.contact);
  });
});

// ---------------------------------------------------------------------------------------------
// Member commands on the organisation page.

const INTENTS = ["invite", "role", "remove", "deactivate", "anonymise"] as const;
type Intent = (typeof INTENTS)[number];

/** Columns: own organisation (Järva), other organisation (Farsta). true: carried out; false: 403. */
const memberCommands: Record<Intent, Record<Role, [boolean | null, boolean]>> = {
  invite: { systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
  role: { systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
  remove: { systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
  deactivate: { systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
  anonymise: { systemadmin: [Y, Y], admin: [Y, N], samordnare: [N, N], medlem: [N, N], outsider: [_, N] },
};

/** Prepares one command against a fresh target in the organisation and says how to see that it happened. */
async function prepareCommand(intent: Intent, organisationId: string, label: string) {
  if (intent === "invite") {
    const email = `inbjuden.${label}@matris.stockholm.se`;
    return {
      fields: { intent, email, name: "Inbjuden Person", title: "", role: "medlem" },
      happened: async () => {
        const [row] = await db()
          .select({ role: memberships.role })
          .from(memberships)
          .innerJoin(users, eq(users.id, memberships.userId))
          .where(and(eq(users.email, email), eq(memberships.organisationId, organisationId)));
        return row?.role === "medlem";
      },
    };
  }
  const target = await createPerson({ name: `Målperson ${label}`, organisationId, role: "medlem", status: intent === "anonymise" ? "deactivated" : "active" });
  const membership = async () =>
    (await db().select().from(memberships).where(and(eq(memberships.userId, target.id), eq(memberships.organisationId, organisationId))))[0];
  const status = async () => (await db().select({ status: users.status }).from(users).where(eq(users.id, target.id)))[0].status;
  const fields = { intent, userId: target.id, ...(intent === "role" ? { role: "samordnare" } : {}) };
  const happened = {
    role: async () => (await membership())?.role === "samordnare",
    remove: async () => (await membership()) === undefined,
    deactivate: async () => (await status()) === "deactivated",
    anonymise: async () => (await status()) === "anonymised",
  }[intent];
  return { fields, happened };
}

const intentLabel: Record<Intent, string> = {
  invite: "invite a person",
  role: "change a member's role",
  remove: "remove a member",
  deactivate: "deactivate a member's account",
  anonymise: "anonymise a deactivated member",
};

const memberCommandCases = INTENTS.flatMap((intent) =>
  ROLES.flatMap((role) =>
    ORG_SCOPES.flatMap((scope, index) => {
      const allowed = memberCommands[intent][role][index];
      if (allowed === null) return [];
      return [{ name: `${role} · POST ${intent} (${intentLabel[intent]}) · ${orgLabel[scope]} → ${allowed ? "200, carried out" : "403, nothing changes"}`, intent, role, scope, allowed }];
    }),
  ),
);

describe("HTTP: member commands", () => {
  it.each(memberCommandCases)("$name", async ({ intent, role, scope, allowed }) => {
    const organisationId = orgIdOf(scope);
    const { fields, happened } = await prepareCommand(intent, organisationId, `${intent}.${role}.${scope}`);
    const auditCount = async () =>
      (await rows<{ count: number }>(db(), sql`select count(*)::int as count from audit_events where actor_user_id = ${ids.people[role]}`))[0].count;
    await mailSettled();
    const before = await digest();
    const eventsBefore = await auditCount();
    const { status, text } = await answer(await portal.post(`/organisationer/${organisationId}`, fields, { cookie: cookies[role] }));
    if (allowed) {
      expect(status, text.slice(0, 300)).toBe(200);
      expect(await happened()).toBe(true);
      expect(await auditCount()).toBe(eventsBefore + 1);
      await mailSettled();
      expect(await digest()).not.toEqual(before);
    } else {
      expect(status, text.slice(0, 300)).toBe(403);
      expect(text).toContain(FORBIDDEN);
      expect(await happened()).toBe(false);
      await mailSettled();
      expect(await digest()).toEqual(before);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Networks: creating, opening and listing.

/** Column: owned by own organisation (Järva), by another organisation (Farsta). */
const networkCreate: Record<Role, [boolean | null, boolean]> = {
  systemadmin: [Y, Y],
  admin: [Y, N],
  samordnare: [Y, N],
  medlem: [N, N],
  outsider: [_, N],
};
/** GET /natverk/nytt: the form lists only organisations the person may create networks for. */
const newNetworkForm: Record<Role, 200 | 403> = { systemadmin: 200, admin: 200, samordnare: 200, medlem: 403, outsider: 403 };

/**
 * GET /natverk/<id>. Columns: own network, shared network, other network, other organisation's
 * network the person is a member of. A network someone may not see answers 404, like one that
 * does not exist, so that its existence does not leak.
 */
const networkPage: Record<Role, [200 | 404 | null, 200 | 404 | null, 200 | 404, 200 | 404]> = {
  systemadmin: [200, 200, 200, 200],
  admin: [200, 200, 404, 200],
  samordnare: [200, 200, 404, 200],
  medlem: [200, 200, 404, 200],
  outsider: [_, _, 404, 200],
};
const networkLabel: Record<NetworkScope, string> = {
  own: "own network",
  shared: "shared network",
  other: "other network",
  member: "other organisation's network as its member",
};

const networkPageCases = ROLES.flatMap((role) =>
  NETWORK_SCOPES.flatMap((scope, index) => {
    const status = networkPage[role][index];
    if (status === null) return [];
    return [{ name: `${role} · GET network page · ${networkLabel[scope]} → ${status}`, role, scope, status }];
  }),
);

describe("HTTP: networks", () => {
  it.each(networkPageCases)("$name", async ({ role, scope, status }) => {
    const response = await answer(await portal.fetch(`/natverk/${ids.networks[scope]}`, { cookie: cookies[role] }));
    expect(response.status).toBe(status);
    if (status === 200) expect(response.text).toContain(NETWORK_NAMES[scope]);
    else {
      expect(response.text).toContain("Nätverket finns inte.");
      expect(response.text).not.toContain(NETWORK_NAMES[scope]);
    }
  });

  it.each(ROLES)("%s · GET network list → lists exactly the networks the network page opens", async (role) => {
    const { status, text } = await answer(await portal.fetch("/natverk?q=Matris", { cookie: cookies[role] }));
    expect(status).toBe(200);
    NETWORK_SCOPES.forEach((scope, index) => {
      const expected = networkPage[role][index];
      // The outsider's n/a columns are Järva's networks, which are not theirs to see.
      const listed = expected === 200;
      expect(text.includes(NETWORK_NAMES[scope]), `${networkLabel[scope]} listed`).toBe(listed);
      expect(text.includes(`/natverk/${ids.networks[scope]}`), `${networkLabel[scope]} linked`).toBe(listed);
    });
  });

  it("the start page lists the same networks as the network list", async () => {
    for (const role of ROLES) {
      const text = await (await portal.fetch("/", { cookie: cookies[role] })).text();
      NETWORK_SCOPES.forEach((scope, index) => {
        expect(text.includes(`/natverk/${ids.networks[scope]}`), `${role} · ${networkLabel[scope]}`).toBe(networkPage[role][index] === 200);
      });
    }
  });

  it.each(ROLES.map((role) => ({ role, name: `${role} · GET new-network form → ${newNetworkForm[role]}` })))("$name", async ({ role }) => {
    const { status, text } = await answer(await portal.fetch("/natverk/nytt", { cookie: cookies[role] }));
    expect(status).toBe(newNetworkForm[role]);
    if (status === 200) {
      // Järva can be chosen as owner; Farsta only by the system administrator.
      expect(text).toContain(`<option value="${ids.own}">`);
      expect(text.includes(`<option value="${ids.other}">`)).toBe(role === "systemadmin");
    } else {
      expect(text).toContain("Bara samordnare och administratörer kan skapa nätverk.");
    }
  });

  const createCases = ROLES.flatMap((role) =>
    ORG_SCOPES.flatMap((scope, index) => {
      const allowed = networkCreate[role][index];
      if (allowed === null) return [];
      return [{ name: `${role} · POST create network · owned by ${orgLabel[scope]} → ${allowed ? "302, created" : "403, nothing changes"}`, role, scope, allowed }];
    }),
  );

  it.each(createCases)("$name", async ({ role, scope, allowed }) => {
    const name = `Skapat av ${role} för ${scope}`;
    const before = await digest();
    const response = await portal.post("/natverk/nytt", { name, purpose: "", ownerOrganisationId: orgIdOf(scope), sharedWithOrganisationIds: ids.partner }, { cookie: cookies[role] });
    const created = await db().select().from(networks).where(eq(networks.name, name));
    if (allowed) {
      expect(response.status).toBe(302);
      expect(created).toHaveLength(1);
      expect(created[0].ownerOrganisationId).toBe(orgIdOf(scope));
      expect(response.headers.get("location")).toBe(`/natverk/${created[0].id}`);
      expect(await digest()).not.toEqual(before);
    } else {
      expect(response.status).toBe(403);
      expect(await response.text()).toContain(FORBIDDEN);
      expect(created).toHaveLength(0);
      expect(await digest()).toEqual(before);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// Administration.

const ADMIN_PAGES = ["/admin", "/admin/logg", "/admin/e-post"] as const;
const adminPages: Record<(typeof ADMIN_PAGES)[number], Record<Role, 200 | 403>> = {
  "/admin": { systemadmin: 200, admin: 200, samordnare: 403, medlem: 403, outsider: 403 },
  "/admin/logg": { systemadmin: 200, admin: 200, samordnare: 403, medlem: 403, outsider: 403 },
  "/admin/e-post": { systemadmin: 200, admin: 403, samordnare: 403, medlem: 403, outsider: 403 },
};
/** Audit events on /admin/logg. Columns: own organisation's event, other organisation's event. */
const auditVisible: Partial<Record<Role, [boolean, boolean]>> = { systemadmin: [Y, Y], admin: [Y, N] };
/** Retrying a dead mail on /admin/e-post. */
const mailRetry: Record<Role, boolean> = { systemadmin: Y, admin: N, samordnare: N, medlem: N, outsider: N };

const adminPageCases = ADMIN_PAGES.flatMap((page) =>
  ROLES.map((role) => ({ name: `${role} · GET ${page} → ${adminPages[page][role]}`, role, page, status: adminPages[page][role] })),
);

/**
 * POST /natverk/<id> with a member or link command. Columns as the network page; 200 changes the
 * network, 403 (sees it, may not change it) and 404 (does not see it) change nothing.
 */
const networkCommand: Record<Role, [200 | 403 | 404 | null, 200 | 403 | 404 | null, 200 | 403 | 404, 200 | 403 | 404]> = {
  systemadmin: [200, 200, 200, 200],
  admin: [200, 403, 404, 403],
  samordnare: [200, 403, 404, 403],
  medlem: [403, 403, 404, 403],
  outsider: [_, _, 404, 403],
};

describe("HTTP: network members and links", () => {
  const cases = ROLES.flatMap((role) =>
    NETWORK_SCOPES.flatMap((scope, index) => {
      const status = networkCommand[role][index];
      if (status === null) return [];
      return [{ name: `${role} · POST add link and contact · ${networkLabel[scope]} → ${status}`, role, scope, status }];
    }),
  );

  it.each(cases)("$name", async ({ role, scope, status }) => {
    await mailSettled();
    const tables = [...TABLES, "network_links", "network_contacts"];
    const before = await tableDigest(db(), tables);
    const networkId = ids.networks[scope];
    const link = await answer(await portal.post(`/natverk/${networkId}`, { intent: "addLink", title: `Matrislänk ${role}`, url: "https://matris.example/dokument" }, { cookie: cookies[role] }));
    const contact = await answer(
      await portal.post(`/natverk/${networkId}`, { intent: "addContact", name: `Matriskontakt ${role}`, email: `kontakt-${role}-${scope}@matris.example` }, { cookie: cookies[role] }),
    );
    expect([link.status, contact.status]).toEqual([status, status]);
    if (status === 200) {
      const page = await answer(await portal.fetch(`/natverk/${networkId}`, { cookie: cookies[role] }));
      expect(page.text).toContain(`Matrislänk ${role}`);
      expect(page.text).toContain(`Matriskontakt ${role}`);
      return;
    }
    expect(link.text).toContain(status === 403 ? FORBIDDEN : "Nätverket finns inte.");
    expect(await tableDigest(db(), tables)).toEqual(before);
  });
});

describe("HTTP: administration", () => {
  it.each(adminPageCases)("$name", async ({ role, page, status }) => {
    const response = await answer(await portal.fetch(page, { cookie: cookies[role] }));
    expect(response.status).toBe(status);
    if (status === 403) expect(response.text).toMatch(/till för administratörer|Du har inte behörighet/);
  });

  it("the administration page offers the mail queue only to the system administrator", async () => {
    for (const role of ["systemadmin", "admin"] as const) {
      const text = await (await portal.fetch("/admin", { cookie: cookies[role] })).text();
      expect(text.includes("Visa e-postkön"), role).toBe(role === "systemadmin");
      expect(text).toContain(`/organisationer/${ids.own}`);
    }
  });

  it.each(Object.entries(auditVisible) as Array<[Role, [boolean, boolean]]>)(
    "%s · GET /admin/logg → own organisation's event %s, other organisation's event",
    async (role, [own, other]) => {
      const text = await (await portal.fetch("/admin/logg?q=Matrish%C3%A4ndelse", { cookie: cookies[role] })).text();
      expect(text.includes(AUDIT_SUMMARIES.own), "own organisation's event").toBe(own);
      expect(text.includes(AUDIT_SUMMARIES.other), "other organisation's event").toBe(other);
    },
  );

  it.each(ROLES)("%s · POST retry a dead mail", async (role) => {
    await mailSettled();
    const before = await digest();
    const response = await answer(await portal.post("/admin/e-post", { emailId: ids.deadMail }, { cookie: cookies[role] }));
    if (mailRetry[role]) {
      expect(response.status).toBe(200);
      const [event] = await db().select().from(auditEvents).where(and(eq(auditEvents.action, "mail.retry"), eq(auditEvents.entityId, ids.deadMail)));
      expect(event.actorUserId).toBe(ids.people[role]);
      await mailSettled();
      expect(await digest()).not.toEqual(before);
    } else {
      expect(response.status).toBe(403);
      expect(response.text).toContain(FORBIDDEN);
      await mailSettled();
      expect(await digest()).toEqual(before);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// The person's own profile: there is no address for anyone else's.

describe("HTTP: own profile only", () => {
  it.each(ROLES)("%s · POST /profil naming another person → only the signed-in person's profile changes", async (role) => {
    const colleagueBefore = (await db().select().from(users).where(eq(users.id, ids.colleague)))[0];
    const response = await portal.post(
      "/profil",
      { name: `${ACCOUNTS[role].name}`, title: `Titel ${role}`, phone: "", userId: ids.colleague, id: ids.colleague, email: COLLEAGUE.email },
      { cookie: cookies[role] },
    );
    expect(response.status).toBe(200);
    const self = (await db().select().from(users).where(eq(users.id, ids.people[role])))[0];
    expect(self.title).toBe(`Titel ${role}`);
    expect((await db().select().from(users).where(eq(users.id, ids.colleague)))[0]).toEqual(colleagueBefore);
  });

  it.each(ROLES)("%s · GET /profil/export?userId=<another person> → only the signed-in person's data", async (role) => {
    const response = await portal.fetch(`/profil/export?userId=${ids.colleague}`, { cookie: cookies[role] });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(JSON.parse(text).person.email).toBe(ACCOUNTS[role].email);
    expect(text).not.toContain(COLLEAGUE.email);
  });
});

// ---------------------------------------------------------------------------------------------
// Signed out.

describe("HTTP: signed out", () => {
  const pages = () => [
    `/organisationer/${ids.own}`,
    `/natverk/${ids.networks.own}`,
    `/natverk/${ids.networks.member}`,
    "/natverk",
    "/natverk/nytt",
    "/admin",
    "/admin/logg",
    "/admin/e-post",
    "/profil",
    "/profil/export",
    "/kunskapsdagar/ny",
  ];

  it("every page sends a signed-out visitor to sign in", async () => {
    for (const page of pages()) {
      const response = await portal.fetch(page);
      expect(response.status, page).toBe(302);
      expect(response.headers.get("location"), page).toBe(`/logga-in?till=${encodeURIComponent(page)}`);
    }
  });

  it("every form sends a signed-out visitor to sign in and changes nothing", async () => {
    await mailSettled();
    const before = await digest();
    const posts: Array<[string, Record<string, string>]> = [
      [`/organisationer/${ids.own}`, { intent: "invite", email: "utloggad@matris.stockholm.se", name: "Utloggad", role: "admin" }],
      [`/organisationer/${ids.own}`, { intent: "deactivate", userId: ids.colleague }],
      ["/natverk/nytt", { name: "Utloggat nätverk", ownerOrganisationId: ids.own }],
      ["/admin/e-post", { emailId: ids.deadMail }],
      ["/profil", { name: "Utloggad", title: "", phone: "" }],
    ];
    for (const [page, fields] of posts) {
      const response = await portal.post(page, fields);
      expect(response.status, page).toBe(302);
      expect(response.headers.get("location"), page).toMatch(/^\/logga-in/);
    }
    expect(await digest()).toEqual(before);
  });

  it("the development outbox has no role check: anyone can read it while the outbox is switched on", async () => {
    // /dev/mail has no sign-in or role check of its own: the configuration decides whether the
    // outbox exists, and it is only switched on for this machine or an explicit demo server
    // (MAIL_OUTBOX=true), because it holds live sign-in links (tests/unit/config.test.ts).
    expect(portal.portal.config.mailOutboxEnabled).toBe(true);
    for (const cookie of [undefined, ...ROLES.map((role) => cookies[role])]) {
      expect((await portal.fetch("/dev/mail", { cookie })).status).toBe(200);
    }
  });
});

// ---------------------------------------------------------------------------------------------
// 3. Live socket rooms.

const { open, connection, subscribe, closeAll } = liveSockets(() => portal.url);
const openSocket = (cookie?: string) => open(cookie ? { cookie } : {});

const ROOM_SCOPES = ["own", "shared", "other", "member", "mail"] as const;
type RoomScope = (typeof ROOM_SCOPES)[number];
const roomOf = (scope: RoomScope) => (scope === "mail" ? "admin:mail" : `network:${ids.networks[scope]}`);
const roomLabel: Record<RoomScope, string> = { ...networkLabel, mail: "admin:mail" };

type Join = "ok" | "forbidden";
/** Columns: network:<own>, network:<shared>, network:<other>, network:<member of>, admin:mail. */
const roomJoins: Record<Role, [Join | null, Join | null, Join, Join, Join]> = {
  systemadmin: ["ok", "ok", "ok", "ok", "ok"],
  admin: ["ok", "ok", "forbidden", "ok", "forbidden"],
  samordnare: ["ok", "ok", "forbidden", "ok", "forbidden"],
  medlem: ["ok", "ok", "forbidden", "ok", "forbidden"],
  outsider: [_, _, "forbidden", "ok", "forbidden"],
};

const roomCases = ROLES.flatMap((role) =>
  ROOM_SCOPES.flatMap((scope, index) => {
    const expected = roomJoins[role][index];
    if (expected === null) return [];
    return [{ name: `${role} · subscribe · ${roomLabel[scope]} → ${expected}`, role, scope, expected }];
  }),
);

// ---------------------------------------------------------------------------------------------
// Meetings: the meeting page, the attendee list (CSV), the change form and the meeting's live room.

const MEETING_SCOPES = ["own", "shared", "other", "member", "invited"] as const;
type MeetingScope = (typeof MEETING_SCOPES)[number];
/** Columns: a meeting in each network scope, and one in the closed Farsta network to which the medlem and the outsider are invited. */
const meetingLabel: Record<MeetingScope, string> = {
  own: "own network's meeting",
  shared: "shared network's meeting",
  other: "other organisation's meeting",
  member: "meeting of a network the person belongs to",
  invited: "closed meeting the person is invited to",
};
/** Sees the meeting (page, room). */
const meetingView: Record<Role, [boolean, boolean, boolean, boolean, boolean]> = {
  systemadmin: [Y, Y, Y, Y, Y],
  admin: [Y, Y, N, Y, N],
  samordnare: [Y, Y, N, Y, N],
  medlem: [Y, Y, N, Y, Y],
  outsider: [N, N, N, Y, Y],
};
/** Runs the meeting (change form, attendee list). */
const meetingRun: Record<Role, [boolean, boolean, boolean, boolean, boolean]> = {
  systemadmin: [Y, Y, Y, Y, Y],
  admin: [Y, N, N, N, N],
  samordnare: [Y, N, N, N, N],
  medlem: [N, N, N, N, N],
  outsider: [N, N, N, N, N],
};

describe("HTTP and rooms: meetings", () => {
  const meetingIds = {} as Record<MeetingScope, string>;
  const title = (scope: MeetingScope) => `Matrismöte ${scope}`;

  beforeAll(async () => {
    const inNetwork: Record<MeetingScope, NetworkScope> = { own: "own", shared: "shared", other: "other", member: "member", invited: "other" };
    for (const scope of MEETING_SCOPES) {
      const [network] = await db().select().from(networks).where(eq(networks.id, ids.networks[inNetwork[scope]]));
      const startsAt = new Date(Date.now() + 14 * 24 * 60 * 60 * 1000);
      const [meeting] = await db()
        .insert(meetings)
        .values({
          networkId: network.id,
          ownerOrganisationId: network.ownerOrganisationId,
          sharedWithOrganisationIds: network.sharedWithOrganisationIds,
          title: title(scope),
          startsAt,
          endsAt: new Date(startsAt.getTime() + 60 * 60 * 1000),
        })
        .returning();
      meetingIds[scope] = meeting.id;
      const invited = scope === "invited" ? (["medlem", "outsider"] as const) : [];
      const invitees = [
        { email: OTHER_PERSON.email, name: OTHER_PERSON.name, userId: ids.otherPerson },
        ...invited.map((role) => ({ email: ACCOUNTS[role].email, name: ACCOUNTS[role].name, userId: ids.people[role] })),
      ];
      await db().insert(meetingInvitees).values(invitees.map((invitee) => ({ meetingId: meeting.id, ...invitee })));
    }
  });

  const cases = ROLES.flatMap((role) =>
    MEETING_SCOPES.map((scope, index) => {
      const sees = meetingView[role][index];
      const runs = meetingRun[role][index];
      const refused = sees ? 403 : 404;
      return {
        name: `${role} · ${meetingLabel[scope]} → page ${sees ? 200 : 404}, CSV and change form ${runs ? 200 : refused}, room ${sees ? "joined" : "refused"}`,
        role,
        scope,
        sees,
        runs,
        refused,
      };
    }),
  );

  it.each(cases)("$name", async ({ role, scope, sees, runs, refused }) => {
    const id = meetingIds[scope];
    const page = await answer(await portal.fetch(`/moten/${id}`, { cookie: cookies[role] }));
    expect(page.status).toBe(sees ? 200 : 404);
    expect(page.text.includes(title(scope))).toBe(sees);
    const csv = await answer(await portal.fetch(`/moten/${id}/deltagare.csv`, { cookie: cookies[role] }));
    expect(csv.status).toBe(runs ? 200 : refused);
    // The list names the invitees; a refusal names nobody.
    expect(csv.text.includes(OTHER_PERSON.name)).toBe(runs);
    const form = await answer(await portal.fetch(`/moten/${id}/redigera`, { cookie: cookies[role] }));
    expect(form.status).toBe(runs ? 200 : refused);
    const socket = openSocket(cookies[role]);
    expect(await connection(socket)).toBe("connected");
    expect(await subscribe(socket, `meeting:${id}`)).toEqual(sees ? { ok: true } : { ok: false, error: "forbidden" });
    socket.close();
  });
});

describe("socket rooms", () => {
  const connected = {} as Record<Role, Socket>;
  const received = {} as Record<Role, Set<string>>;

  beforeAll(async () => {
    for (const role of ROLES) {
      const socket = openSocket(cookies[role]);
      received[role] = new Set();
      socket.on("matris:ping", (payload: { room: string }) => received[role].add(payload.room));
      expect(await connection(socket)).toBe("connected");
      connected[role] = socket;
    }
  });

  it.each(roomCases)("$name", async ({ role, scope, expected }) => {
    const reply = await subscribe(connected[role], roomOf(scope));
    expect(reply).toEqual(expected === "ok" ? { ok: true } : { ok: false, error: "forbidden" });
  });

  it("an answer of ok really joins the room, and a refusal does not", async () => {
    const rooms = ROOM_SCOPES.map(roomOf);
    for (const room of rooms) portal.portal.publish(room, "matris:ping", { room });
    const expectedRooms = (role: Role) => ROOM_SCOPES.filter((_scope, index) => roomJoins[role][index] === "ok").map(roomOf);
    await expect
      .poll(() => ROLES.every((role) => expectedRooms(role).every((room) => received[role].has(room))), { timeout: 5000 })
      .toBe(true);
    // Give any wrongly delivered message time to arrive before comparing exactly.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const role of ROLES) expect([...received[role]].sort(), role).toEqual(expectedRooms(role).sort());
  });

  it("signed out · connecting to /live → refused as unauthorized", async () => {
    expect(await connection(openSocket())).toBe("unauthorized");
  });

  it("subscribing changes nothing in the database", async () => {
    await mailSettled();
    const before = await digest();
    const socket = connected.medlem;
    for (const scope of ROOM_SCOPES) await subscribe(socket, roomOf(scope));
    expect(await digest()).toEqual(before);
  });
});

// =============================================================================================
// Action lists over HTTP and rooms: the list's table, an item's page and history, the live room,
// and an edit over the socket, for each role against the own, a shared and another organisation's list.

const ACTION_LIST_SCOPES = ["own", "shared", "other"] as const;
type ActionListScope = (typeof ACTION_LIST_SCOPES)[number];
const ACTION_LIST_TITLES: Record<ActionListScope, string> = {
  own: "Matrislista Järva egen",
  shared: "Matrislista Södermalm delad med Järva",
  other: "Matrislista Farsta sluten",
};
const ACTION_ITEM_TITLES: Record<ActionListScope, string> = {
  own: "Matrisåtgärd i egen lista",
  shared: "Matrisåtgärd i delad lista",
  other: "Matrisåtgärd i sluten lista",
};

/** Columns: own, shared, other. Seeing a list means its page, its items' pages, history and room. */
const actionListSees: Record<Role, [boolean | null, boolean | null, boolean]> = {
  systemadmin: [Y, Y, Y],
  admin: [Y, Y, N],
  samordnare: [Y, Y, N],
  medlem: [Y, Y, N],
  outsider: [_, _, N],
};

describe("HTTP and rooms: action lists", () => {
  const listIds = {} as Record<ActionListScope, string>;
  const itemIds = {} as Record<ActionListScope, string>;

  beforeAll(async () => {
    const owners: Record<ActionListScope, [string, string[]]> = { own: [ids.own, []], shared: [ids.partner, [ids.own]], other: [ids.other, [ids.partner]] };
    for (const scope of ACTION_LIST_SCOPES) {
      const [owner, sharedWith] = owners[scope];
      const [list] = await db().insert(actionLists).values({ title: ACTION_LIST_TITLES[scope], ownerOrganisationId: owner, sharedWithOrganisationIds: sharedWith }).returning();
      const [item] = await db().insert(actionItems).values({ listId: list.id, number: 1, title: ACTION_ITEM_TITLES[scope] }).returning();
      listIds[scope] = list.id;
      itemIds[scope] = item.id;
    }
  });

  const cases = ROLES.flatMap((role) =>
    ACTION_LIST_SCOPES.flatMap((scope, index) => {
      const sees = actionListSees[role][index];
      return sees === null ? [] : [{ name: `${role} · action list ${scope} → ${sees ? "sees and edits" : "404, room forbidden, edit refused"}`, role, scope, sees }];
    }),
  );

  it.each(cases)("$name", async ({ role, scope, sees }) => {
    const page = await answer(await portal.fetch(`/atgardslistor/${listIds[scope]}`, { cookie: cookies[role] }));
    expect(page.status).toBe(sees ? 200 : 404);
    expect(page.text.includes(ACTION_ITEM_TITLES[scope])).toBe(sees);
    const index = await answer(await portal.fetch("/atgardslistor", { cookie: cookies[role] }));
    expect(index.text.includes(ACTION_LIST_TITLES[scope])).toBe(sees);
    const item = await answer(await portal.fetch(`/atgarder/${itemIds[scope]}`, { cookie: cookies[role] }));
    expect(item.status).toBe(sees ? 200 : 404);
    const history = await answer(await portal.fetch(`/atgarder/${itemIds[scope]}/historik`, { cookie: cookies[role] }));
    expect(history.status).toBe(sees ? 200 : 404);
    const socket = openSocket(cookies[role]);
    expect(await connection(socket)).toBe("connected");
    expect(await subscribe(socket, `action-list:${listIds[scope]}`)).toEqual(sees ? { ok: true } : { ok: false, error: "forbidden" });
    const before = sees ? null : await tableDigest(db(), ["action_items", "audit_events"]);
    const [current] = await db().select().from(actionItems).where(eq(actionItems.id, itemIds[scope]));
    const edit = (await socket.timeout(5000).emitWithAck("action-item:edit", {
      itemId: itemIds[scope],
      field: "followUpComment",
      value: `Kommentar av ${role}`,
      version: current.fieldVersions.followUpComment ?? 0,
    })) as { ok: boolean; error?: string };
    expect(edit.ok ? "ok" : edit.error).toBe(sees ? "ok" : "not_found");
    if (before) expect(await tableDigest(db(), ["action_items", "audit_events"])).toEqual(before);
    socket.close();
  });

  it("signed out · the list, an item and its history → sign-in", async () => {
    for (const path of [`/atgardslistor/${listIds.own}`, `/atgarder/${itemIds.own}`, `/atgarder/${itemIds.own}/historik`, "/atgardslistor"]) {
      const response = await portal.fetch(path);
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toMatch(/^\/logga-in/);
    }
  });
});

describe("action lists: export, import and comments follow the list's sharing only", () => {
  const partner: Actor = { userId: "person-forening", name: "Fia Förening", isSystemAdmin: false, memberships: [{ organisationId: PARTNER_ORG, role: "admin" }] };
  const lists = {
    "shared with the partner": { type: "actionList" as const, ownerOrganisationId: OWN_ORG, sharedWithOrganisationIds: [PARTNER_ORG], archived: false },
    "owned by the partner": { type: "actionList" as const, ownerOrganisationId: PARTNER_ORG, sharedWithOrganisationIds: [], archived: false },
    "not shared with the partner": { type: "actionList" as const, ownerOrganisationId: OWN_ORG, sharedWithOrganisationIds: [OTHER_ORG], archived: false },
  };
  const expected: Record<keyof typeof lists, boolean> = { "shared with the partner": Y, "owned by the partner": Y, "not shared with the partner": N };
  for (const action of ["actionList.export", "actionList.import", "actionItem.comment"] as const) {
    for (const [scope, list] of Object.entries(lists) as Array<[keyof typeof lists, (typeof lists)[keyof typeof lists]]>) {
      it(`a civil-society partner's admin · ${action} · list ${scope} → ${expected[scope] ? "allowed" : "refused"}`, () => {
        expect(can(partner, action, list)).toBe(expected[scope]);
      });
    }
  }
});

// Agreements and medborgarlöften. Declared as functions (hoisted) so the tables above can take
// them in; the expectations are written out by hand like the rest.

/** The central level's organisation in the fixtures; the actors are not in it unless a scope says so. */
const CENTRAL_ORG = "org-stadsledningskontoret";

function agreementScopes() {
  return {
    agreement: [
      "own organisation's agreement",
      "agreement where own organisation is a party",
      "other parties' agreement (another stadsdelsnämnd's)",
      "other parties' agreement, own organisation at the central level",
    ],
    citizenPromise: [
      "own organisation's medborgarlöfte",
      "medborgarlöfte where own organisation is a party",
      "other parties' medborgarlöfte",
      "other parties' medborgarlöfte, own organisation at the central level",
    ],
  } as const;
}

function agreementNeedsOwnOrganisation(): { agreement: [boolean, boolean, boolean, boolean]; citizenPromise: [boolean, boolean, boolean, boolean] } {
  return { agreement: [true, true, false, true], citizenPromise: [true, true, false, true] };
}

function agreementFixtures() {
  const shared = (type: "agreement" | "citizenPromise") => [
    () => ({ type, ownerOrganisationId: OWN_ORG, sharedWithOrganisationIds: [PARTNER_ORG], centralOrganisationIds: [CENTRAL_ORG] }),
    () => ({ type, ownerOrganisationId: PARTNER_ORG, sharedWithOrganisationIds: [OWN_ORG], centralOrganisationIds: [CENTRAL_ORG] }),
    () => ({ type, ownerOrganisationId: OTHER_ORG, sharedWithOrganisationIds: [PARTNER_ORG], centralOrganisationIds: [CENTRAL_ORG] }),
    () => ({ type, ownerOrganisationId: OTHER_ORG, sharedWithOrganisationIds: [PARTNER_ORG], centralOrganisationIds: [CENTRAL_ORG, OWN_ORG] }),
  ];
  return { agreement: shared("agreement"), citizenPromise: shared("citizenPromise") } as { agreement: Array<() => AnyResource>; citizenPromise: Array<() => AnyResource> };
}

type AgreementAction = Extract<Action, `agreement.${string}` | `citizenPromise.${string}`>;

function agreementExpectations(): { [A in AgreementAction]: Row<A> } {
  return {
    // Columns: own organisation, other organisation.
    "agreement.create": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [Y, N], medlem: [N, N], outsider: [_, N] },
    "citizenPromise.create": { on: "organisation", systemadmin: [Y, Y], admin: [Y, N], samordnare: [Y, N], medlem: [N, N], outsider: [_, N] },

    // Columns: own agreement, agreement as a party, another stadsdelsnämnd's agreement, that one seen from the central level.
    "agreement.view": {
      on: "agreement",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, Y],
      samordnare: [Y, Y, N, Y],
      medlem: [Y, Y, N, Y],
      outsider: [_, _, N, _],
    },
    "agreement.edit": {
      on: "agreement",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, Y],
      samordnare: [Y, Y, N, Y],
      medlem: [N, N, N, N],
      outsider: [_, _, N, _],
    },
    // Fastställa: an admin of the owning party or of the central level.
    "agreement.decide": {
      on: "agreement",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, N, N, Y],
      samordnare: [N, N, N, N],
      medlem: [N, N, N, N],
      outsider: [_, _, N, _],
    },
    // Step criteria and measurements: every member of a party; the central level's leads.
    "agreement.recordProgress": {
      on: "agreement",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, Y],
      samordnare: [Y, Y, N, Y],
      medlem: [Y, Y, N, N],
      outsider: [_, _, N, _],
    },

    // Columns: own promise, promise as a party, another area's promise, that one seen from the central level.
    "citizenPromise.view": {
      on: "citizenPromise",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, Y],
      samordnare: [Y, Y, N, Y],
      medlem: [Y, Y, N, Y],
      outsider: [_, _, N, _],
    },
    "citizenPromise.edit": {
      on: "citizenPromise",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, N],
      samordnare: [Y, Y, N, N],
      medlem: [N, N, N, N],
      outsider: [_, _, N, _],
    },
    "citizenPromise.logOccurrence": {
      on: "citizenPromise",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, N],
      samordnare: [Y, Y, N, N],
      medlem: [Y, Y, N, N],
      outsider: [_, _, N, _],
    },
    "citizenPromise.publish": {
      on: "citizenPromise",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, N],
      samordnare: [Y, Y, N, N],
      medlem: [N, N, N, N],
      outsider: [_, _, N, _],
    },
  };
}

describe("policy matrix: agreements and medborgarlöften", () => {
  it("a local agreement is seen by its parties and the central level, never by another stadsdelsnämnd", () => {
    const local = { type: "agreement" as const, ownerOrganisationId: "sdn-jarva", sharedWithOrganisationIds: ["lpo-jarva"], centralOrganisationIds: [CENTRAL_ORG] };
    const person = (organisationId: string, role: "admin" | "samordnare" | "medlem" = "medlem"): Actor => ({
      userId: `person-${organisationId}`,
      name: "Test",
      isSystemAdmin: false,
      memberships: [{ organisationId, role }],
    });
    expect(can(person("sdn-jarva"), "agreement.view", local)).toBe(true);
    expect(can(person("lpo-jarva"), "agreement.view", local)).toBe(true);
    expect(can(person(CENTRAL_ORG), "agreement.view", local)).toBe(true);
    expect(can(person("sdn-farsta", "admin"), "agreement.view", local)).toBe(false);
    expect(can(person("sdn-farsta", "admin"), "agreement.edit", local)).toBe(false);
    // The police party leads the work with the owner but does not decide the owner's version.
    expect(can(person("lpo-jarva", "admin"), "agreement.edit", local)).toBe(true);
    expect(can(person("lpo-jarva", "admin"), "agreement.decide", local)).toBe(false);
    expect(can(person(CENTRAL_ORG, "admin"), "agreement.decide", local)).toBe(true);
  });
});

// =============================================================================================
// The follow-up of agreements: periods, goal judgements and the owners' updates (the agreement
// scopes above), and an åtgärd as its owners see it.

function followupScopes() {
  return { followupItem: ["own åtgärd as its contact person", "åtgärd of own organisation", "other organisation's åtgärd"] } as const;
}

function followupNeedsOwnOrganisation(): { followupItem: [boolean, boolean, boolean] } {
  return { followupItem: [false, true, false] };
}

function followupFixtures() {
  const agreement = (owner: string) => ({ type: "agreement" as const, ownerOrganisationId: owner, sharedWithOrganisationIds: [], centralOrganisationIds: [CENTRAL_ORG] });
  return {
    followupItem: [
      (actor: Actor) => ({ type: "followupItem", contactUserId: actor.userId, responsibleOrganisationId: OTHER_ORG, agreement: agreement(OTHER_ORG) }),
      () => ({ type: "followupItem", contactUserId: "person-kollega", responsibleOrganisationId: OWN_ORG, agreement: agreement(OWN_ORG) }),
      () => ({ type: "followupItem", contactUserId: "person-annan", responsibleOrganisationId: OTHER_ORG, agreement: agreement(OTHER_ORG) }),
    ],
  } as { followupItem: Array<(actor: Actor) => AnyResource> };
}

type FollowupAction = Extract<Action, `followup.${string}`>;

function followupExpectations(): { [A in FollowupAction]: Row<A> } {
  return {
    // Columns: own agreement, agreement as a party, another stadsdelsnämnd's agreement, that one seen from the central
    // level. Parties and the central level see the follow-up; the owner's and the central level's leads plan periods
    // and judge the goals.
    "followup.view": {
      on: "agreement",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, Y, N, Y],
      samordnare: [Y, Y, N, Y],
      medlem: [Y, Y, N, Y],
      outsider: [_, _, N, _],
    },
    "followup.manage": {
      on: "agreement",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, N, N, Y],
      samordnare: [Y, N, N, Y],
      medlem: [N, N, N, N],
      outsider: [_, _, N, _],
    },
    "followup.judgeGoals": {
      on: "agreement",
      systemadmin: [Y, Y, Y, Y],
      admin: [Y, N, N, Y],
      samordnare: [Y, N, N, Y],
      medlem: [N, N, N, N],
      outsider: [_, _, N, _],
    },
    // Columns: own åtgärd as its contact person (another organisation responsible), an åtgärd the own organisation
    // answers for, another organisation's åtgärd.
    "followup.updateItem": {
      on: "followupItem",
      systemadmin: [Y, Y, Y],
      admin: [Y, Y, N],
      samordnare: [Y, Y, N],
      medlem: [Y, N, N],
      outsider: [Y, _, N],
    },
  };
}
