"use client";

import { useActionState } from "react";
import { acceptInvitationAction } from "@/app/(app)/actions";
import type { FormState } from "@/lib/http";
import { Alert, Button } from "@/components/ui";

const IDLE: FormState = { status: "idle" };

export function AcceptInvitationForm({ token, orgName }: { token: string; orgName: string }) {
  const [state, action, pending] = useActionState(acceptInvitationAction, IDLE);
  return (
    <form action={action} className="space-y-4">
      {state.message ? <Alert tone="error">{state.message}</Alert> : null}
      <input type="hidden" name="token" value={token} />
      <Button type="submit" pending={pending} className="w-full">
        Join {orgName}
      </Button>
    </form>
  );
}
