import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { safeRedirectTarget } from "../auth/guards.server";
import { Field, FormError } from "../components/ui/field";
import { emailSchema, requestSignIn } from "../domain/auth/sign-in.server";
import { db, portal } from "../server/portal.server";
import { parseForm } from "../server/forms.server";

export const meta: MetaFunction = () => [{ title: "Logga in – Samverkansportalen" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.session) throw redirect("/");
  return { outbox: portal().config.mailOutboxEnabled };
}

const schema = z.object({ email: emailSchema, till: z.string().max(500).optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, schema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, formError: null }, { status: 400 });
  try {
    await requestSignIn(db(), { email: parsed.data.email, ip: context.ip });
  } catch (error) {
    if (error instanceof Response && error.status === 429) {
      const body = (await error.json()) as { message: string };
      return data({ fieldErrors: {} as Record<string, string>, formError: body.message }, { status: 429 });
    }
    throw error;
  }
  const next = new URLSearchParams({ adress: parsed.data.email });
  const target = safeRedirectTarget(parsed.data.till, "");
  if (target) next.set("till", target);
  return redirect(`/logga-in/kod?${next}`);
}

export default function SignInPage() {
  const { outbox } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const busy = navigation.state === "submitting";
  return (
    <div className="narrow">
      <h1>Logga in</h1>
      <p>Ange din e-postadress i tjänsten. Du får ett mejl med en inloggningslänk och en kod som gäller i 15 minuter.</p>
      <FormError message={actionData?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="till" value={params.get("till") ?? ""} />
        <Field
          label="E-postadress"
          name="email"
          type="email"
          autoComplete="email"
          required
          defaultValue={params.get("adress") ?? ""}
          error={actionData?.fieldErrors?.email}
        />
        <button type="submit" className="button" aria-disabled={busy}>
          {busy ? "Skickar…" : "Skicka inloggningslänk"}
        </button>
      </Form>
      <p className="muted">
        Portalen har ingen egen registrering. Saknar du konto? Be en administratör i din organisation att bjuda in dig.
      </p>
      <p>
        <Link to="/logga-in/kod">Jag har redan en kod</Link>
      </p>
      {outbox ? (
        <aside className="card" aria-labelledby="demolage">
          <h2 id="demolage">Demoläge</h2>
          <p>
            Den här installationen skickar ingen e-post. Mejlen hamnar i <Link to="/dev/mail">utkorgen</Link>, där du hittar
            inloggningslänken och koden.
          </p>
        </aside>
      ) : null}
    </div>
  );
}
