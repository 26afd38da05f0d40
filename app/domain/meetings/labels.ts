/** Swedish labels for meetings, shared by pages and server code. */
export const answerLabels = { ja: "Ja", nej: "Nej", kanske: "Kanske" } as const;
export const meetingStatusLabels = { planerat: "Planerat", installt: "Inställt", genomfort: "Genomfört" } as const;

/** The live room of one meeting's page (attendee answers and changes). */
export const meetingRoom = (meetingId: string) => `meeting:${meetingId}`;
