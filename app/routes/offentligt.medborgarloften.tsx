import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { PromiseProgress } from "../components/agreements/promise-fields";
import { listPublishedPromises } from "../domain/agreements/promises.server";
import { db } from "../server/portal.server";

export const meta: MetaFunction = () => [
  { title: "Medborgarlöften i Stockholm – Samverkansportalen" },
  { name: "description", content: "Polisens och stadsdelsnämndernas löften till invånarna i Stockholm, och hur långt arbetet har kommit." },
];

/** The public page: published promises only, with no names and no internal notes. No account needed. */
export async function loader(_args: LoaderFunctionArgs) {
  const promises = await listPublishedPromises(db());
  return {
    promises: promises.map((promise) => ({
      id: promise.id,
      year: promise.year,
      localArea: promise.localArea,
      title: promise.title,
      description: promise.description,
      partyNames: promise.partyNames,
      progress: { text: promise.progress.text, percent: promise.progress.percent, reached: promise.progress.reached },
    })),
  };
}

export default function PublicPromisesPage() {
  const { promises } = useLoaderData<typeof loader>();
  const areas = [...new Set(promises.map((promise) => `${promise.localArea} ${promise.year}`))];
  return (
    <div className="stack">
      <h1>Medborgarlöften</h1>
      <p>
        Ett medborgarlöfte är ett konkret löfte från polisen och stadsdelsnämnden till invånarna i ett område, för ett år i taget. Här ser du löftena och hur
        långt arbetet har kommit.
      </p>
      {promises.length === 0 ? <p className="empty">Det finns inga publicerade medborgarlöften just nu.</p> : null}
      {areas.map((area) => (
        <section key={area} aria-labelledby={`omrade-${area.replace(/\W+/g, "-")}`}>
          <h2 id={`omrade-${area.replace(/\W+/g, "-")}`}>{area}</h2>
          <ul className="list-plain">
            {promises
              .filter((promise) => `${promise.localArea} ${promise.year}` === area)
              .map((promise) => (
                <li key={promise.id}>
                  <h3>{promise.title}</h3>
                  <p className="hint">{promise.partyNames.join(" och ")}</p>
                  {promise.description ? <p className="pre-line">{promise.description}</p> : null}
                  <PromiseProgress text={promise.progress.text} percent={promise.progress.percent} />
                  {promise.progress.reached ? <p>Löftet är uppfyllt.</p> : null}
                </li>
              ))}
          </ul>
        </section>
      ))}
    </div>
  );
}
