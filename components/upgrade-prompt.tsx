import Link from "next/link";
import { buttonClasses, EmptyState } from "@/components/ui";

/**
 * What a page shows in place of a feature the org's plan does not include: what the feature does,
 * which plans have it, and the way to upgrade (the plan gate's `upgradeUrl`) or compare plans.
 */
export function UpgradePrompt({
  title,
  description,
  upgradeUrl,
}: {
  title: string;
  description: string;
  upgradeUrl: string;
}) {
  return (
    <EmptyState
      title={title}
      description={description}
      action={
        <>
          <Link href={upgradeUrl} className={buttonClasses("primary")}>
            Upgrade your plan
          </Link>
          <Link href="/pricing" className={buttonClasses("secondary")}>
            Compare plans
          </Link>
        </>
      }
    />
  );
}
