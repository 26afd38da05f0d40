import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { signInResponse } from "../auth/sign-in-response.server";
import { FormError } from "../components/ui/field";
import { signInWithLink } from "../domain/auth/sign-in.server";
import { badRequest } from "../domain/http-errors";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Logga in – Samverkansportalen" }];

/**
 * Opening the link only shows a button: mail scanners that fetch links must not use up a
 * single-use sign-in. The click (a POST) signs in.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const token = new URL(request.url).searchParams.get("token") ?? "";
  return { token: token.slice(0, 200), signedIn: false };
}

export async function action({ request }: ActionFunctionArgs) {
  let token: unknown;
  try {
    token = (await request.formData()).get("token");
  } catch {
    throw badRequest("Formuläret kunde inte läsas.");
  }
  const outcome = await signInWithLink(db(), typeof token === "string" ? token : "", request.headers.get("user-agent") ?? "");
  return signInResponse(outcome, "/");
}

export default function LinkPage() {
  const { token } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  if (actionData?.failure) {
    return (
      <div className="narrow">
        <h1>Inloggningen gick inte igenom</h1>
        <FormError message={actionData.message} />
        <p>
          <Link className="button" to="/logga-in">
            Skicka en ny inloggningslänk
          </Link>
        </p>
      </div>
    );
  }
  return (
    <div className="narrow">
      <h1>Logga in</h1>
      {token ? (
        <Form method="post">
          <input type="hidden" name="token" value={token} />
          <p>Tryck på knappen för att logga in i Samverkansportalen.</p>
          <button type="submit" className="button" aria-disabled={navigation.state === "submitting"}>
            {navigation.state === "submitting" ? "Loggar in…" : "Logga in"}
          </button>
        </Form>
      ) : (
        <>
          <FormError message="Länken saknar sin inloggningsnyckel. Kontrollera att du använde hela länken från mejlet." />
          <p>
            <Link to="/logga-in">Skicka en ny inloggningslänk</Link>
          </p>
        </>
      )}
    </div>
  );
}
