"use client";

import Link from "next/link";
import { useActionState } from "react";
import { Button, type ButtonSize, type ButtonVariant } from "@/components/ui";
import type { FormState } from "@/lib/http";

const IDLE: FormState = { status: "idle" };

/** "Tracked": a notice already in the team's pipeline, linking there. */
export function TrackedLink() {
  return (
    <Link
      href="/pipeline"
      className="inline-flex items-center gap-1 text-sm font-medium text-emerald-800 underline"
      data-testid="tracked"
    >
      <span aria-hidden="true">✓</span> Tracked
    </Link>
  );
}

/**
 * Track one notice in the team's pipeline (the pipeline's track action), or "Tracked", a link to
 * the pipeline, once it is there. Used on search results and on a notice's page.
 */
export function TrackButton({
  action,
  noticeId,
  tracked,
  label,
  size = "sm",
  variant = "secondary",
}: {
  action: (prev: FormState, formData: FormData) => Promise<FormState>;
  noticeId: string;
  tracked: boolean;
  /** The form's accessible name, e.g. "Track this notice". */
  label: string;
  size?: ButtonSize;
  variant?: ButtonVariant;
}) {
  const [state, formAction, pending] = useActionState(action, IDLE);
  if (tracked || state.status === "success") return <TrackedLink />;
  return (
    <form action={formAction} aria-label={label} className="flex flex-wrap items-center gap-2">
      <input type="hidden" name="notice_id" value={noticeId} />
      <Button type="submit" size={size} variant={variant} pending={pending}>
        Track
      </Button>
      {state.status === "error" ? (
        <p role="alert" className="text-sm text-red-700">
          {state.message}
        </p>
      ) : null}
    </form>
  );
}
