/** The organisers' live room of a day's check-in (on the signed-in namespace, never the public one). */
export const checkinRoom = (kunskapsdagId: string) => `checkin:${kunskapsdagId}`;
export const CHECKIN_EVENT = "kunskapsdag:checkin";
export type CheckinPayload = { kunskapsdagId: string; registrationId: string; present: boolean; presentCount: number; registeredCount: number };
