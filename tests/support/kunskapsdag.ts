import { stockholmDay } from "./wait";

type FormValue = string | string[];

/**
 * The new-kunskapsdag form (`/kunskapsdagar/ny`, also `/redigera`) as a browser posts it: a
 * published-ready day in 30 days, 09:00–16:00, open to all, registration open since yesterday
 * until the day before, no questions, programme or organisers. Tests name what matters to them.
 */
export function kunskapsdagForm(ownerOrganisationId: string, fields: Record<string, FormValue> = {}): Record<string, FormValue> {
  return {
    ownerOrganisationId,
    title: "Kunskapsdag om samverkan",
    description: "",
    date: stockholmDay(30),
    startTime: "09:00",
    endTime: "16:00",
    place: "Stadshuset",
    videoUrl: "",
    capacity: "10",
    audience: "alla",
    registrationOpens: `${stockholmDay(-1)}T08:00`,
    registrationCloses: `${stockholmDay(29)}T12:00`,
    questions: [],
    freeTextQuestion: "",
    programmeTime: [""],
    programmeTitle: [""],
    programmeSpeaker: [""],
    organiserEmails: "",
    ...fields,
  };
}

/** A day in ten days (registration closes the day before) with a welcome in its programme. */
export function soonKunskapsdagForm(ownerOrganisationId: string, capacity: number, fields: Record<string, FormValue> = {}) {
  return kunskapsdagForm(ownerOrganisationId, {
    title: "Kunskapsdag om trygghetsarbete",
    description: "Om samverkan.",
    date: stockholmDay(10),
    registrationCloses: `${stockholmDay(9)}T12:00`,
    capacity: String(capacity),
    programmeTime: ["09:00"],
    programmeTitle: ["Välkommen"],
    programmeSpeaker: ["Amina Hassan"],
    ...fields,
  });
}
