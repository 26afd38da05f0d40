import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { ConfirmButton } from "../components/ui/confirm-button";
import { Field, FormError } from "../components/ui/field";
import { TableRegion } from "../components/ui/table-region";
import { badRequest, requireId, uuidPattern } from "../domain/http-errors";
import { organisationTypeLabels, personStatusLabels, roleLabels } from "../domain/organisations/labels";
import {
  anonymisePerson,
  changeRole,
  getOrganisation,
  inviteMember,
  inviteSchema,
  parseRole,
  removeMember,
  setPersonActive,
} from "../domain/people/people.server";
import { can, type Actor } from "../domain/policy";
import { asFormResult, parseValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.organisation.name ?? "Organisation"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const { organisation, members, memberOrganisations } = await getOrganisation(db(), user, id);
  const orgsOf = (userId: string) => memberOrganisations.filter((row) => row.userId === userId).map((row) => row.organisationId);
  return {
    organisation: { id: organisation.id, name: organisation.name, type: organisationTypeLabels[organisation.type], description: organisation.description },
    canManage: can(user, "organisation.manageMembers", { type: "organisation", id }),
    canInvite: can(user, "organisation.invite", { type: "organisation", id }),
    members: members.map((member) => {
      const person = { type: "person" as const, id: member.id, organisationIds: orgsOf(member.id), isSystemAdmin: member.isSystemAdmin };
      const showContact = can(user, "person.viewContact", person);
      return {
        id: member.id,
        name: member.name,
        title: member.title,
        email: showContact ? member.email : null,
        phone: showContact ? member.phone : null,
        role: member.role,
        status: member.status,
        isSelf: member.id === user.userId,
        canDeactivate: can(user, "person.deactivate", person),
        canAnonymise: can(user, "person.anonymise", person),
      };
    }),
  };
}

const memberTarget = z.object({ userId: z.string().regex(uuidPattern, "Ogiltig person.") });

/** The invitation's fields, given back when it is refused so that nothing typed is lost. */
const inviteFields = ["email", "name", "title", "role"] as const;

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const organisationId = requireId(params.id);
  const form = await request.formData().catch(() => null);
  const values: Record<string, string> = {};
  for (const [key, value] of form?.entries() ?? []) if (typeof value === "string") values[key] = value;
  // Without JavaScript the page is drawn again from the answer, so it says which form it belongs to
  // (the invitation, or one member's role) and only that form shows it.
  const source = { intent: values.intent ?? null, userId: values.userId?.toLowerCase() ?? null };
  const typed: Record<string, string> = values.intent === "invite" ? Object.fromEntries(inviteFields.map((name) => [name, values[name] ?? ""])) : {};
  return asFormResult(async () => ({ ...(await handle(user, organisationId, form ? values : null)), ...source, values: {} as Record<string, string> }), { ...source, values: typed });
}

/** Runs one form's command; a refusal is thrown, and comes back beside that form with what was typed. */
async function handle(user: Actor, organisationId: string, values: Record<string, string> | null) {
  if (!values) throw badRequest("Formuläret kunde inte läsas.");
  const intent = values.intent;
  if (intent === "invite") {
    const parsed = parseValues(values, inviteSchema);
    if (!parsed.ok) throw badRequest("Kontrollera de markerade fälten.", parsed.fieldErrors);
    await inviteMember(db(), user, organisationId, parsed.data);
    return { ok: true, message: `En inbjudan har skickats till ${parsed.data.email}.`, fieldErrors: {} };
  }
  const target = memberTarget.safeParse(values);
  if (!target.success) throw badRequest("Ogiltig person.");
  const userId = target.data.userId.toLowerCase();
  switch (intent) {
    case "role":
      await changeRole(db(), user, organisationId, userId, parseRole(values.role));
      return { ok: true, message: "Rollen är ändrad.", fieldErrors: {} };
    case "remove":
      await removeMember(db(), user, organisationId, userId);
      return { ok: true, message: "Personen är borttagen från organisationen.", fieldErrors: {} };
    case "deactivate":
    case "reactivate":
      await setPersonActive(db(), user, userId, intent === "reactivate");
      return { ok: true, message: intent === "reactivate" ? "Kontot är återaktiverat." : "Kontot är inaktiverat.", fieldErrors: {} };
    case "anonymise":
      await anonymisePerson(db(), user, userId);
      return { ok: true, message: "Personen är anonymiserad.", fieldErrors: {} };
    default:
      throw badRequest("Okänd åtgärd.");
  }
}

type ActionAnswer = NonNullable<ReturnType<typeof useActionData<typeof action>>>;

/** One member's role: each row's select and button are named after the person, and the answer is told beside them. */
function RoleForm({ userId, name, role, pageAnswer }: { userId: string; name: string; role: string; pageAnswer?: ActionAnswer }) {
  const fetcher = useFetcher<typeof action>();
  const busy = fetcher.state !== "idle";
  // Without JavaScript the form was posted as a page, and its answer is the page's.
  const answer = fetcher.state === "idle" ? (fetcher.data ?? pageAnswer) : undefined;
  const refused = answer && !answer.ok;
  return (
    <div>
      <fetcher.Form method="post" className="actions">
        <input type="hidden" name="intent" value="role" />
        <input type="hidden" name="userId" value={userId} />
        <label className="visually-hidden" htmlFor={`role-${userId}`}>
          {`Roll för ${name}`}
        </label>
        <select
          id={`role-${userId}`}
          name="role"
          defaultValue={role}
          aria-invalid={refused ? true : undefined}
          aria-describedby={refused ? `role-${userId}-error` : undefined}
        >
          {Object.entries(roleLabels).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <button type="submit" className="button button--secondary" aria-disabled={busy}>
          {busy ? "Sparar…" : "Ändra roll"}
          <span className="visually-hidden">{` för ${name}`}</span>
        </button>
      </fetcher.Form>
      {refused ? (
        <p className="field-error" id={`role-${userId}-error`} role="alert">
          {answer.message}
        </p>
      ) : null}
      {/* Present before any answer, so that screen readers announce the text put into it. */}
      <span className="hint" role="status">
        {answer?.ok ? answer.message : null}
      </span>
    </div>
  );
}

export default function OrganisationPage() {
  const { organisation, members, canManage, canInvite } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const hasRoleForm = (member: (typeof members)[number]) => canManage && !member.isSelf;
  // A member's role answer is told at that member's role form; the invitation shows only its own.
  const roleAnswerAt = result?.intent === "role" && members.some((member) => member.id === result.userId && hasRoleForm(member)) ? result.userId : null;
  const invitation = result?.intent === "invite" ? result : undefined;
  const fieldErrors: Record<string, string | undefined> = invitation?.fieldErrors ?? {};
  const typed: Record<string, string | undefined> = invitation?.values ?? {};
  const navigation = useNavigation();
  return (
    <div className="stack">
      <h1>{organisation.name}</h1>
      <p className="muted">{organisation.type}</p>
      {organisation.description ? <p>{organisation.description}</p> : null}
      {result && !roleAnswerAt ? (
        <div className={`alert ${result.ok ? "alert--ok" : "alert--error"}`} role={result.ok ? "status" : "alert"}>
          {result.message}
        </div>
      ) : null}
      <section aria-labelledby="medlemmar">
        <h2 id="medlemmar">Medlemmar</h2>
        {members.length === 0 ? (
          <p className="empty">Organisationen har inga medlemmar i portalen ännu.</p>
        ) : (
          <TableRegion label={`Medlemmar i ${organisation.name}`}>
            <table className="responsive-table">
              <caption className="visually-hidden">Medlemmar i {organisation.name}</caption>
              <thead>
                <tr>
                  <th scope="col">Namn</th>
                  <th scope="col">Kontakt</th>
                  <th scope="col">Roll</th>
                  <th scope="col">Status</th>
                  {canManage ? <th scope="col">Hantera</th> : null}
                </tr>
              </thead>
              <tbody>
                {members.map((member) => (
                  <tr key={member.id}>
                    <td data-label="Namn">
                      {member.name}
                      {member.title ? <span className="hint">{member.title}</span> : null}
                    </td>
                    <td data-label="Kontakt">
                      {member.email ? <a href={`mailto:${member.email}`}>{member.email}</a> : <span className="muted">Visas för kollegor</span>}
                      {member.phone ? <span className="hint">{member.phone}</span> : null}
                    </td>
                    <td data-label="Roll">
                      {hasRoleForm(member) ? (
                        <RoleForm userId={member.id} name={member.name} role={member.role} pageAnswer={member.id === roleAnswerAt ? result : undefined} />
                      ) : (
                        roleLabels[member.role]
                      )}
                    </td>
                    <td data-label="Status">{personStatusLabels[member.status]}</td>
                    {canManage ? (
                      <td data-label="Hantera">
                        {member.isSelf ? (
                          <span className="muted">Du</span>
                        ) : (
                          <div className="actions">
                            <ConfirmButton
                              label="Ta bort"
                              title={`Ta bort ${member.name}?`}
                              description={`${member.name} tas bort från ${organisation.name}. Kontot finns kvar för personens andra organisationer.`}
                              confirmLabel="Ta bort från organisationen"
                              fields={{ intent: "remove", userId: member.id }}
                            />
                            {member.canDeactivate && member.status !== "deactivated" ? (
                              <ConfirmButton
                                label="Inaktivera"
                                title={`Inaktivera ${member.name}?`}
                                description="Personen loggas ut överallt och kan inte logga in förrän kontot återaktiveras."
                                confirmLabel="Inaktivera kontot"
                                fields={{ intent: "deactivate", userId: member.id }}
                              />
                            ) : null}
                            {member.canDeactivate && member.status === "deactivated" ? (
                              <ConfirmButton
                                label="Återaktivera"
                                title={`Återaktivera ${member.name}?`}
                                description="Personen kan logga in igen."
                                confirmLabel="Återaktivera kontot"
                                danger={false}
                                fields={{ intent: "reactivate", userId: member.id }}
                              />
                            ) : null}
                            {member.canAnonymise && member.status === "deactivated" ? (
                              <ConfirmButton
                                label="Anonymisera"
                                title={`Anonymisera ${member.name}?`}
                                description="Namn, e-post, titel och telefon raderas för alltid. Det går inte att ångra."
                                confirmLabel="Anonymisera för alltid"
                                fields={{ intent: "anonymise", userId: member.id }}
                              />
                            ) : null}
                          </div>
                        )}
                      </td>
                    ) : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        )}
      </section>
      {canInvite ? (
        <section className="card narrow" aria-labelledby="bjud-in">
          <h2 id="bjud-in">Bjud in en person</h2>
          <p className="muted">Personen får ett mejl med en inloggningslänk som gäller i 7 dagar.</p>
          {/* A sent invitation starts a fresh, empty form (the fields keep what was typed otherwise). */}
          <Form method="post" noValidate key={invitation?.ok ? invitation.message : "invite"}>
            <input type="hidden" name="intent" value="invite" />
            <Field label="E-postadress" name="email" type="email" autoComplete="off" defaultValue={typed.email} error={fieldErrors.email} />
            <Field label="Namn" name="name" autoComplete="off" defaultValue={typed.name} error={fieldErrors.name} />
            <Field label="Titel" name="title" autoComplete="off" defaultValue={typed.title} error={fieldErrors.title} />
            <div className="field">
              <label htmlFor="invite-role">Roll</label>
              <select
                id="invite-role"
                name="role"
                defaultValue={typed.role && Object.hasOwn(roleLabels, typed.role) ? typed.role : "medlem"}
                aria-invalid={fieldErrors.role ? true : undefined}
                aria-describedby={fieldErrors.role ? "invite-role-error" : undefined}
              >
                {Object.entries(roleLabels).map(([value, label]) => (
                  <option key={value} value={value}>
                    {label}
                  </option>
                ))}
              </select>
              {fieldErrors.role ? (
                <p className="field-error" id="invite-role-error">
                  {fieldErrors.role}
                </p>
              ) : null}
            </div>
            <button type="submit" className="button" aria-disabled={navigation.state === "submitting"}>
              {navigation.state === "submitting" ? "Skickar…" : "Skicka inbjudan"}
            </button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
