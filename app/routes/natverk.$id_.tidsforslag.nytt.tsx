import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { PollForm, pollValuesFromPost } from "../components/polls/poll-form";
import { requireId } from "../domain/http-errors";
import { getNetwork } from "../domain/networks/networks.server";
import { can } from "../domain/policy";
import { createPoll, pollFormSchema } from "../domain/polls/polls.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Nytt tidsförslag – Samverkansportalen" }];

const ONLY_COORDINATORS = "Bara nätverkets samordnare och den ägande organisationens samordnare och administratörer kan skicka tidsförslag.";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { network, members, resource } = await getNetwork(db(), user, requireId(params.id));
  if (!can(user, "poll.create", resource)) throw Response.json({ message: ONLY_COORDINATORS }, { status: 403 });
  return {
    network: { id: network.id, name: network.name },
    members: members.map((member) => ({ id: member.id, name: member.name, organisations: member.organisations })),
  };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const networkId = requireId(params.id);
  const raw = await readFormValues(request);
  const values = pollValuesFromPost(raw);
  const parsed = parseValues(raw, pollFormSchema(new Date()));
  if (!parsed.ok) return data({ ok: false as const, message: "Kontrollera de markerade fälten.", fieldErrors: parsed.fieldErrors, values }, { status: 400 });
  return asFormResult(async () => redirect(`/tidsforslag/${(await createPoll(db(), user, networkId, parsed.data)).id}`), { values });
}

export default function NewPollPage() {
  const { network, members } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to={`/natverk/${network.id}`}>← {network.name}</Link>
      </p>
      <h1>Nytt tidsförslag</h1>
      <p className="muted">
        De tillfrågade svarar Ja, Om nödvändigt eller Nej för de tider de kan ta ställning till, i portalen eller via en personlig länk i mejlet. När
        du väljer en tid planeras mötet och alla får en inbjudan med kalenderfil.
      </p>
      <PollForm
        values={result?.values ?? { inviteNetwork: true }}
        errors={(result?.fieldErrors ?? {}) as Record<string, string>}
        message={result?.message}
        cancelTo={`/natverk/${network.id}`}
        networkName={network.name}
        members={members}
      />
    </div>
  );
}
