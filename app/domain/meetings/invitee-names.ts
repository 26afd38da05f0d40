type Invitee = { name: string; email: string; userId?: string | null };

/**
 * An invitee's name when one is known: the account's, or the name a network contact was given.
 * An address invited on its own is stored with the address as its name, which is no name (rows
 * from before, stored with the address's local part, were given the whole address by migration
 * 0016_invitee_names_whole_address).
 */
export function knownInviteeName({ name, email, userId }: Invitee): string | null {
  const trimmed = name.trim();
  if (!trimmed) return null;
  if (userId) return trimmed;
  return trimmed.toLowerCase() === email.trim().toLowerCase() ? null : trimmed;
}

/** The invitee as a list shows them: the name, or the whole address when no name is known. */
export function inviteeDisplayName(invitee: Invitee) {
  return knownInviteeName(invitee) ?? invitee.email;
}

/** "Hej Anna Berg!", or "Hej!" when no name is known (never the address or a part of it). */
export function inviteeGreeting(invitee: Invitee) {
  const name = knownInviteeName(invitee);
  return name ? `Hej ${name}!` : "Hej!";
}
