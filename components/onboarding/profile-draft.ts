"use client";

import { useEffect, useMemo, useSyncExternalStore } from "react";

/** Step 1 input not yet saved: kept in sessionStorage so a refresh or a lost signal loses nothing. */
export interface ProfileDraft {
  /** The saved profile's `updatedAt` the draft started from; a newer save makes the draft stale. */
  basedOn: string | null;
  companyName: string;
  naics: { code: string; title: string }[];
  keywords: string[];
  keywordText: string;
  setAsides: string[];
  states: string[];
}

export function draftKey(orgId: string) {
  return `beacon:onboarding:profile:${orgId}`;
}

function read(key: string): string | null {
  try {
    return window.sessionStorage.getItem(key);
  } catch {
    return null; // storage disabled (private mode): drafts are a nicety, not a requirement
  }
}

export function writeDraft(key: string, draft: ProfileDraft) {
  try {
    window.sessionStorage.setItem(key, JSON.stringify(draft));
  } catch {
    // Quota or disabled storage: the form still works without a draft.
  }
}

const subscribeNever = () => () => {};

// The draft as it was when the form mounted: later writes (the user typing) must not change
// what the form started from, or it would restart under the user's fingers.
const mountedSnapshots = new Map<string, string | null>();
function snapshotAtMount(key: string): string | null {
  if (!mountedSnapshots.has(key)) mountedSnapshots.set(key, read(key));
  return mountedSnapshots.get(key) ?? null;
}

/**
 * The draft saved for this org, if it was started from the profile version now on the server.
 * The server render and hydration see no draft; the client then re-renders with it.
 */
export function useProfileDraft(key: string, basedOn: string | null): ProfileDraft | null {
  const raw = useSyncExternalStore(
    subscribeNever,
    () => snapshotAtMount(key),
    () => null,
  );
  useEffect(
    () => () => {
      mountedSnapshots.delete(key);
    },
    [key],
  );
  return useMemo(() => {
    if (!raw) return null;
    try {
      const draft = JSON.parse(raw) as ProfileDraft;
      return draft && draft.basedOn === basedOn && Array.isArray(draft.naics) ? draft : null;
    } catch {
      return null;
    }
  }, [raw, basedOn]);
}
