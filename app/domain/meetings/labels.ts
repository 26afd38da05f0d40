/** Swedish labels for meetings, shared by pages and server code. */
export const answerLabels = { ja: "Ja", nej: "Nej", kanske: "Kanske" } as const;
export const meetingStatusLabels = { planerat: "Planerat", installt: "Inställt", genomfort: "Genomfört" } as const;

/** The live room of one meeting's page (attendee answers and changes). */
export const meetingRoom = (meetingId: string) => `meeting:${meetingId}`;

/** Why a meeting that is no longer planned takes no answers. */
export function closedForAnswers(status: "planerat" | "installt" | "genomfort") {
  return status === "genomfort" ? "Mötet är genomfört och tar inte emot svar." : "Mötet är inställt och tar inte emot svar.";
}
