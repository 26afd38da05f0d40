/** What the meeting form says on the meeting's page after saving (a flash, app/server/flash.server.ts). */

const people = (count: number) => (count === 1 ? "1 person" : `${count} personer`);

export function meetingCreatedMessage(invited: number) {
  return `Mötet är skapat. Inbjudan har skickats till ${people(invited)}.`;
}

export function seriesCreatedMessage(meetings: number, invited: number) {
  return `Mötesserien är skapad med ${meetings} möten. Inbjudan till serien har skickats till ${people(invited)}.`;
}

/** After a change of a single meeting: `updated` invitees were told of it, `invited` people newly invited. */
export function meetingChangedMessage({ changed, updated, invited }: { changed: boolean; updated: number; invited: number }) {
  if (!changed) return "Inget var ändrat, så inga mejl har skickats.";
  const told = [
    updated ? `Ändringen har skickats till ${people(updated)}.` : null,
    invited ? `Inbjudan har skickats till ${invited === 1 ? "1 ny person" : `${invited} nya personer`}.` : null,
  ].filter(Boolean);
  // Neither: only the reminders changed, which concern no one until they are sent.
  return told.length ? `Mötet är ändrat. ${told.join(" ")}` : "Påminnelserna är ändrade.";
}

/** After a change of a meeting in a series, to it alone or to it and the following ones. */
export function occurrenceChangedMessage({ changed, scope, told }: { changed: boolean; scope: "this" | "following"; told: number }) {
  if (!changed) return "Inget var ändrat, så inga mejl har skickats.";
  // Nobody told: only the reminders changed, which concern no one until they are sent.
  if (told === 0) return "Påminnelserna är ändrade.";
  return scope === "this"
    ? `Mötet är ändrat. Ändringen har skickats till ${people(told)}.`
    : `Mötet och de följande mötena i serien är ändrade och bildar en ny serie. Inbjudan till den har skickats till ${people(told)}.`;
}
