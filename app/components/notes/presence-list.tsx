export type PresentPerson = { id: string; name: string; organisation: string; color: string; isSelf: boolean };

/** Who has the notes open right now, each with the colour of their caret. */
export function PresenceList({ people }: { people: PresentPerson[] }) {
  return (
    <section className="notes-presence" aria-labelledby="notes-presence-heading">
      <h2 id="notes-presence-heading" className="notes-presence__heading">
        I dokumentet nu ({people.length})
      </h2>
      <ul className="notes-presence__list" aria-live="polite" aria-relevant="additions removals">
        {people.map((person) => (
          <li key={person.id} className="notes-presence__person">
            <span className="notes-presence__swatch" style={{ backgroundColor: person.color }} aria-hidden="true" />
            {person.name}
            {person.isSelf ? " (du)" : ""}
            {person.organisation ? <span className="muted">, {person.organisation}</span> : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
