import { data, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { z } from "zod";
import { signInResponse } from "../auth/sign-in-response.server";
import { Field, FormError, FormSuccess } from "../components/ui/field";
import { codeSchema, emailSchema, signInWithCode } from "../domain/auth/sign-in.server";
import { parseForm } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [{ title: "Ange kod – Samverkansportalen" }];

export async function loader({ context }: LoaderFunctionArgs) {
  if (context.session) throw redirect("/");
  return null;
}

const schema = z.object({ email: emailSchema, code: codeSchema, till: z.string().max(500).optional() });

export async function action({ request, context }: ActionFunctionArgs) {
  const parsed = await parseForm(request, schema);
  if (!parsed.ok) return data({ fieldErrors: parsed.fieldErrors, message: null, failure: null }, { status: 400 });
  try {
    const outcome = await signInWithCode(db(), {
      email: parsed.data.email,
      code: parsed.data.code,
      ip: context.ip,
      userAgent: request.headers.get("user-agent") ?? "",
    });
    return signInResponse(outcome, parsed.data.till);
  } catch (error) {
    if (error instanceof Response && error.status === 429) {
      const body = (await error.json()) as { message: string };
      return data({ fieldErrors: {} as Record<string, string>, message: body.message, failure: "rate_limited" }, { status: 429 });
    }
    throw error;
  }
}

export default function CodePage() {
  const actionData = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const address = params.get("adress") ?? "";
  return (
    <div className="narrow">
      <h1>Kolla din e-post</h1>
      {address ? (
        <FormSuccess>
          Om <strong>{address}</strong> finns i portalen har vi skickat en inloggningslänk och en kod dit. Följ länken,
          eller skriv in koden här om du läser mejlet på en annan enhet.
        </FormSuccess>
      ) : (
        <p>Skriv in e-postadressen och den åttasiffriga koden från mejlet.</p>
      )}
      <FormError message={actionData?.message} />
      <Form method="post" noValidate>
        <input type="hidden" name="till" value={params.get("till") ?? ""} />
        <Field label="E-postadress" name="email" type="email" autoComplete="email" defaultValue={address} error={actionData?.fieldErrors?.email} />
        <Field
          label="Kod"
          hint="Åtta siffror, t.ex. 1234 5678"
          name="code"
          inputMode="numeric"
          autoComplete="one-time-code"
          className="code-input"
          maxLength={12}
          error={actionData?.fieldErrors?.code}
        />
        <button type="submit" className="button" aria-disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Loggar in…" : "Logga in"}
        </button>
      </Form>
      <p>
        <Link to={`/logga-in${address ? `?adress=${encodeURIComponent(address)}` : ""}`}>Skicka en ny länk och kod</Link>
      </p>
    </div>
  );
}
