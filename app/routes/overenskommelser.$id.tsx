import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { requireUser } from "../auth/guards.server";
import { Select, TextArea } from "../components/agreements/form-fields";
import { CommandForm } from "../components/networks/command-form";
import { ConfirmButton } from "../components/ui/confirm-button";
import { TableRegion } from "../components/ui/table-region";
import { linkableActions, linkActionToAgreement, unlinkActionFromAgreement } from "../domain/agreements/agreement-actions.server";
import { readAgreementOverview } from "../domain/agreements/agreement-overview.server";
import { linkActionSchema } from "../domain/agreements/agreements.schema";
import { decideAgreement, draftRevision, endAgreement, submitForDecision } from "../domain/agreements/agreements.server";
import { actionJudgementLabels, actionStatusLabels, agreementLevelLabels, agreementStatusLabels } from "../domain/agreements/labels";
import { requireId, uuidPattern } from "../domain/http-errors";
import { formatDate, formatDateTime } from "../format";
import { runIntent } from "../server/intents.server";
import { readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.agreement.title ?? "Överenskommelse"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const overview = await readAgreementOverview(db(), user, id);
  const [draft, linkable] = await Promise.all([draftRevision(db(), id), overview.can.edit ? linkableActions(db(), user, id) : Promise.resolve([])]);
  const shown = overview.inForce?.snapshot ?? overview.working;
  return {
    agreement: {
      id: overview.agreement.id,
      title: overview.agreement.title,
      status: overview.agreement.status,
      level: overview.agreement.level,
      periodStartYear: overview.agreement.periodStartYear,
      periodEndYear: overview.agreement.periodEndYear,
    },
    shown,
    inForce: overview.inForce ? { number: overview.inForce.number, decidedAt: formatDateTime(overview.inForce.decidedAt) } : null,
    draft: draft ? { number: draft.number, submitted: draft.submittedAt !== null } : null,
    goals: overview.goals.map((goal) => ({ id: goal.id, indicators: goal.indicators.map((indicator) => ({ id: indicator.id, name: indicator.name, summary: indicator.status.summary, reached: indicator.status.reached })) })),
    steps: overview.steps,
    promises: overview.promises.map((promise) => ({ id: promise.id, title: promise.title, year: promise.year, localArea: promise.localArea, published: promise.publishedAt !== null, progress: promise.progress })),
    actions: {
      hiddenCount: overview.actions.hiddenCount,
      total: overview.actions.items.length,
      byFocusArea: overview.actions.byFocusArea.map((group) => ({ label: group.label, key: group.key ?? "utan", items: group.items.map((item) => ({ ...item, deadline: item.deadline ? formatDate(item.deadline) : "" })) })),
      byPerspective: overview.actions.byPerspective.map((group) => ({ label: group.label, count: group.items.length })),
    },
    problems: overview.problems.map((problem) => ({ id: problem.id, title: problem.title })),
    goalChoices: overview.goals.map((goal) => ({ id: goal.id, title: goal.title })),
    linkable: linkable.filter((item) => item.agreementId === null).map((item) => ({ id: item.id, label: `${item.listTitle} · ${item.number}. ${item.title}` })),
    can: overview.can,
  };
}

const intents = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("submit") }),
  z.object({ intent: z.literal("decide"), decisionNote: z.string().trim().max(2000, "Beslutsanteckningen får vara högst 2000 tecken.").default("") }),
  z.object({ intent: z.literal("end") }),
  linkActionSchema.extend({ intent: z.literal("link") }),
  z.object({ intent: z.literal("unlink"), actionItemId: z.string().regex(uuidPattern, "Välj en åtgärd.") }),
], { error: "Okänd åtgärd. Ladda om sidan och försök igen." });

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  return runIntent(await readFormValues(request), intents, async (input) => {
    switch (input.intent) {
      case "submit":
        await submitForDecision(db(), user, id);
        return "Utkastet är lämnat för beslut.";
      case "decide": {
        const { number } = await decideAgreement(db(), user, id, input.decisionNote);
        return `Version ${number} är fastställd och gäller nu.`;
      }
      case "end":
        await endAgreement(db(), user, id);
        return "Överenskommelsen har upphört.";
      case "link":
        await linkActionToAgreement(db(), user, id, input);
        return "Åtgärden är kopplad till överenskommelsen.";
      case "unlink":
        await unlinkActionFromAgreement(db(), user, id, input.actionItemId.toLowerCase());
        return "Åtgärden är inte längre kopplad till överenskommelsen.";
    }
  });
}

function judgementBadge(judgement: "gron" | "gul" | "rod" | null) {
  if (!judgement) return <span className="muted">Ej bedömd</span>;
  const tone = judgement === "gron" ? "badge--ok" : judgement === "gul" ? "badge--warn" : "badge--error";
  return <span className={`badge ${tone}`}>{actionJudgementLabels[judgement]}</span>;
}

export default function AgreementPage() {
  const { agreement, shown, inForce, draft, goals, steps, promises, actions, problems, goalChoices, linkable, can } = useLoaderData<typeof loader>();
  const base = `/overenskommelser/${agreement.id}`;
  const problemTitle = new Map(shown.problems.map((problem) => [problem.id, problem.title]));
  return (
    <div className="stack long-words">
      <p>
        <Link to="/overenskommelser">← Överenskommelser</Link>
      </p>
      <h1>{agreement.title}</h1>
      <p>
        <span className="badge">{agreementStatusLabels[agreement.status]}</span> {agreementLevelLabels[agreement.level]} · {agreement.periodStartYear}–
        {agreement.periodEndYear}
        {shown.localArea ? ` · ${shown.localArea}` : ""} · Parter: {shown.parties.map((party) => party.name).join(", ")}
      </p>
      <nav aria-label="Överenskommelsens delar">
        <ul className="list-inline">
          <li>
            <Link to={`${base}/steg`}>Brås fem steg</Link>
          </li>
          <li>
            <Link to={`${base}/mal`}>Mål och indikatorer</Link>
          </li>
          <li>
            <Link to={`${base}/versioner`}>Versioner</Link>
          </li>
          {can.edit ? (
            <li>
              <Link to={`${base}/redigera`}>{draft ? `Utkast till version ${draft.number}` : "Ändra (nytt utkast)"}</Link>
            </li>
          ) : null}
        </ul>
      </nav>

      {inForce ? (
        <p className="muted">
          Här visas version {inForce.number}, fastställd {inForce.decidedAt}. En fastställd version ändras aldrig; ändringar görs i ett nytt utkast.
        </p>
      ) : (
        <div className="alert alert--warn">Överenskommelsen är inte fastställd ännu. Här visas utkastet.</div>
      )}
      {draft && inForce ? (
        <div className="alert">
          Det finns ett utkast till version {draft.number}
          {draft.submitted ? " som är lämnat för beslut" : ""}. <Link to={`${base}/redigera`}>Se utkastet och skillnaderna mot den gällande versionen</Link>.
        </div>
      ) : null}

      {(can.edit || can.decide) && draft ? (
        <section className="card stack" aria-labelledby="beslut">
          <h2 id="beslut">Beslut</h2>
          {can.edit && !draft.submitted ? <CommandForm intent="submit" submitLabel="Lämna utkastet för beslut" secondary /> : null}
          {can.decide ? (
            <CommandForm intent="decide" submitLabel={`Fastställ version ${draft.number}`} busyLabel="Fastställer…">
              {(form) => (
                <>
                  <TextArea
                    label="Beslutsanteckning (valfri)"
                    rows={2}
                    {...form.field("decisionNote")}
                    hint="T.ex. beslutsdatum och organ."
                  />
                  <p className="hint">En fastställd version kan inte ändras i efterhand. Senare ändringar blir ett nytt utkast.</p>
                </>
              )}
            </CommandForm>
          ) : null}
        </section>
      ) : null}

      <section aria-labelledby="lagesbild">
        <h2 id="lagesbild">Lägesbild</h2>
        {shown.situationSummary ? <p className="pre-line">{shown.situationSummary}</p> : <p className="empty">Lägesbilden är inte ifylld.</p>}
        {shown.sourceLinks.length ? (
          <>
            <h3>Källor</h3>
            <ul>
              {shown.sourceLinks.map((link) => (
                <li key={link.url}>
                  <a href={link.url} rel="noopener noreferrer">
                    {link.label}
                  </a>
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      <section aria-labelledby="problem">
        <h2 id="problem">Prioriterade problem och troliga orsaker</h2>
        {shown.problems.length === 0 ? (
          <p className="empty">Inga problem är prioriterade ännu.</p>
        ) : (
          <ol>
            {shown.problems.map((problem) => (
              <li key={problem.id}>
                <strong>{problem.title}</strong>
                {problem.description ? <p className="pre-line">{problem.description}</p> : null}
                {problem.probableCauses ? (
                  <p className="pre-line">
                    <em>Troliga orsaker:</em> {problem.probableCauses}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="mal">
        <h2 id="mal">Mål</h2>
        {shown.goals.length === 0 ? (
          <p className="empty">Inga mål är satta ännu.</p>
        ) : (
          <ol>
            {shown.goals.map((goal) => {
              const live = goals.find((entry) => entry.id === goal.id);
              return (
                <li key={goal.id}>
                  <strong>{goal.title}</strong>
                  {goal.problemId && problemTitle.get(goal.problemId) ? <span className="hint">Problem: {problemTitle.get(goal.problemId)}</span> : null}
                  {goal.description ? <p className="pre-line">{goal.description}</p> : null}
                  {live && live.indicators.length ? (
                    <ul>
                      {live.indicators.map((indicator) => (
                        <li key={indicator.id}>
                          {indicator.name}: {indicator.summary}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                </li>
              );
            })}
          </ol>
        )}
        <p>
          <Link to={`${base}/mal`}>Indikatorer, mätvärden och diagram</Link>
        </p>
      </section>

      <div className="grid">
        <section className="card" aria-labelledby="dokumentation">
          <h2 id="dokumentation">Så dokumenteras arbetet</h2>
          {shown.documentationMethod ? <p className="pre-line">{shown.documentationMethod}</p> : <p className="empty">Inte ifyllt.</p>}
        </section>
        <section className="card" aria-labelledby="uppfoljning">
          <h2 id="uppfoljning">Så följs arbetet upp</h2>
          {shown.followUpMethod ? <p className="pre-line">{shown.followUpMethod}</p> : <p className="empty">Inte ifyllt.</p>}
          <p>
            <Link to={`${base}/uppfoljning`}>Tertialuppföljning och rapporter</Link>
          </p>
        </section>
        <section className="card" aria-labelledby="undertecknare">
          <h2 id="undertecknare">Undertecknare</h2>
          {shown.signatories.length ? (
            <ul className="list-plain">
              {shown.signatories.map((signatory) => (
                <li key={`${signatory.organisationName}-${signatory.name}`}>
                  {signatory.name}
                  <span className="hint">
                    {signatory.title ? `${signatory.title}, ` : ""}
                    {signatory.organisationName}
                  </span>
                </li>
              ))}
            </ul>
          ) : (
            <p className="empty">Inga undertecknare ännu.</p>
          )}
        </section>
      </div>

      <section aria-labelledby="steg">
        <h2 id="steg">Brås fem steg</h2>
        <p>
          {steps.done} av {steps.total} kriterier är klara.{" "}
          {steps.current ? `Arbetet står i steg ${steps.current}.` : "Alla steg är klara."}
        </p>
        <ol className="steps">
          {steps.steps.map((step) => (
            <li key={step.step} className={step.complete ? "steps__done" : step.step === steps.current ? "steps__current" : undefined}>
              <strong>{step.name}</strong>: {step.done} av {step.total} klara{step.complete ? " (klart)" : step.step === steps.current ? " (pågår)" : ""}
            </li>
          ))}
        </ol>
        <p>
          <Link to={`${base}/steg`}>Se och bocka av kriterierna</Link>
        </p>
      </section>

      <section aria-labelledby="loften">
        <h2 id="loften">Medborgarlöften</h2>
        {promises.length === 0 ? (
          <p className="empty">Inga medborgarlöften är kopplade till överenskommelsen.</p>
        ) : (
          <ul className="list-plain">
            {promises.map((promise) => (
              <li key={promise.id}>
                <Link to={`/medborgarloften/${promise.id}`}>{promise.title}</Link> <span className="hint">{promise.localArea} {promise.year}{promise.published ? " · publicerat" : ""}</span>
                <span className="meter" aria-hidden="true">
                  <span className="meter__fill" style={{ width: `${promise.progress.percent}%` }} />
                </span>
                <span>
                  {promise.progress.text} ({promise.progress.percent} %)
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="atgarder">
        <h2 id="atgarder">Åtgärder</h2>
        {actions.total === 0 ? <p className="empty">Inga åtgärder är kopplade till överenskommelsen ännu.</p> : null}
        {actions.hiddenCount > 0 ? (
          <p className="muted">{actions.hiddenCount} kopplade åtgärder finns i åtgärdslistor som inte delas med din organisation och visas inte här.</p>
        ) : null}
        {actions.byFocusArea
          .filter((group) => group.items.length > 0)
          .map((group) => (
            <TableRegion key={group.key} label={`Åtgärder: ${group.label}`}>
              <table className="responsive-table">
                <caption>
                  {group.label} ({group.items.length})
                </caption>
                <thead>
                  <tr>
                    <th scope="col">Åtgärd</th>
                    <th scope="col">Lista</th>
                    <th scope="col">Ansvarig</th>
                    <th scope="col">Klart senast</th>
                    <th scope="col">Status</th>
                    <th scope="col">Bedömning</th>
                    <th scope="col">Problem / mål</th>
                    {can.edit ? <th scope="col"><span className="visually-hidden">Koppla loss</span></th> : null}
                  </tr>
                </thead>
                <tbody>
                  {group.items.map((item) => (
                    <tr key={item.id}>
                      <th scope="row">
                        {item.number}. {item.title}
                      </th>
                      <td data-label="Lista">{item.listTitle}</td>
                      <td data-label="Ansvarig">{item.responsibleName ?? ""}</td>
                      <td data-label="Klart senast">{item.deadline}</td>
                      <td data-label="Status">{actionStatusLabels[item.status]}</td>
                      <td data-label="Bedömning">
                        {judgementBadge(item.judgement)}
                        {item.judgementReason ? <span className="hint">{item.judgementReason}</span> : null}
                      </td>
                      <td data-label="Problem / mål">
                        {[problems.find((problem) => problem.id === item.agreementProblemId)?.title, goalChoices.find((goal) => goal.id === item.agreementGoalId)?.title]
                          .filter(Boolean)
                          .join(" / ")}
                      </td>
                      {can.edit ? (
                        <td>
                          <ConfirmButton
                            label="Koppla loss"
                            title="Koppla loss åtgärden?"
                            description={`”${item.title}” finns kvar i sin åtgärdslista men räknas inte längre till överenskommelsen.`}
                            confirmLabel="Ja, koppla loss"
                            fields={{ intent: "unlink", actionItemId: item.id }}
                          />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableRegion>
          ))}
        {actions.total > 0 ? (
          <TableRegion label="Åtgärder per perspektiv">
            <table>
              <caption>Åtgärder per perspektiv</caption>
              <thead>
                <tr>
                  <th scope="col">Perspektiv</th>
                  <th scope="col">Antal åtgärder</th>
                </tr>
              </thead>
              <tbody>
                {actions.byPerspective.map((group) => (
                  <tr key={group.label}>
                    <td>{group.label}</td>
                    <td>{group.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableRegion>
        ) : null}
        {can.edit ? (
          <section className="card" aria-labelledby="koppla">
            <h3 id="koppla">Koppla en åtgärd</h3>
            {linkable.length === 0 ? (
              <p className="empty">Det finns inga okopplade åtgärder i de åtgärdslistor du har tillgång till.</p>
            ) : (
              <CommandForm intent="link" submitLabel="Koppla åtgärden">
                {(form) => (
                  <>
                    <Select
                      label="Åtgärd"
                      {...form.field("actionItemId")}
                      options={linkable.map((item) => ({ value: item.id, label: item.label }))}
                    />
                    <Select
                      label="Problem (valfritt)"
                      {...form.field("problemId")}
                      options={problems.map((problem) => ({ value: problem.id, label: problem.title }))}
                    >
                      <option value="">Inget</option>
                    </Select>
                    <Select
                      label="Mål (valfritt)"
                      {...form.field("goalId")}
                      options={goalChoices.map((goal) => ({ value: goal.id, label: goal.title }))}
                    >
                      <option value="">Inget</option>
                    </Select>
                  </>
                )}
              </CommandForm>
            )}
          </section>
        ) : null}
      </section>

      {can.decide && agreement.status !== "upphord" ? (
        <div className="actions">
          <ConfirmButton
            label="Överenskommelsen upphör"
            title="Ska överenskommelsen upphöra?"
            description="Överenskommelsen markeras som upphörd och kan inte längre ändras. Versioner, mätvärden och åtgärder finns kvar att läsa."
            confirmLabel="Ja, den upphör"
            fields={{ intent: "end" }}
          />
        </div>
      ) : null}
    </div>
  );
}
