/**
 * Every runtime switch, with what it does and its value when no operator has set it. The
 * `feature_flags` table only holds overrides; a flag missing here cannot be stored.
 */
export const FLAG_DEFINITIONS = {
  signups: {
    description:
      "New accounts can be created at /sign-up. Off: the page says sign-ups are paused and a submitted form is refused (invitations still work).",
    default: true,
  },
  instant_alerts: {
    description:
      "Instant alerts are sent after each ingestion run and by a five-minute sweep. Off: runs skip them and no alert's cursor moves, so once it is back on the next run sends what was held back.",
    default: true,
  },
  opportunity_ingestion: {
    description: "The hourly SAM.gov ingestion fetches notices. Off: runs are recorded as skipped and fetch nothing.",
    default: true,
  },
  incident_mode: {
    description:
      "Incident mode: every cockpit write answers 409 read_only unless made under break-glass. ADMIN_READ_ONLY=true forces it on whatever this says. Turning it on or off is the one write allowed while it is on.",
    default: false,
  },
} as const satisfies Record<string, { description: string; default: boolean }>;

export type FlagKey = keyof typeof FLAG_DEFINITIONS;
export const FLAG_KEYS = Object.keys(FLAG_DEFINITIONS) as FlagKey[];

export function isFlagKey(key: string): key is FlagKey {
  return Object.hasOwn(FLAG_DEFINITIONS, key);
}
