export const organisationTypeLabels: Record<string, string> = {
  stad_central: "Staden, central nivå",
  stadsdelsnamnd: "Stadsdelsnämnd",
  facknamnd_bolag: "Facknämnd eller bolag",
  polis: "Polisen",
  region_stat: "Region eller stat",
  civilsamhalle: "Civilsamhälle",
  naringsliv: "Näringsliv",
};

export const personStatusLabels: Record<string, string> = {
  invited: "Inbjuden",
  active: "Aktiv",
  deactivated: "Inaktiverad",
  anonymised: "Anonymiserad",
};

export const roleLabels = { admin: "Administratör", samordnare: "Samordnare", medlem: "Medlem" } as const;
