import { type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useFetcher, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { requireUser } from "../auth/guards.server";
import { CheckinAnnouncement, type CheckinOutcome } from "../components/kunskapsdagar/checkin-announcement";
import { liveStatusText, useLiveRoom } from "../components/live";
import { FormError } from "../components/ui/field";
import { badRequest, requireId } from "../domain/http-errors";
import { CHECKIN_EVENT, checkinRoom } from "../domain/kunskapsdagar/checkin-labels";
import { REGISTRATION_EVENT } from "../domain/kunskapsdagar/labels";
import { checkInByCode, codeSchema, getCheckinView, presenceSchema, setPresence } from "../domain/kunskapsdagar/checkin.server";
import { meetingWhen } from "../domain/meetings/meetings.server";
import { asFormResult, parseValues, readFormValues } from "../server/forms.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Incheckning ${data?.day.title ?? "kunskapsdag"} – Samverkansportalen` }];

export async function loader({ context, request, params }: LoaderFunctionArgs) {
  const user = requireUser(context, request);
  const { day, people, counts } = await getCheckinView(db(), user, requireId(params.id));
  // A phone camera that opened the link from the QR code lands here with the code filled in.
  const code = new URL(request.url).searchParams.get("kod")?.slice(0, 500) ?? "";
  return {
    day: { id: day.id, title: day.title, when: meetingWhen(day.startsAt, day.endsAt) },
    people: people.map((person) => ({ id: person.id, name: person.name, organisationName: person.organisationName, present: person.checkedInAt !== null })),
    counts,
    code,
  };
}

type Result = { ok: true; message: string } | { ok: false; message: string; fieldErrors: Record<string, string> };

export async function action({ context, request, params }: ActionFunctionArgs) {
  const user = requireUser(context, request);
  const id = requireId(params.id);
  const values = await readFormValues(request);
  return asFormResult(async (): Promise<Result> => {
    if (values.intent === "presence") {
      const parsed = parseValues(values, presenceSchema);
      if (!parsed.ok) throw badRequest(Object.values(parsed.fieldErrors)[0] ?? "Välj en person i listan.");
      const done = await setPresence(db(), user, id, parsed.data.registrationId, parsed.data.present === "ja");
      return { ok: true, message: presenceMessage(done) };
    }
    if (values.intent === "code") {
      const parsed = parseValues(values, codeSchema);
      if (!parsed.ok) throw badRequest(parsed.fieldErrors.code ?? "Skanna eller klistra in koden.", parsed.fieldErrors);
      const done = await checkInByCode(db(), user, id, parsed.data.code);
      return { ok: true, message: presenceMessage(done) };
    }
    throw badRequest("Okänd åtgärd. Ladda om sidan och försök igen.");
  });
}

function presenceMessage(done: { name: string; present: boolean; alreadyDone: boolean; counts: { presentCount: number; registeredCount: number } }) {
  const tally = `${done.counts.presentCount} av ${done.counts.registeredCount} på plats.`;
  if (!done.present) return `${done.name} är inte längre markerad som på plats. ${tally}`;
  return done.alreadyDone ? `${done.name} var redan incheckad. ${tally}` : `${done.name} är incheckad. ${tally}`;
}

export default function CheckinPage() {
  const { day, people, counts, code } = useLoaderData<typeof loader>();
  const revalidator = useRevalidator();
  const live = useLiveRoom(checkinRoom(day.id), { [CHECKIN_EVENT]: () => revalidator.revalidate(), [REGISTRATION_EVENT]: () => revalidator.revalidate() });
  const codeFetcher = useFetcher<Result>();
  const [query, setQuery] = useState("");
  // Without JavaScript a check-in posts the page, which comes back with the outcome.
  const posted = useActionData<typeof action>();
  const [announcement, setAnnouncement] = useState<CheckinOutcome | null>(posted ?? null);
  const needle = query.trim().toLocaleLowerCase("sv-SE");
  const shown = needle ? people.filter((person) => `${person.name} ${person.organisationName}`.toLocaleLowerCase("sv-SE").includes(needle)) : people;

  // A refused code is shown at the code field; the box above then holds no earlier success.
  useEffect(() => {
    if (codeFetcher.data) setAnnouncement(codeFetcher.data.ok ? codeFetcher.data : null);
  }, [codeFetcher.data]);

  const submitCode = (value: string) => codeFetcher.submit({ intent: "code", code: value }, { method: "post" });

  return (
    <div className="stack checkin">
      <p>
        <Link to={`/kunskapsdagar/${day.id}/hantera`}>← Hantera kunskapsdagen</Link>
      </p>
      <h1>Incheckning: {day.title}</h1>
      <p className="muted">{day.when}</p>
      <p className="checkin-count" aria-live="polite" aria-atomic="true">
        <strong>{counts.presentCount}</strong> av <strong>{counts.registeredCount}</strong> på plats
      </p>
      <p className="muted" role="status">
        {revalidator.state === "loading" ? "Uppdaterar…" : liveStatusText[live]}
      </p>
      <CheckinAnnouncement outcome={announcement} />

      <section aria-labelledby="skanna" className="card">
        <h2 id="skanna">Skanna QR-kod</h2>
        <codeFetcher.Form method="post">
          <input type="hidden" name="intent" value="code" />
          {codeFetcher.data && !codeFetcher.data.ok ? <FormError message={codeFetcher.data.message} /> : null}
          <div className="field">
            <label htmlFor="field-code">
              Kod eller länk
              <span className="hint" id="field-code-hint">
                En handskanner skriver in koden här. Du kan också klistra in länken från bekräftelsemejlet.
              </span>
            </label>
            <input id="field-code" name="code" type="text" autoComplete="off" defaultValue={codeFetcher.data?.ok ? "" : code} key={codeFetcher.data?.ok ? codeFetcher.data.message : "code"} aria-describedby="field-code-hint" />
          </div>
          <div className="actions">
            <button className="button" type="submit" disabled={codeFetcher.state !== "idle"}>
              {codeFetcher.state !== "idle" ? "Checkar in…" : "Checka in"}
            </button>
          </div>
        </codeFetcher.Form>
        <CameraScanner onCode={submitCode} />
      </section>

      <section aria-labelledby="deltagare">
        <h2 id="deltagare">Deltagare</h2>
        <div className="field">
          <label htmlFor="field-search">Sök på namn eller organisation</label>
          <input id="field-search" type="search" value={query} onChange={(event) => setQuery(event.target.value)} autoComplete="off" />
        </div>
        <p className="muted" aria-live="polite">
          {needle ? `${shown.length} träffar` : `${people.length} med bekräftad plats`}
        </p>
        {people.length === 0 ? (
          <p className="empty">Ingen har en bekräftad plats ännu.</p>
        ) : shown.length === 0 ? (
          <p className="empty">Ingen träff. Kontrollera stavningen eller sök på organisationen.</p>
        ) : (
          <ul className="list-plain checkin-list">
            {shown.map((person) => (
              <PersonRow key={person.id} person={person} onResult={setAnnouncement} />
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}

function PersonRow({ person, onResult }: { person: { id: string; name: string; organisationName: string; present: boolean }; onResult: (outcome: CheckinOutcome) => void }) {
  const fetcher = useFetcher<Result>();
  const pending = fetcher.formData ? fetcher.formData.get("present") === "ja" : null;
  const present = pending ?? person.present;
  useEffect(() => {
    if (fetcher.data) onResult(fetcher.data);
  }, [fetcher.data, onResult]);
  const inputId = `person-${person.id}`;
  return (
    <li className="checkin-row">
      <fetcher.Form method="post">
        <input type="hidden" name="intent" value="presence" />
        <input type="hidden" name="registrationId" value={person.id} />
        <label className="checkbox" htmlFor={inputId}>
          <input
            id={inputId}
            type="checkbox"
            name="present"
            value="ja"
            checked={present}
            onChange={(event) => fetcher.submit({ intent: "presence", registrationId: person.id, present: event.target.checked ? "ja" : "nej" }, { method: "post" })}
          />
          <span>
            {person.name}
            <span className="hint">{person.organisationName}</span>
          </span>
        </label>
        <noscript>
          <input type="hidden" name="present" value={present ? "nej" : "ja"} />
          <button className="button button--secondary" type="submit">
            {present ? "Ångra incheckning" : "Checka in"}
          </button>
        </noscript>
      </fetcher.Form>
    </li>
  );
}

type Detector = (data: Uint8ClampedArray, width: number, height: number) => { data: string } | null;

/** A camera view that reads QR codes with jsQR, offered when the browser has a camera. */
function CameraScanner({ onCode }: { onCode: (code: string) => void }) {
  const [available, setAvailable] = useState(false);
  const [state, setState] = useState<"off" | "starting" | "on" | "error">("off");
  const video = useRef<HTMLVideoElement>(null);
  const stream = useRef<MediaStream | null>(null);
  const lastCode = useRef<{ code: string; at: number } | null>(null);
  const handler = useRef(onCode);
  handler.current = onCode;

  useEffect(() => {
    setAvailable(typeof navigator !== "undefined" && !!navigator.mediaDevices?.getUserMedia);
    return () => stream.current?.getTracks().forEach((track) => track.stop());
  }, []);

  useEffect(() => {
    if (state !== "on") return;
    let frame = 0;
    let detect: Detector | null = null;
    const canvas = document.createElement("canvas");
    const context = canvas.getContext("2d", { willReadFrequently: true });
    void import("jsqr").then((module) => {
      detect = (module.default ?? module) as unknown as Detector;
    });
    const tick = () => {
      const element = video.current;
      if (detect && context && element && element.readyState >= 2 && element.videoWidth) {
        canvas.width = element.videoWidth;
        canvas.height = element.videoHeight;
        context.drawImage(element, 0, 0);
        const image = context.getImageData(0, 0, canvas.width, canvas.height);
        const found = detect(image.data, image.width, image.height);
        // The same code held in front of the camera is sent once, not on every frame.
        if (found?.data && (lastCode.current?.code !== found.data || Date.now() - lastCode.current.at > 5000)) {
          lastCode.current = { code: found.data, at: Date.now() };
          handler.current(found.data);
        }
      }
      frame = requestAnimationFrame(tick);
    };
    frame = requestAnimationFrame(tick);
    return () => cancelAnimationFrame(frame);
  }, [state]);

  if (!available) return null;

  const start = async () => {
    setState("starting");
    try {
      stream.current = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
      if (video.current) {
        video.current.srcObject = stream.current;
        await video.current.play();
      }
      setState("on");
    } catch {
      setState("error");
    }
  };
  const stop = () => {
    stream.current?.getTracks().forEach((track) => track.stop());
    stream.current = null;
    setState("off");
  };

  return (
    <div className="checkin-camera">
      <div className="actions">
        {state === "on" ? (
          <button className="button button--secondary" type="button" onClick={stop}>
            Stäng kameran
          </button>
        ) : (
          <button className="button button--secondary" type="button" onClick={start} disabled={state === "starting"}>
            {state === "starting" ? "Startar kameran…" : "Skanna med kameran"}
          </button>
        )}
      </div>
      {state === "error" ? (
        <p className="field-error" role="alert">
          Kameran kunde inte startas. Ge webbläsaren tillgång till kameran eller skriv in koden ovan.
        </p>
      ) : null}
      <video ref={video} muted playsInline hidden={state !== "on"} aria-label="Kamerabild för QR-kod" className="checkin-video" />
    </div>
  );
}
