import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { requireUser } from "../auth/guards.server";
import { MeetingForm } from "../components/meetings/meeting-form";
import { RecurrenceFields } from "../components/meetings/recurrence-fields";
import { requireId } from "../domain/http-errors";
import { getNetwork } from "../domain/networks/networks.server";
import { can } from "../domain/policy";
import { newMeetingFormAction } from "../domain/meetings/new-meeting-form-action.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Nytt möte – Samverkansportalen" }];

const ONLY_COORDINATORS = "Bara nätverkets samordnare och den ägande organisationens samordnare och administratörer kan planera möten.";

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { network, resource } = await getNetwork(db(), user, requireId(params.id));
  if (!can(user, "meeting.create", resource)) throw Response.json({ message: ONLY_COORDINATORS }, { status: 403 });
  return { network: { id: network.id, name: network.name } };
}

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  return newMeetingFormAction(request, user, requireId(params.id));
}

export default function NewMeetingPage() {
  const { network } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <div className="narrow-wide stack">
      <p>
        <Link to={`/natverk/${network.id}`}>← {network.name}</Link>
      </p>
      <h1>Nytt möte</h1>
      <p className="muted">Alla inbjudna får ett mejl med en kalenderfil och svarsknappar. För en serie kommer ett mejl med hela serien.</p>
      <MeetingForm
        mode="create"
        values={result?.values ?? { inviteNetwork: true }}
        errors={(result?.fieldErrors ?? {}) as Record<string, string>}
        message={result?.message}
        cancelTo={`/natverk/${network.id}`}
        networkName={network.name}
      >
        <RecurrenceFields values={result?.values ?? {}} errors={(result?.fieldErrors ?? {}) as Record<string, string>} />
      </MeetingForm>
    </div>
  );
}
