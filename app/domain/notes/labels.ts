/** Swedish names of the notes' status and version kinds, for pages and mails alike. */
export const notesStatusLabels = {
  open: "Öppna för redigering",
  for_approval: "Skickade för justering",
  approved: "Justerade",
} as const;

export const versionKindLabels = {
  approval: "Justerad",
  meeting_end: "Vid mötets slut",
  manual: "Sparad för hand",
  restore: "Före återställning",
} as const;
