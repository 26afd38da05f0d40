/**
 * The one place where the portal decides who may do what. Loaders, actions, socket rooms,
 * jobs and exports all ask `can` (or `authorize`, which throws a 403) before they act, and
 * list queries are scoped by the `*Scope` helpers next to each rule so that they agree.
 */
export type OrganisationRole = "admin" | "samordnare" | "medlem";

export type Actor = {
  userId: string;
  name: string;
  isSystemAdmin: boolean;
  memberships: ReadonlyArray<{ organisationId: string; role: OrganisationRole }>;
};

export type OrganisationResource = { type: "organisation"; id: string };
/** A person; `isSystemAdmin` because only another system administrator may lock or erase one. */
export type PersonResource = { type: "person"; id: string; organisationIds: readonly string[]; isSystemAdmin: boolean };
/** Any record shared across organisations: an owner and the organisations it is shared with. */
export type SharedResource = {
  ownerOrganisationId: string;
  sharedWithOrganisationIds: readonly string[];
};
export type NetworkResource = SharedResource & {
  type: "network";
  members: ReadonlyArray<{ userId: string; role: "samordnare" | "medlem" }>;
};
/**
 * A network's meeting. Its own owner and sharing (copied from the network at creation), the
 * network it belongs to (whose coordinators run it), and who is invited.
 */
export type MeetingResource = SharedResource & {
  type: "meeting";
  network: NetworkResource;
  inviteeUserIds: readonly string[];
};
/** A network's time poll (tidsförslag), with the people asked to answer it. */
export type PollResource = SharedResource & {
  type: "poll";
  network: NetworkResource;
  participantUserIds: readonly string[];
};
/** One invitation to a meeting: only the invited person answers it. */
export type InviteeResource = { type: "invitee"; userId: string | null };
/** A kunskapsdag: its own owner and sharing, and the people who organise it. */
export type KunskapsdagResource = SharedResource & { type: "kunskapsdag"; organiserUserIds: readonly string[] };
export type SystemResource = { type: "system" };
/** A meeting's notes (minnesanteckningar): the meeting decides who sees them, the status whether they can still change. */
export type NotesResource = { type: "notes"; meeting: MeetingResource; status: "open" | "for_approval" | "approved" };
/**
 * A joint action list (åtgärdslista); its items, comments, exports and imports inherit its owner
 * and sharing. An archived list is read, exported and commented on, but its items do not change.
 */
export type ActionListResource = SharedResource & { type: "actionList"; archived: boolean };
/**
 * A samverkansöverenskommelse: its parties (owner and shared-with organisations) and the
 * organisations of the city's central level (stadsledningskontoret), which see every agreement.
 */
export type AgreementResource = SharedResource & { type: "agreement"; centralOrganisationIds: readonly string[] };
/** A medborgarlöfte, seen like an agreement: its parties and the central level. */
export type CitizenPromiseResource = SharedResource & { type: "citizenPromise"; centralOrganisationIds: readonly string[] };
/** One åtgärd of an agreement, with who answers for it in the follow-up. */
export type FollowupItemResource = {
  type: "followupItem";
  contactUserId: string | null;
  responsibleOrganisationId: string | null;
  agreement: AgreementResource;
};
/** A task line in a meeting's notes turned into an item of an action list. */
export type NotesTaskResource = { type: "notesTask"; notes: NotesResource; list: ActionListResource };

type Rules = {
  "organisation.view": OrganisationResource;
  "organisation.viewMembers": OrganisationResource;
  "organisation.invite": OrganisationResource;
  "organisation.manageMembers": OrganisationResource;
  "organisation.viewAudit": OrganisationResource;
  "person.viewContact": PersonResource;
  "person.editProfile": PersonResource;
  "person.exportData": PersonResource;
  "person.anonymise": PersonResource;
  "person.deactivate": PersonResource;
  "network.create": OrganisationResource;
  "network.view": NetworkResource;
  "network.edit": NetworkResource;
  "network.delete": NetworkResource;
  "network.leave": NetworkResource;
  "network.manageMembers": NetworkResource;
  "network.manageLinks": NetworkResource;
  "meeting.create": NetworkResource;
  "meeting.view": MeetingResource;
  "meeting.edit": MeetingResource;
  "meeting.cancel": MeetingResource;
  "meeting.respond": InviteeResource;
  "meeting.exportAttendees": MeetingResource;
  "meeting.markHeld": MeetingResource;
  "meeting.removeInvitee": MeetingResource;
  "meeting.withdrawOwnInvitation": InviteeResource;
  "person.manageCalendarFeed": PersonResource;
  "poll.create": NetworkResource;
  "poll.view": PollResource;
  "poll.answer": InviteeResource;
  "poll.pick": PollResource;
  "poll.close": PollResource;
  "kunskapsdag.create": OrganisationResource;
  "kunskapsdag.view": KunskapsdagResource;
  "kunskapsdag.edit": KunskapsdagResource;
  "kunskapsdag.viewRegistrations": KunskapsdagResource;
  "notes.sendForApproval": MeetingResource;
  /** A justerare's own place in the current approval round (an invitee-like personal record). */
  "notes.approve": InviteeResource;
  "notes.reopen": MeetingResource;
  "notes.viewVersions": MeetingResource;
  "notes.manageVersions": MeetingResource;
  "notes.export": MeetingResource;
  "actionList.create": OrganisationResource;
  "actionList.view": ActionListResource;
  "actionList.edit": ActionListResource;
  "actionList.manage": ActionListResource;
  "actionItem.edit": ActionListResource;
  "actionList.export": ActionListResource;
  "actionList.import": ActionListResource;
  "actionItem.comment": ActionListResource;
  "kunskapsdag.moveRegistration": KunskapsdagResource;
  "agreement.create": OrganisationResource;
  "agreement.view": AgreementResource;
  "agreement.edit": AgreementResource;
  "agreement.decide": AgreementResource;
  "agreement.recordProgress": AgreementResource;
  "citizenPromise.create": OrganisationResource;
  "citizenPromise.view": CitizenPromiseResource;
  "citizenPromise.edit": CitizenPromiseResource;
  "citizenPromise.logOccurrence": CitizenPromiseResource;
  "citizenPromise.publish": CitizenPromiseResource;
  "followup.view": AgreementResource;
  "followup.manage": AgreementResource;
  "followup.judgeGoals": AgreementResource;
  "followup.updateItem": FollowupItemResource;
  "system.viewAudit": SystemResource;
  "system.manageMail": SystemResource;
  "system.manageOrganisations": SystemResource;
  "notes.read": NotesResource;
  "notes.edit": NotesResource;
  "notes.convertTask": NotesTaskResource;
};

export type Action = keyof Rules;

function roleIn(actor: Actor, organisationId: string) {
  return actor.memberships.find((membership) => membership.organisationId === organisationId)?.role;
}

function isAdminOf(actor: Actor, organisationId: string) {
  return roleIn(actor, organisationId) === "admin";
}

function leadsIn(actor: Actor, organisationId: string) {
  const role = roleIn(actor, organisationId);
  return role === "admin" || role === "samordnare";
}

/** Member of the owning organisation or of one it is shared with. */
export function seesShared(actor: Actor, resource: SharedResource) {
  return actor.memberships.some(
    ({ organisationId }) =>
      organisationId === resource.ownerOrganisationId || resource.sharedWithOrganisationIds.includes(organisationId),
  );
}

function memberOfAny(actor: Actor, organisationIds: readonly string[]) {
  return organisationIds.some((id) => roleIn(actor, id) !== undefined);
}

/** Admin or samordnare in the owning organisation or one the record is shared with (a party). */
function leadsInParty(actor: Actor, resource: SharedResource) {
  return leadsIn(actor, resource.ownerOrganisationId) || resource.sharedWithOrganisationIds.some((id) => leadsIn(actor, id));
}

function leadsCentrally(actor: Actor, agreement: AgreementResource) {
  return agreement.centralOrganisationIds.some((id) => leadsIn(actor, id));
}

function networkRole(actor: Actor, network: NetworkResource) {
  return network.members.find((member) => member.userId === actor.userId)?.role;
}

function editsNetwork(actor: Actor, network: NetworkResource) {
  return leadsIn(actor, network.ownerOrganisationId) || networkRole(actor, network) === "samordnare";
}

const rules: { [A in Action]: (actor: Actor, resource: Rules[A]) => boolean } = {
  // Organisations and their member lists form the portal's directory: every signed-in person sees them.
  "organisation.view": () => true,
  "organisation.viewMembers": () => true,
  "organisation.invite": (actor, org) => isAdminOf(actor, org.id),
  "organisation.manageMembers": (actor, org) => isAdminOf(actor, org.id),
  "organisation.viewAudit": (actor, org) => isAdminOf(actor, org.id),
  // E-mail and phone: colleagues in a shared organisation and that organisation's admins.
  "person.viewContact": (actor, person) =>
    actor.userId === person.id || person.organisationIds.some((id) => roleIn(actor, id) !== undefined),
  "person.editProfile": (actor, person) => actor.userId === person.id,
  "person.exportData": (actor, person) => actor.userId === person.id,
  // Locking or erasing an account needs admin rights over every organisation the person belongs
  // to; a system administrator's account only another system administrator may touch.
  "person.anonymise": (actor, person) =>
    actor.userId !== person.id &&
    !person.isSystemAdmin &&
    person.organisationIds.length > 0 &&
    person.organisationIds.every((id) => isAdminOf(actor, id)),
  "person.deactivate": (actor, person) =>
    actor.userId !== person.id &&
    !person.isSystemAdmin &&
    person.organisationIds.length > 0 &&
    person.organisationIds.every((id) => isAdminOf(actor, id)),
  "network.create": (actor, org) => leadsIn(actor, org.id),
  "network.view": (actor, network) => seesShared(actor, network) || networkRole(actor, network) !== undefined,
  "network.edit": (actor, network) => editsNetwork(actor, network),
  "network.delete": (actor, network) => isAdminOf(actor, network.ownerOrganisationId),
  "network.leave": (actor, network) => networkRole(actor, network) !== undefined,
  // Members, external contacts and the link list are kept by those who edit the network.
  "network.manageMembers": (actor, network) => editsNetwork(actor, network),
  "network.manageLinks": (actor, network) => editsNetwork(actor, network),
  // Meetings are run by those who edit their network; they are seen by those who see the meeting
  // record (its copied sharing), by the network's members and by everyone invited.
  "meeting.create": (actor, network) => editsNetwork(actor, network),
  "meeting.view": (actor, meeting) =>
    seesShared(actor, meeting) || networkRole(actor, meeting.network) !== undefined || meeting.inviteeUserIds.includes(actor.userId),
  "meeting.edit": (actor, meeting) => editsNetwork(actor, meeting.network),
  "meeting.cancel": (actor, meeting) => editsNetwork(actor, meeting.network),
  "meeting.respond": (actor, invitee) => invitee.userId === actor.userId,
  "meeting.exportAttendees": (actor, meeting) => editsNetwork(actor, meeting.network),
  "meeting.markHeld": (actor, meeting) => editsNetwork(actor, meeting.network),
  "meeting.removeInvitee": (actor, meeting) => editsNetwork(actor, meeting.network),
  // Someone who leaves a network gives up their own invitations to its coming meetings.
  "meeting.withdrawOwnInvitation": (actor, invitee) => invitee.userId === actor.userId,
  // The calendar subscription URL opens a person's meetings: only they create or replace it.
  "person.manageCalendarFeed": (actor, person) => actor.userId === person.id,
  // Time polls are run like meetings. A poll holds people's availability, so it is seen only by
  // those who run it and those asked (not by the rest of the network or the organisations it is
  // shared with); seeing a poll includes everyone's answers, as on a paper list passed round.
  "poll.create": (actor, network) => editsNetwork(actor, network),
  "poll.view": (actor, poll) => editsNetwork(actor, poll.network) || poll.participantUserIds.includes(actor.userId),
  "poll.answer": (actor, participant) => participant.userId === actor.userId,
  "poll.pick": (actor, poll) => editsNetwork(actor, poll.network),
  "poll.close": (actor, poll) => editsNetwork(actor, poll.network),
  // Kunskapsdagar are created by the leads of an organisation and run by that organisation's leads
  // and the day's organisers. Published days are public (no policy: anyone may read them); a
  // draft and the registrations are seen through these rules only.
  "kunskapsdag.create": (actor, org) => leadsIn(actor, org.id),
  "kunskapsdag.view": (actor, day) => seesShared(actor, day) || day.organiserUserIds.includes(actor.userId),
  "kunskapsdag.edit": (actor, day) => leadsIn(actor, day.ownerOrganisationId) || day.organiserUserIds.includes(actor.userId),
  "kunskapsdag.viewRegistrations": (actor, day) => leadsIn(actor, day.ownerOrganisationId) || day.organiserUserIds.includes(actor.userId),
  // Approval (justering) of meeting notes is run by those who run the meeting; only a chosen
  // justerare answers their own place in a round. Versions and exports are read by everyone who
  // sees the meeting; taking and restoring versions changes the notes, so it is the coordinators'.
  "notes.sendForApproval": (actor, meeting) => editsNetwork(actor, meeting.network),
  "notes.approve": (actor, approver) => approver.userId === actor.userId,
  "notes.reopen": (actor, meeting) => editsNetwork(actor, meeting.network),
  "notes.viewVersions": (actor, meeting) =>
    seesShared(actor, meeting) || networkRole(actor, meeting.network) !== undefined || meeting.inviteeUserIds.includes(actor.userId),
  "notes.manageVersions": (actor, meeting) => editsNetwork(actor, meeting.network),
  "notes.export": (actor, meeting) =>
    seesShared(actor, meeting) || networkRole(actor, meeting.network) !== undefined || meeting.inviteeUserIds.includes(actor.userId),
  // Action lists are kept together: any member of an organisation starts one for it, and every
  // member of the owning or a shared organisation reads, adds and edits items (a partner sees
  // only lists shared with its organisation). The list's title, sharing, the removal of items and
  // of the list itself stay with the owning organisation's leads. (An archived list is frozen:
  // see `can`.)
  "actionList.create": (actor, org) => roleIn(actor, org.id) !== undefined,
  "actionList.view": (actor, list) => seesShared(actor, list),
  "actionList.edit": (actor, list) => seesShared(actor, list),
  "actionList.manage": (actor, list) => leadsIn(actor, list.ownerOrganisationId),
  "actionItem.edit": (actor, list) => seesShared(actor, list),
  // Everyone who sees a list may export it, import rows into it and comment on its items: the
  // list is co-edited by the organisations it is shared with.
  "actionList.export": (actor, list) => seesShared(actor, list),
  "actionList.import": (actor, list) => seesShared(actor, list),
  "actionItem.comment": (actor, list) => seesShared(actor, list),
  // Moving someone between seat and waitlist (with a reason) is for those who run the day.
  "kunskapsdag.moveRegistration": (actor, day) => leadsIn(actor, day.ownerOrganisationId) || day.organiserUserIds.includes(actor.userId),
  // Agreements: the parties see and work in them, the central level sees and leads all of them;
  // other organisations (another stadsdelsnämnd) see nothing. Only an admin of the owning party
  // or of the central level decides (fastställer) a version.
  "agreement.create": (actor, org) => leadsIn(actor, org.id),
  "agreement.view": (actor, agreement) => seesShared(actor, agreement) || memberOfAny(actor, agreement.centralOrganisationIds),
  "agreement.edit": (actor, agreement) => leadsInParty(actor, agreement) || agreement.centralOrganisationIds.some((id) => leadsIn(actor, id)),
  "agreement.decide": (actor, agreement) =>
    isAdminOf(actor, agreement.ownerOrganisationId) || agreement.centralOrganisationIds.some((id) => isAdminOf(actor, id)),
  // Ticking step criteria and entering measurements: every member of a party, and the central level's leads.
  "agreement.recordProgress": (actor, agreement) => seesShared(actor, agreement) || agreement.centralOrganisationIds.some((id) => leadsIn(actor, id)),
  "citizenPromise.create": (actor, org) => leadsIn(actor, org.id),
  "citizenPromise.view": (actor, promise) => seesShared(actor, promise) || memberOfAny(actor, promise.centralOrganisationIds),
  "citizenPromise.edit": (actor, promise) => leadsInParty(actor, promise),
  "citizenPromise.logOccurrence": (actor, promise) => seesShared(actor, promise),
  "citizenPromise.publish": (actor, promise) => leadsInParty(actor, promise),
  // Follow-up: the parties and the central level see an agreement's periods and reports; the
  // leads of the owning organisation and of the central level plan periods and judge the goals;
  // an åtgärd's contact person, or the leads of its responsible organisation, report on it.
  "followup.view": (actor, agreement) => seesShared(actor, agreement) || memberOfAny(actor, agreement.centralOrganisationIds),
  "followup.manage": (actor, agreement) => leadsIn(actor, agreement.ownerOrganisationId) || leadsCentrally(actor, agreement),
  "followup.judgeGoals": (actor, agreement) => leadsIn(actor, agreement.ownerOrganisationId) || leadsCentrally(actor, agreement),
  "followup.updateItem": (actor, item) =>
    (item.contactUserId !== null && item.contactUserId === actor.userId) ||
    (item.responsibleOrganisationId !== null && leadsIn(actor, item.responsibleOrganisationId)),
  "system.viewAudit": () => false,
  "system.manageMail": () => false,
  "system.manageOrganisations": () => false,
  // Notes are read by everyone who sees the meeting. They are written by those who run the meeting,
  // its invitees and its network's members; someone who sees the meeting only through their
  // organisation's sharing reads them. Approved minutes are the record: nobody edits them (see `can`).
  // Nor while they are out for approval: the justerare approve the text they read, and whoever runs
  // the meeting opens the notes again to change them.
  "notes.read": (actor, notes) => rules["meeting.view"](actor, notes.meeting),
  "notes.edit": (actor, notes) =>
    notes.status === "open" &&
    (editsNetwork(actor, notes.meeting.network) ||
      networkRole(actor, notes.meeting.network) !== undefined ||
      notes.meeting.inviteeUserIds.includes(actor.userId)),
  // Turning a task line into an åtgärd writes both the notes and the list: it needs both rights.
  "notes.convertTask": (actor, task) => can(actor, "notes.edit", task.notes) && can(actor, "actionList.edit", task.list),
};

/** Actions a system administrator may not take on behalf of someone else. */
const personalActions = new Set<Action>(["person.editProfile", "person.exportData", "network.leave", "meeting.respond", "meeting.withdrawOwnInvitation", "person.manageCalendarFeed", "poll.answer", "notes.approve"]);

const changesArchivedList: ReadonlySet<Action> = new Set(["actionList.edit", "actionItem.edit", "actionList.import"]);

export function can<A extends Action>(actor: Actor | null | undefined, action: A, resource: Rules[A]): boolean {
  if (!actor) return false;
  // Notes out for approval and approved minutes are read-only for everyone, a system administrator included.
  if (action === "notes.edit" && (resource as NotesResource).status !== "open") return false;
  if (action === "notes.convertTask" && (resource as NotesTaskResource).notes.status !== "open") return false;
  // An archived action list's items are not added to, changed or imported into by anyone, a system
  // administrator included, until the owner's leads restore the list.
  if (changesArchivedList.has(action) && (resource as ActionListResource).archived) return false;
  if (action === "notes.convertTask" && (resource as NotesTaskResource).list.archived) return false;
  if (actor.isSystemAdmin && !personalActions.has(action)) {
    // Even a system administrator does not lock out or anonymise their own account.
    if (action === "person.anonymise" || action === "person.deactivate") return (resource as PersonResource).id !== actor.userId;
    return true;
  }
  return rules[action](actor, resource);
}

export const FORBIDDEN_MESSAGE = "Du har inte behörighet att göra det här.";
export const LIST_ARCHIVED = "Listan är arkiverad och kan inte ändras. Ägarens administratörer och samordnare kan återställa den under Inställningar.";

/**
 * Why `can` refused: an archived action list says so (and who can restore it) where the action
 * would be allowed on the list restored; anything else is a missing permission.
 */
export function refusalMessage<A extends Action>(actor: Actor | null | undefined, action: A, resource: Rules[A]): string {
  const list = changesArchivedList.has(action) ? (resource as ActionListResource) : action === "notes.convertTask" ? (resource as NotesTaskResource).list : null;
  if (!list?.archived) return FORBIDDEN_MESSAGE;
  const restored = action === "notes.convertTask" ? { ...(resource as NotesTaskResource), list: { ...list, archived: false } } : { ...list, archived: false };
  return can(actor, action, restored as Rules[A]) ? LIST_ARCHIVED : FORBIDDEN_MESSAGE;
}

/** Throws a 403 response (shown as the Swedish 403 page, or a socket/job error) unless allowed. */
export function authorize<A extends Action>(actor: Actor | null | undefined, action: A, resource: Rules[A]): void {
  if (!can(actor, action, resource)) {
    throw Response.json({ error: "forbidden", message: refusalMessage(actor, action, resource) }, { status: 403 });
  }
}

export function organisationIdsOf(actor: Actor) {
  return actor.memberships.map((membership) => membership.organisationId);
}

export function leadOrganisationIds(actor: Actor) {
  return actor.memberships
    .filter((membership) => membership.role === "admin" || membership.role === "samordnare")
    .map((membership) => membership.organisationId);
}
